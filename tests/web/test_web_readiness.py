"""The readiness view (创建研判): the gap list against a chosen standard and year, the plan
targets with at-risk badges, the .xlsx export equal to the page, the region's default standard,
the big screen, and no stale page after a write."""

from __future__ import annotations

import io
import re

import pytest
from lxml import html as lxml_html
from openpyxl import load_workbook

from conftest import CITY, DISTRICT_A
from ecociv.standards import catalog


def _readiness(client, plan_id: int, **query):
    response = client.get(f"/plans/{plan_id}/readiness.json", params=query)
    assert response.status_code == 200, response.text[:300]
    return response.json()


def _row(data: dict, name: str) -> dict:
    return next(r for r in data["rows"] if r["name"] == name)


def _page_cells(page: str) -> tuple[list[str], list[list[str]]]:
    """The headers and cell texts of the page's gap list, as a reader sees them."""
    tree = lxml_html.fromstring(page)
    table = tree.get_element_by_id("gap-list")
    headers = [th.text_content().strip() for th in table.iter("th")]
    rows = []
    for tr in table.xpath("./tbody/tr[@data-status]"):
        rows.append([td.text_content().strip() for td in tr.iter("td")])
    return headers, rows


def _leaves(version: str) -> int:
    return sum(1 for item in catalog.get_standard(version).walk() if not item.items)


@pytest.mark.parametrize("standard", sorted(catalog.versions()))
def test_every_requirement_of_the_chosen_standard_is_one_row(client_as, seeded, standard):
    client, _ = client_as("viewer")
    data = _readiness(client, seeded["plan_id"], region=DISTRICT_A, standard=standard)
    assert data["standard"]["id"] == standard
    assert len(data["rows"]) == _leaves(standard) == sum(data["counts"].values())
    statuses = [r["status"] for r in data["rows"]]
    order = ("not_met", "needs_review", "no_data", "in_progress", "met", "not_applicable")
    assert statuses == sorted(statuses, key=order.index)  # ranked: gaps first
    gaps = [r["relative_gap"] for r in data["rows"] if r["status"] == "not_met"]
    assert gaps == sorted(gaps, reverse=True)


def test_the_value_judged_is_the_latest_up_to_the_chosen_year(client_as, seeded):
    client, _ = client_as("viewer")
    name = "城镇污水处理率"
    latest = _row(_readiness(client, seeded["plan_id"], region=DISTRICT_A), name)
    assert (latest["year"], latest["value_text"], latest["source"]) == (2022, "95.5", "plan")
    earlier = _row(_readiness(client, seeded["plan_id"], region=DISTRICT_A, as_of=2021), name)
    assert (earlier["year"], earlier["value_text"]) == (2021, "95.0")
    nothing = _row(_readiness(client, seeded["plan_id"], region=DISTRICT_A, as_of=2020), name)
    assert nothing["status"] in ("no_data", "needs_review", "not_applicable")
    assert nothing["year"] is None


def test_a_requirement_missing_from_the_plan_says_so(client_as, seeded):
    client, _ = client_as("viewer")
    data = _readiness(client, seeded["plan_id"], region=DISTRICT_A, standard="nat2021")
    absent = [r for r in data["rows"] if r["source"] == "none" and r["status"] == "no_data"]
    assert absent, "the small plan holds two of the standard's indicators only"
    assert {r["reason_zh"] for r in absent} == {"本规划未包含该指标，也未录入该指标的数据"}
    # nat2021 asks for the PM2.5 decrease (下降幅度), not the annual mean the plan holds.
    assert data["unmatched_plan_indicators"] == 1


