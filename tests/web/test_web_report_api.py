"""The report endpoints of ``/api/v1``: kinds, generate and keep a version (who, when, data
revision, file), its history and its file; generating never changes indicator data."""

from __future__ import annotations

import hashlib
from io import BytesIO

import pytest
from docx import Document
from sqlalchemy import select

from conftest import CITY, DISTRICT_A, DISTRICT_B
from ecociv.report.registry import registry
from ecociv.store.db import create_engine_for, session_factory
from ecociv.store.models import Observation, PlanIndicator, Target


def _data_rows(settings) -> list[tuple]:
    """Every indicator, target and value of the store, as plain tuples."""
    engine = create_engine_for(settings.database_url)
    with session_factory(engine)() as db:
        rows = [
            *(tuple(r) for r in db.execute(select(Observation.__table__)).all()),
            *(tuple(r) for r in db.execute(select(Target.__table__)).all()),
            *(tuple(r) for r in db.execute(select(PlanIndicator.__table__)).all()),
        ]
    engine.dispose()
    return rows


def test_kinds_are_the_registry(client_as):
    client, _ = client_as("viewer")
    answer = client.get("/api/v1/report-kinds")
    assert answer.status_code == 200
    kinds = answer.json()
    assert [k["key"] for k in kinds] == list(registry().kinds)
    annual = kinds[0]
    assert annual["title_zh"] == "年度评估报告"
    assert [n["key"] for n in annual["narratives"]] == ["situation", "problems", "next_steps"]


def test_generate_keeps_the_version_and_changes_no_data(client_as, seeded, web_settings):
    client, token = client_as("editor_a")
    before = _data_rows(web_settings)
    answer = client.post(
        f"/api/v1/plans/{seeded['plan_id']}/reports",
        json={
            "kind": "completion",
            "region": DISTRICT_A,
            "year": 2022,
            "narratives": {},
        },
        headers={"X-CSRF-Token": token},
    )
    assert answer.status_code == 201, answer.text
    made = answer.json()
    assert made["created_by"] == "editor_a"
    assert made["region_code"] == DISTRICT_A
    assert made["data_revision"].startswith("v1-")
    assert made["links"]["download"] == f"/api/v1/reports/{made['id']}/file"
    assert _data_rows(web_settings) == before

    file = client.get(made["links"]["download"])
    assert file.status_code == 200
    assert hashlib.sha256(file.content).hexdigest() == made["sha256"]
    assert file.headers["x-ecociv-data-revision"] == made["data_revision"]
    (table,) = Document(BytesIO(file.content)).tables
    assert [row.cells[5].text for row in table.rows[1:]] == ["30", "95.5"]

    listed = client.get(f"/api/v1/plans/{seeded['plan_id']}/reports", params={"region": DISTRICT_A})
    assert [r["id"] for r in listed.json()] == [made["id"]]
    assert client.get(made["links"]["self"]).json() == made


def test_edited_texts_are_printed_kept_and_carried_to_the_next_version(client_as, seeded):
    client, token = client_as("editor_a")
    url = f"/api/v1/plans/{seeded['plan_id']}/reports"
    text = "本区空气质量改善明显。\n仍需加强污水管网建设。"
    first = client.post(
        url,
        json={"kind": "annual", "region": DISTRICT_A, "year": 2022,
              "narratives": {"situation": text}},
        headers={"X-CSRF-Token": token},
    )  # fmt: skip
    assert first.status_code == 201, first.text
    assert first.json()["narratives"]["situation"]["text"] == text
    body = Document(BytesIO(client.get(first.json()["links"]["download"]).content))
    paragraphs = [p.text for p in body.paragraphs]
    assert "本区空气质量改善明显。" in paragraphs and "仍需加强污水管网建设。" in paragraphs
    second = client.post(
        url,
        json={"kind": "annual", "region": DISTRICT_A, "year": 2022, "format": "xlsx"},
        headers={"X-CSRF-Token": token},
    )
    assert second.json()["narratives"]["situation"]["text"] == text
    history = client.get(url, params={"region": DISTRICT_A}).json()
    assert [r["id"] for r in history] == [second.json()["id"], first.json()["id"]]


@pytest.mark.parametrize(
    ("user", "body", "status"),
    [
        ("viewer", {"kind": "annual", "year": 2022}, 403),
        ("editor_b", {"kind": "annual", "year": 2022, "region": DISTRICT_A}, 403),
        ("admin", {"kind": "yearly", "year": 2022}, 422),
        ("admin", {"kind": "annual", "year": 2022, "narratives": {"situation": "a\x00"}}, 422),
        ("admin", {"kind": "completion", "year": 2022, "narratives": {"problems": "x"}}, 422),
        ("admin", {"kind": "annual", "year": 2022, "region": "000000"}, 404),
    ],
)
def test_refusals(client_as, seeded, user, body, status):
    client, token = client_as(user)
    answer = client.post(
        f"/api/v1/plans/{seeded['plan_id']}/reports", json=body, headers={"X-CSRF-Token": token}
    )
    assert answer.status_code == status, answer.text
    assert answer.json()["detail"]


def test_unknown_report_and_anonymous(client_as):
    client, _ = client_as("viewer")
    assert client.get("/api/v1/reports/999").status_code == 404
    anonymous, _ = client_as(None)
    assert anonymous.get("/api/v1/report-kinds").status_code == 401


def test_a_district_is_reported_against_its_citys_plan(client_as, seeded):
    client, token = client_as("admin")
    answer = client.post(
        f"/api/v1/plans/{seeded['plan_id']}/reports",
        json={"kind": "annual", "year": 2022, "region": DISTRICT_B},
        headers={"X-CSRF-Token": token},
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["region_code"] == DISTRICT_B != CITY


def test_the_report_operations_are_documented(client_as):
    client, _ = client_as("viewer")
    document = client.get("/api/v1/openapi.json").json()
    paths = document["paths"]
    post = paths["/plans/{plan_id}/reports"]["post"]
    assert {"201", "403", "404", "422"} <= set(post["responses"])
    assert post["tags"] == ["reports"]
    kinds = document["components"]["schemas"]["ReportIn"]["properties"]["kind"]["enum"]
    assert kinds == list(registry().kinds)
    download = paths["/reports/{report_id}/file"]["get"]["responses"]["200"]["content"]
    assert "application/pdf" in download
    for path in ("/report-kinds", "/reports/{report_id}"):
        assert {"401", "404"} <= set(paths[path]["get"]["responses"])
