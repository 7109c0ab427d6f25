"""The import preview's review: the column roles of each table (confidence, basis, first
cells), corrected by the user and reused on re-import (issue 9), and the check findings, kept
with the plan version and accepted as is on the plan's findings page (issue 16) — on SQLite and
PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from review_plan import MISREAD, plan_text

from conftest import DISTRICT_A, seed, settings_for, sign_in
from ecociv.web.app import create_app

JSON = {"Accept": "application/json"}
NAME = "碧溪县生态文明建设规划"
PROSE = "prose.value:2db3d21d8f74"
WEAK = "target.weaker_than_baseline:9e88e8962b26"


@pytest.fixture()
def store_app(db_url: str, tmp_path: Path):
    """The web app on a freshly seeded store of either database."""
    settings = settings_for(tmp_path, db_url)
    seed(settings)
    return create_app(settings)


@pytest.fixture()
def admin(store_app) -> Iterator[tuple[TestClient, str]]:
    with TestClient(store_app) as client:
        yield client, sign_in(client, "admin")


def _preview(client: TestClient, csrf: str, content: bytes, headers=None):
    return client.post(
        "/import/preview",
        data={"region": DISTRICT_A, "csrf_token": csrf, "name": NAME},
        files={"file": ("plan.txt", content, "text/plain")},
        headers=headers or {},
    )


def _set_role(
    client: TestClient, csrf: str, token: str, column: int, role: str, headers=None, year=""
):
    return client.post(
        "/import/columns",
        data={"token": token, "table": "0", "column": str(column), "role": role, "year": year},
        headers={"X-CSRF-Token": csrf, **(headers or {})},
    )


def _confirm(client: TestClient, csrf: str, token: str) -> int:
    response = client.post(
        "/import/confirm", data={"token": token, "csrf_token": csrf}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    return int(response.headers["location"].split("?")[0].rsplit("/", 1)[1])


def _roles(preview: dict) -> list[tuple[str, str, float, str, bool, list[str]]]:
    [table] = preview["columns"]
    return [
        (c["header"], c["role"], c["confidence"], c["basis"], c["mapped"], c["cells"])
        for c in table["columns"]
    ]


def test_a_misread_table_is_corrected_in_the_preview_and_the_mapping_reused(admin) -> None:
    client, csrf = admin
    preview = _preview(client, csrf, plan_text(MISREAD), JSON).json()["preview"]
    assert _roles(preview)[3:5] == [
        ("甲栏", "other", 0.3, "none", False, ["33", "94.1", "40.2"]),
        ("乙栏", "other", 0.3, "none", False, ["≤28", "≥97", "≥38"]),
    ]
    assert preview["columns_reused"] is False and preview["check"]["findings"] == []
    html = _preview(client, csrf, plan_text(MISREAD)).text
    assert 'id="role-0-3"' in html and 'hx-post="/import/columns"' in html
    token = _preview(client, csrf, plan_text(MISREAD), JSON).json()["preview"]["token"]

    _set_role(client, csrf, token, 3, "baseline", year="2020")
    first = _set_role(client, csrf, token, 4, "target", JSON).json()["preview"]
    assert [c["key"] for c in first["columns"][0]["columns"]][3:5] == ["baseline", "target"]
    fixed = _set_role(client, csrf, token, 4, "target", JSON, year="2025").json()["preview"]
    assert _roles(fixed)[3:5] == [
        ("甲栏", "baseline", 1.0, "mapping", True, ["33", "94.1", "40.2"]),
        ("乙栏", "target", 1.0, "mapping", True, ["≤28", "≥97", "≥38"]),
    ]
    columns = fixed["columns"][0]["columns"][3:5]
    assert [(c["key"], c["year"]) for c in columns] == [("baseline", 2020), ("target_2025", 2025)]
    # read as the plainly headed plan is: the same findings, the same ids
    assert [f["id"] for f in fixed["check"]["findings"]] == [PROSE, WEAK]
    weak = fixed["check"]["findings"][1]
    assert weak["message_zh"] == "“森林覆盖率”越高越好，2025年目标 ≥38 劣于基准值 40.2"
    plan_id = _confirm(client, csrf, token)
    rows = client.get(f"/plans/{plan_id}.json?region={DISTRICT_A}").json()["indicators"]
    assert [(r["name"], [t["text"] for t in r["targets"]]) for r in rows] == [
        ("细颗粒物（PM2.5）年均浓度", ["≤28"]),
        ("城镇污水处理率", ["≥97"]),
        ("森林覆盖率", ["≥38"]),
    ]

    again = _preview(client, csrf, plan_text(MISREAD), JSON).json()["preview"]
    assert again["columns_reused"] is True
    assert [r[1:5] for r in _roles(again)[3:5]] == [
        ("baseline", 1.0, "mapping", True),
        ("target", 1.0, "mapping", True),
    ]
    assert not any(again["diff"]["indicators"][k] for k in ("added", "removed", "changed"))
    assert 'id="columns-reused"' in _preview(client, csrf, plan_text(MISREAD)).text


@pytest.mark.parametrize(
    ("token", "role", "year", "status"),
    [
        ("not-the-token", "baseline", "", 404),
        (None, "bogus", "", 422),
        (None, "<b>", "", 422),
        (None, "target", "20x5", 422),
        (None, "baseline", "1800", 422),
    ],
)
def test_a_bad_role_change_is_refused_and_changes_nothing(admin, token, role, year, status) -> None:
    client, csrf = admin
    pending = _preview(client, csrf, plan_text(MISREAD), JSON).json()["preview"]["token"]
    refused = _set_role(client, csrf, token or pending, 3, role, JSON, year=year)
    assert refused.status_code == status, refused.text
    body = refused.json()
    assert body.get("error") or body.get("detail")
    _confirm(client, csrf, pending)
    again = _preview(client, csrf, plan_text(MISREAD), JSON).json()["preview"]
    assert again["columns_reused"] is False  # no mapping was stored
    assert [c["role"] for c in again["columns"][0]["columns"]][3:5] == ["other", "other"]


def test_findings_are_shown_stored_with_the_version_and_accepted_as_is(admin, store_app) -> None:
    client, csrf = admin
    html = _preview(client, csrf, plan_text()).text
    assert "2025年目标 ≥38 劣于基准值 40.2" in html and 'id="findings"' in html
    preview = _preview(client, csrf, plan_text(), JSON).json()["preview"]
    findings = preview["check"]["findings"]
    assert [(f["id"], f["severity"]) for f in findings] == [(PROSE, "error"), (WEAK, "warning")]
    prose, weak = findings
    # the upload's name, not its folder on the server
    assert preview["check"]["source"] == "plan.txt"
    assert {loc["file"] for f in findings for loc in f["locations"]} == {"plan.txt"}
    assert [(loc["line_start"], loc["column"], loc["text"]) for loc in prose["locations"]] == [
        (16, "baseline", "33"),
        (4, None, "细颗粒物年均浓度为35微克/立方米"),
    ]
    assert weak["values"] == {
        "name": "森林覆盖率",
        "baseline": "40.2",
        "target": "≥38",
        "better": "higher",
    }
    plan_id = _confirm(client, csrf, preview["token"])

    page = client.get(f"/plans/{plan_id}/findings.json").json()
    assert [f["id"] for f in page["shown"]] == [PROSE, WEAK] and page["version"] == 1
    assert "accept-finding" in client.get(f"/plans/{plan_id}/findings").text
    with TestClient(store_app) as viewer:
        viewer_csrf = sign_in(viewer, "viewer")
        assert "accept-finding" not in viewer.get(f"/plans/{plan_id}/findings").text
        refused = viewer.post(
            f"/plans/{plan_id}/findings/accept",
            data={"finding": WEAK, "csrf_token": viewer_csrf},
            follow_redirects=False,
        )
        assert refused.status_code == 403
    accepted = client.post(
        f"/plans/{plan_id}/findings/accept",
        data={"finding": WEAK, "csrf_token": csrf},
        follow_redirects=False,
    )
    assert accepted.status_code == 303, accepted.text
    audit = client.get("/audit.json?entity=finding").json()
    assert any(e["key"].endswith(WEAK) for e in audit["entries"])

    # the next version: the accepted finding stays hidden, a changed one is new and shown
    following = _preview(client, csrf, plan_text(forest_target="≥39"), JSON).json()["preview"]
    kinds = [(f["id"] == WEAK, f["kind"]) for f in following["check"]["findings"]]
    assert kinds == [(False, "prose.value"), (False, "target.weaker_than_baseline")]
    same = _preview(client, csrf, plan_text(), JSON).json()["preview"]
    assert [f["id"] for f in same["check"]["findings"]] == [PROSE]
    assert same["check"]["accepted"] == [WEAK]
    _confirm(client, csrf, same["token"])
    page = client.get(f"/plans/{plan_id}/findings.json").json()
    assert page["version"] == 2
    assert [f["id"] for f in page["shown"]] == [PROSE]
    assert [f["id"] for f in page["accepted"]] == [WEAK]