def test_an_unknown_standard_is_refused_with_the_known_ones(client_as, seeded):
    client, _ = client_as("viewer")
    response = client.get(f"/plans/{seeded['plan_id']}/readiness.json?standard=xx2099")
    assert response.status_code in (400, 404, 422)
    assert "nat2021" in response.text


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"standard": "zj2019", "as_of": "2021"},
        {"standard": "nat2019", "status": "no_data", "lang": "en"},
        {"show": "targets"},
        {"show": "targets", "lang": "en", "domain": "生态安全"},
        {"region": CITY, "standard": "nat2019", "attribute": "约束性"},
        {"show": "targets", "department": "env"},
        {"standard": "zj2019", "department": "_none", "lang": "en"},
    ],
    ids=lambda q: "&".join(f"{k}={v}" for k, v in q.items()) or "default",
)
def test_the_xlsx_export_holds_exactly_what_the_page_shows(client_as, seeded, query):
    client, _ = client_as("viewer")
    params = {"region": DISTRICT_A, **query}
    page = client.get(f"/plans/{seeded['plan_id']}/readiness", params=params)
    assert page.status_code == 200
    headers, rows = _page_cells(page.text)
    export = client.get(f"/plans/{seeded['plan_id']}/readiness.xlsx", params=params)
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    cells = [
        ["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)
    ]
    assert cells[1] == headers
    assert cells[2:] == rows
    assert len(rows) > 0 or "status" in query or "domain" in query
    assert headers[-1] == ("Responsible department" if query.get("lang") == "en" else "责任部门")
    if "department" in query:
        assert "：" in cells[0][0]  # the title row names the department handed the list


def test_each_gap_row_names_its_responsible_department(client_as, seeded):
    """The department comes from the reporting cycle's ownership; none assigned is said in
    words; a new assignment is seen by the next read; the list filters by department."""
    plan_id = seeded["plan_id"]
    sewage = seeded["codes"][1]
    admin, token = client_as("admin")
    targets = _readiness(admin, plan_id, region=DISTRICT_A, show="targets")
    assert {r["name"]: r["department"] for r in targets["rows"]} == {
        "细颗粒物（PM2.5）年均浓度": "生态环境局",
        "城镇污水处理率": None,
    }
    cells = {r["cells"][1]: r["cells"][-1] for r in targets["table"]["rows"]}
    assert cells == {
        "细颗粒物（PM2.5）年均浓度（微克/立方米）": "生态环境局",
        "城镇污水处理率（%）": "未指定责任部门",
    }
    assert targets["departments"] == [
        {"code": "env", "name": "生态环境局"},
        {"code": "_none", "name": "未指定责任部门"},
    ]
    before = _row(
        _readiness(admin, plan_id, region=DISTRICT_A, standard="nat2021"), "城镇污水处理率"
    )
    assert (before["department"], before["plan_indicator"]) == (None, sewage)

    for path, form in (
        ("/admin/departments", {"code": "water", "name": "水利局", "region": CITY}),
        (f"/plans/{plan_id}/owners", {"indicator_code": sewage, "department_code": "water"}),
    ):
        response = admin.post(path, data={**form, "csrf_token": token}, follow_redirects=False)
        assert response.status_code == 303, response.text[:300]

    data = _readiness(admin, plan_id, region=DISTRICT_A, standard="nat2021")
    assert _row(data, "城镇污水处理率")["department"] == "水利局"
    assert _row(data, "城镇污水处理率")["department_code"] == "water"
    # the standard's other requirements have no plan indicator, hence no department
    assert {r["department"] for r in data["rows"] if r["name"] != "城镇污水处理率"} == {None}
    water = _readiness(admin, plan_id, region=DISTRICT_A, standard="nat2021", department="water")
    assert [r["cells"][1] for r in water["table"]["rows"]] == ["城镇污水处理率（%）"]
    assert water["department"] == "水利局"
    rest = _readiness(admin, plan_id, region=DISTRICT_A, standard="nat2021", department="_none")
    assert len(rest["table"]["rows"]) == len(data["rows"]) - 1
    assert {r["cells"][-1] for r in rest["table"]["rows"]} == {"未指定责任部门"}
    english = _readiness(admin, plan_id, region=DISTRICT_A, show="targets", lang="en")
    assert {r["cells"][-1] for r in english["table"]["rows"]} == {"生态环境局", "水利局"}

    page = lxml_html.fromstring(
        admin.get(f"/plans/{plan_id}/readiness", params={"region": DISTRICT_A, "lang": "zh"}).text
    )
    choices = page.xpath("//select[@id='filter-department']/option")
    assert [(o.get("value"), o.text_content()) for o in choices] == [
        ("", "全部"),
        ("water", "水利局"),
        ("_none", "未指定责任部门"),
    ]
    printed = admin.get(
        f"/plans/{plan_id}/readiness",
        params={"region": DISTRICT_A, "department": "water", "lang": "zh"},
    ).text
    assert (
        "责任部门：水利局"
        in lxml_html.fromstring(printed).find_class("print-only")[0].text_content()
    )
    tabs = lxml_html.fromstring(printed).xpath("//nav[@id='readiness-tabs']/a/@href")
    assert len(tabs) == 2 and all("department=water" in href for href in tabs)  # kept across


def test_the_big_screen_gap_list_names_the_department(client_as, seeded):
    client, _ = client_as("viewer")
    page = lxml_html.fromstring(
        client.get(f"/plans/{seeded['plan_id']}/screen?region={DISTRICT_A}&as_of=2022").text
    )
    table = page.get_element_by_id("gap-list")
    assert table.xpath("./thead/tr/th")[-1].text_content() == "责任部门"
    cells = table.xpath("./tbody/tr[@data-status]/td[last()]")
    assert cells and {c.text_content() for c in cells} == {"未指定责任部门"}


def test_filters_keep_only_the_chosen_rows(client_as, seeded):
    client, _ = client_as("viewer")
    data = _readiness(client, seeded["plan_id"], region=DISTRICT_A, status="no_data")
    assert {r["status"] for r in data["table"]["rows"]} == {"no_data"}
    assert len(data["table"]["rows"]) == data["counts"]["no_data"]


def test_pages_show_no_internal_codes_and_reasons_in_one_language(client_as, seeded):
    client, _ = client_as("viewer")
    codes = [*seeded["codes"], "nat2021.", "nat2019.", "zj2019."]
    for lang in ("zh", "en"):
        for path in (
            f"/plans/{seeded['plan_id']}/readiness?region={DISTRICT_A}&lang={lang}",
            f"/plans/{seeded['plan_id']}/readiness?show=targets&lang={lang}",
            f"/plans/{seeded['plan_id']}/screen?region={DISTRICT_A}&lang={lang}",
        ):
            text = lxml_html.fromstring(client.get(path).text).text_content()
            for code in codes:
                assert code not in text, (path, code)
            assert "not in any" not in text
            assert "city_size" not in text and "zj_county" not in text
    zh = lxml_html.fromstring(
        client.get(f"/plans/{seeded['plan_id']}/readiness?region={DISTRICT_A}&lang=zh").text
    )
    for cell in zh.xpath("//table[@id='gap-list']//td[contains(@class,'c8')]"):
        assert not re.search(r"[a-z]{4,}", cell.text_content()), cell.text_content()
    for show in ("standard", "targets"):
        en = lxml_html.fromstring(
            client.get(
                f"/plans/{seeded['plan_id']}/readiness?region={DISTRICT_A}&show={show}&lang=en"
            ).text
        )
        for cell in en.xpath("//table[@id='gap-list']//td"):
            assert not re.search(r"\b[a-z]+_[a-z_]+\b", cell.text_content()), cell.text_content()


def test_targets_not_yet_due_carry_the_projection_badge(client_as, seeded):
    client, _ = client_as("viewer")
    data = _readiness(client, seeded["plan_id"], region=DISTRICT_A, show="targets")
    pm25 = next(r for r in data["rows"] if "PM2.5" in r["name"])
    # 31 (2021) → 30 (2022) against ≤28 in 2025: missed today, on course for the target year.
    assert (pm25["status"], pm25["due"]) == ("not_met", False)
    assert pm25["badge"] == "on_track"
    assert pm25["badge"] != "due_not_met"
    assert "尚未到期" in pm25["reason_zh"]


def test_the_admin_sets_the_default_standard_of_a_region(client_as, seeded):
    admin, token = client_as("admin")
    assert _readiness(admin, seeded["plan_id"], region=DISTRICT_A)["standard"]["id"] == "nat2021"
    response = admin.post(
        f"/regions/{DISTRICT_A}/default-standard",
        data={"standard": "zj2019", "plan": str(seeded["plan_id"]), "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert _readiness(admin, seeded["plan_id"], region=DISTRICT_A)["standard"]["id"] == "zj2019"
    assert _readiness(admin, seeded["plan_id"], region=CITY)["standard"]["id"] == "nat2021"
    asked = _readiness(admin, seeded["plan_id"], region=DISTRICT_A, standard="nat2019")
    assert asked["standard"]["id"] == "nat2019"


def test_a_write_is_seen_by_the_next_read(client_as, seeded):
    """The assessments are cached per data revision: never stale after a write."""
    editor, token = client_as("editor_a")
    code = seeded["codes"][1]
    before = _row(_readiness(editor, seeded["plan_id"], region=DISTRICT_A), "城镇污水处理率")
    dashboard = editor.get(f"/plans/{seeded['plan_id']}?region={DISTRICT_A}").text
    assert "96.5" not in dashboard
    response = editor.post(
        f"/plans/{seeded['plan_id']}/indicators/{code}/observations",
        data={"region": DISTRICT_A, "year": "2023", "text": "96.5", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code < 400, response.text[:300]
    after = _row(_readiness(editor, seeded["plan_id"], region=DISTRICT_A), "城镇污水处理率")
    assert (before["year"], after["year"], after["value_text"]) == (2022, 2023, "96.5")
    assert "96.5" in editor.get(f"/plans/{seeded['plan_id']}?region={DISTRICT_A}").text
    twin = editor.get(f"/plans/{seeded['plan_id']}.json?region={DISTRICT_A}").json()
    assert any((r["latest"] or {}).get("text") == "96.5" for r in twin["indicators"])


def test_a_district_is_judged_from_its_own_baseline(client_as, seeded):
    editor, token = client_as("editor_a")
    plan_id, code = seeded["plan_id"], seeded["codes"][0]
    city = editor.get(f"/plans/{plan_id}.json").json()["indicators"][0]
    district = editor.get(f"/plans/{plan_id}.json?region={DISTRICT_A}").json()["indicators"][0]
    assert city["baseline_text"] == "33"
    assert district["baseline_text"] is None  # the city's 33 is not the district's
    editor.post(
        f"/plans/{plan_id}/indicators/{code}/observations",
        data={"region": DISTRICT_A, "year": "2020", "text": "36", "csrf_token": token},
        follow_redirects=False,
    )
    district = editor.get(f"/plans/{plan_id}.json?region={DISTRICT_A}").json()["indicators"][0]
    assert (district["baseline_text"], district["baseline_value"]) == ("36", 36.0)


def test_the_dashboard_has_a_year_selector_that_judges_that_year(client_as, seeded):
    client, _ = client_as("viewer")
    page = lxml_html.fromstring(client.get(f"/plans/{seeded['plan_id']}?region={DISTRICT_A}").text)
    years = [o.get("value") for o in page.xpath("//select[@id='dashboard-year']/option")]
    assert years == ["", "2022", "2021"]
    judged = client.get(f"/plans/{seeded['plan_id']}.json?region={DISTRICT_A}&as_of=2021").json()
    assert {r["year"] for r in judged["indicators"]} == {2021}


def test_the_big_screen_refreshes_itself_and_leaves_a_slot_for_the_map(client_as, seeded):
    client, _ = client_as("viewer")
    response = client.get(f"/plans/{seeded['plan_id']}/screen?region={CITY}&as_of=2022")
    assert response.status_code == 200
    page = lxml_html.fromstring(response.text)
    screen = page.get_element_by_id("big-screen")
    assert int(screen.get("data-refresh")) > 0
    assert page.xpath("//script[@src='/static/screen.js']")
    assert page.get_element_by_id("screen-map-slot") is not None
    data = client.get(f"/plans/{seeded['plan_id']}/screen.json?region={CITY}&as_of=2022").json()
    # 3000 万元 (2021–2023) and 1200 万元 (2022): 1200 of 4200 due by 2022.
    assert data["investment"]["total_wan_yuan"] == 4200.0
    assert data["investment"]["due_share_pct"] == pytest.approx(28.6)
    assert {r["status"] for r in data["table"]["rows"]} <= {"not_met", "needs_review"}


def test_every_badge_and_bulk_status_has_words_in_both_languages():
    from ecociv.store.services.readiness import BADGE_ORDER, GAP_ORDER
    from ecociv.web.i18n import load_catalogs

    catalogs = load_catalogs()
    wanted = {f"badge.{b}" for b in BADGE_ORDER} | {f"status.{s}" for s in GAP_ORDER}
    wanted |= {f"bulk_status.{s}" for s in ("created", "updated", "unchanged", "error", "conflict")}
    for lang in ("zh", "en"):
        assert sorted(wanted - set(catalogs[lang])) == []
