"""The GEP page, its JSON twin, the upload form, the downloads and the ``/api/v1`` GEP routes,
on the seeded web store (city 990100 with districts 990102 甲区 and 990103 乙区)."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from openpyxl import load_workbook

from conftest import CITY, DISTRICT_A, DISTRICT_B
from ecociv.gep.example import write_example
from ecociv.gep.workbook import PHYSICAL


def workbook(code: str = DISTRICT_A, name: str = "甲区", year: int = 2023, scale=1.0) -> bytes:
    buffer = BytesIO()
    write_example(buffer, region_name=name, region_code=code, year=year, scale=scale)
    return buffer.getvalue()


def upload(client, token, code=DISTRICT_A, content=None, **form):
    return client.post(
        f"/regions/{code}/gep",
        data={"year": "2023", "csrf_token": token, **form},
        files={"file": ("甲区GEP.xlsx", content or workbook(code), "application/octet-stream")},
        follow_redirects=False,
    )


def test_upload_stores_a_version_and_the_page_shows_table_trace_and_charts(client_as):
    client, token = client_as("editor_a")
    response = upload(client, token)
    assert response.status_code == 303, response.text[:300]
    assert response.headers["location"] == (
        f"/regions/{DISTRICT_A}/gep?year=2023&method=ouyang_ganzi_2017&version=1"
    )
    page = client.get(response.headers["location"])
    assert page.status_code == 200
    html = page.text
    assert 'id="gep-table"' in html and html.count('<details class="trace">') == 18
    assert "影子工程法" in html and "水库单位库容工程造价" in html and "GZ §2.4.1" in html
    assert 'data-chart="gep-chart-lines"' in html and 'data-chart="gep-chart-series"' in html
    assert 'id="gep-upload"' in html  # the editor of the district may upload
    assert "style=" not in html and "<script>" not in html  # the CSP: no inline style/script

    data = client.get(f"/regions/{DISTRICT_A}/gep.json").json()
    account = data["account"]
    assert account["version"] == 1 and account["year"] == 2023
    assert account["gep_gdp_ratio"] == pytest.approx(account["gep"] / account["gdp"])
    assert account["yoy_change_constant_prices"] > 0
    lines = [ln for acc in account["accounts"] for i in acc["indicators"] for ln in i["lines"]]
    assert sum(ln["value"] for ln in lines) == pytest.approx(account["gross"])
    assert all(ln["provenance"]["formula_source"] for ln in lines)


def test_an_unverified_method_is_marked_on_every_item(client_as):
    client, token = client_as("admin")
    assert upload(client, token, method="db33_2274_2025").status_code == 303
    html = client.get(f"/regions/{DISTRICT_A}/gep").text
    assert 'id="gep-unverified-method"' in html
    rows = re.findall(r'<tr data-code="[^"]+" class="([^"]*)"', html)
    assert rows and all(r == "unverified" for r in rows)


def test_exports_are_the_stored_account_and_the_uploaded_workbook(client_as):
    client, token = client_as("editor_a")
    content = workbook()
    upload(client, token, content=content)
    result = client.get(f"/regions/{DISTRICT_A}/gep/result.xlsx?year=2023")
    book = load_workbook(BytesIO(result.content))
    assert book.sheetnames == ["提示", "核算结果", "价格与参数", "来源追溯", "年度序列"]
    gep_row = next(r for r in book["核算结果"].iter_rows(values_only=True) if r[1] == "gep")
    stored = client.get(f"/regions/{DISTRICT_A}/gep.json").json()["account"]["gep"]
    assert gep_row[7] == pytest.approx(stored)
    assert client.get(f"/regions/{DISTRICT_A}/gep/input.xlsx?year=2023").content == content


def test_the_city_page_drills_down_to_its_districts(client_as):
    client, token = client_as("editor_city")
    upload(client, token, code=CITY, content=workbook(CITY, "测试市", scale=2.0))
    upload(client, token, code=DISTRICT_B, content=workbook(DISTRICT_B, "乙区", scale=0.6))
    data = client.get(f"/regions/{CITY}/gep.json").json()
    children = {c["code"]: c for c in data["children"]}
    assert children[DISTRICT_A]["gep"] is None and children[DISTRICT_B]["gep"] > 0
    assert "children" in data["charts"]
    html = client.get(f"/regions/{CITY}/gep").text
    assert f'href="/regions/{DISTRICT_B}/gep?year=2023"' in html


def test_a_bad_cell_is_a_422_naming_the_cell_and_nothing_is_stored(client_as):
    client, token = client_as("editor_a")
    book = load_workbook(BytesIO(workbook()))
    book[PHYSICAL].cell(row=5, column=7, value="很多")
    buffer = BytesIO()
    book.save(buffer)
    response = client.post(
        f"/api/v1/regions/{DISTRICT_A}/gep/2023",
        files={"file": ("甲区GEP.xlsx", buffer.getvalue(), "application/octet-stream")},
        headers={"X-CSRF-Token": token},
    )
    assert response.status_code == 422
    assert response.json()["where"] == "甲区GEP.xlsx 实物量!G5"
    assert client.get(f"/api/v1/regions/{DISTRICT_A}/gep").json() == []


def test_api_lists_stores_and_returns_accounts(client_as):
    client, token = client_as("editor_a")
    stored = client.post(
        f"/api/v1/regions/{DISTRICT_A}/gep/2023",
        files={"file": ("a.xlsx", workbook(), "application/octet-stream")},
        data={"method": "ouyang_ganzi_2017", "prices": "ganzi_2010"},
        headers={"X-CSRF-Token": token},
    )
    assert stored.status_code == 201, stored.text[:300]
    listed = client.get(f"/api/v1/regions/{DISTRICT_A}/gep").json()
    assert [(s["year"], s["version"]) for s in listed] == [(2023, 1)]
    got = client.get(f"/api/v1/regions/{DISTRICT_A}/gep/2023?lang=en").json()
    assert got["gep"] == pytest.approx(stored.json()["gep"])
    assert got["accounts"][0]["name"] == "provisioning services"
    assert client.get(f"/api/v1/regions/{DISTRICT_A}/gep/2019").status_code == 404
    other = client.post(
        f"/api/v1/regions/{DISTRICT_A}/gep/2023",
        files={"file": ("a.xlsx", workbook(), "application/octet-stream")},
        data={"method": "../../etc/passwd"},
        headers={"X-CSRF-Token": token},
    )
    assert other.status_code == 422
