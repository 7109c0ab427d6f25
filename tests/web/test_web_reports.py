"""Report downloads from the platform: signed-in users get the file of ``ecociv report``;
anonymous users and bad parameters get the usual errors."""

from __future__ import annotations

from io import BytesIO
from urllib.parse import quote

import pytest
from docx import Document
from openpyxl import load_workbook

from conftest import DISTRICT_A


def test_viewer_downloads_the_completion_table_as_word(client_as, seeded):
    client, _ = client_as("viewer")
    response = client.get(
        f"/plans/{seeded['plan_id']}/report",
        params={"kind": "completion", "region": DISTRICT_A, "year": 2022},
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert quote("甲区2022年指标完成情况表") in response.headers["content-disposition"]
    assert response.headers["x-ecociv-data-revision"].startswith("v1-")
    (table,) = Document(BytesIO(response.content)).tables
    assert [row.cells[1].text for row in table.rows[1:]] == [
        "细颗粒物（PM2.5）年均浓度",
        "城镇污水处理率",
    ]
    assert [row.cells[5].text for row in table.rows[1:]] == ["30", "95.5"]  # 2022 values
    assert [row.cells[6].text for row in table.rows[1:]] == ["未完成", "未完成"]


def test_annual_workbook_keeps_numbers(client_as, seeded):
    client, _ = client_as("editor_b")
    response = client.get(
        f"/plans/{seeded['plan_id']}/report",
        params={"kind": "annual", "region": DISTRICT_A, "year": 2021, "format": "xlsx"},
    )
    assert response.status_code == 200, response.text
    sheet = load_workbook(BytesIO(response.content))["规划指标完成情况"]
    assert [row[6] for row in sheet.iter_rows(min_row=3, max_row=4, values_only=True)] == [31, 95]


@pytest.mark.parametrize(
    ("params", "status"),
    [({"kind": "yearly", "year": 2022}, 400), ({"kind": "annual"}, 422),
     ({"kind": "annual", "year": 2022, "format": "odt"}, 422)],
)  # fmt: skip
def test_bad_parameters(client_as, seeded, params, status):
    client, _ = client_as("viewer")
    response = client.get(
        f"/plans/{seeded['plan_id']}/report",
        params=params,
        headers={"Accept": "application/json"},
    )
    assert response.status_code == status
    if status == 400:
        assert "报告类型" in response.json()["detail"]
        assert "report kind" in response.json()["detail_en"]


def test_anonymous_is_refused(client_as, seeded):
    client, _ = client_as(None)
    response = client.get(
        f"/plans/{seeded['plan_id']}/report",
        params={"kind": "annual", "year": 2022},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 401
