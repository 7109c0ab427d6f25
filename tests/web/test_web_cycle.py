"""The reporting cycle's pages (HTML and their JSON twins) and who may download evidence."""

from __future__ import annotations

import pytest
from cycle_cases import PDF, enter_owned_value

from conftest import CITY, DISTRICT_A, DISTRICT_B

READERS = ("viewer", "editor_a", "editor_b", "editor_city", "filler_a", "reviewer_a", "admin")


def test_the_filler_sees_their_task_and_the_bureau_the_overview(client_as, seeded) -> None:
    filler, _ = client_as("filler_a")
    tasks = filler.get("/tasks.json").json()["reports"]
    assert [(t["department"], t["region_code"], t["state"]) for t in tasks] == [
        ("生态环境局", DISTRICT_A, "draft")
    ]
    report = filler.get(f"/reports/{seeded['reports'][DISTRICT_A]}.json").json()
    assert report["can_fill"] is True and report["can_return"] is False
    assert [t["name"] for t in report["transitions"]] == ["submit"]
    assert [line["code"] for line in report["report"]["lines"]] == [seeded["codes"][0]]
    assert "填报中" in filler.get(f"/reports/{seeded['reports'][DISTRICT_A]}").text
    city, _ = client_as("editor_city")
    period = city.get(f"/periods/{tasks[0]['period_id']}.json").json()
    assert [(row["name"], row["reports"], row["filled"]) for row in period["by_department"]] == [
        ("生态环境局", 2, 0)
    ]
    assert sorted(row["name"] for row in period["by_region"]) == ["乙区", "甲区"]
    owners = city.get(f"/plans/{seeded['plan_id']}/cycle.json").json()
    assert [row["department_code"] for row in owners["indicators"]] == ["env", None]
    assert owners["editable"] is True and owners["periods"][0]["year"] == 2023
    assert client_as("reviewer_a")[0].get("/tasks.json").json()["reports"][0]["region_code"] == (
        DISTRICT_A
    )
    assert client_as("editor_b")[0].get("/tasks.json").json()["reports"][0]["region_code"] == (
        DISTRICT_B
    )


def test_the_manual_page_lists_what_needs_review_with_its_inputs(client_as, seeded) -> None:
    admin, token = client_as("admin")
    page = admin.get(f"/plans/{seeded['plan_id']}/manual.json?region={DISTRICT_A}").json()
    assert page["rows"] == []  # both indicators of the small plan are decided by the engine
    response = admin.post(
        f"/plans/{seeded['plan_id']}/judgements",
        data={
            "region": DISTRICT_A,
            "indicator_code": seeded["codes"][1],
            "year": "2022",
            "status": "met",
            "reason": "市考核通报认定完成",
            "csrf_token": token,
        },
        files={"file": ("通报.pdf", PDF, "application/pdf")},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    [row] = admin.get(f"/plans/{seeded['plan_id']}/manual.json?region={DISTRICT_A}").json()["rows"]
    assert row["judgement"]["reason"] == "市考核通报认定完成"
    assert [a["filename"] for a in row["evidence"]["manual_judgement"]] == ["通报.pdf"]
    assert "人工判定" in admin.get(f"/plans/{seeded['plan_id']}/manual?region={DISTRICT_A}").text


@pytest.fixture
def attached(client_as, seeded) -> int:
    """A PDF attached by filler_a to DISTRICT_A's 2023 value of env's indicator."""
    filler, token = client_as("filler_a")
    enter_owned_value(filler, seeded, DISTRICT_A)
    report = seeded["reports"][DISTRICT_A]
    response = filler.post(
        f"/reports/{report}/evidence",
        data={"indicator_code": seeded["codes"][0], "csrf_token": token},
        files={"file": ("监测报告.pdf", PDF, "application/pdf")},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    [line] = filler.get(f"/reports/{report}.json").json()["evidence"].values()
    return line[0]["id"]


@pytest.mark.parametrize("actor", (None, *READERS), ids=lambda a: a or "anonymous")
def test_evidence_is_downloaded_only_by_who_may_see_the_region(actor, attached, client_as):
    client, _ = client_as(actor)
    response = client.get(f"/evidence/{attached}", follow_redirects=False)
    sees = actor in {"viewer", "editor_a", "editor_city", "filler_a", "reviewer_a", "admin"}
    if sees:
        assert response.status_code == 200 and response.content == PDF
    else:
        assert response.status_code in (401, 403, 303), response.status_code


def test_admin_pages_create_what_they_show(client_as) -> None:
    admin, token = client_as("admin")
    for path, data in (
        ("/admin/departments", {"code": "water", "name": "水利局", "region": CITY}),
        (
            "/admin/regions",
            {"code": "990102001", "name": "某街道", "level": "town", "parent": DISTRICT_A},
        ),
        (
            "/admin/users",
            {
                "name": "filler_w",
                "password": "a-long-password",
                "role": "filler",
                "region": DISTRICT_A,
                "department": "water",
                "email": "w@bureau.test",
            },
        ),
    ):
        response = admin.post(path, data={**data, "csrf_token": token}, follow_redirects=False)
        assert response.status_code == 303, (path, response.text[:300])
    page = admin.get("/admin.json").json()
    assert {"code": "water", "name": "水利局", "region_code": CITY, "active": True} in page[
        "departments"
    ]
    assert any(r["code"] == "990102001" and r["level"] == "town" for r in page["regions"])
    user = next(u for u in page["users"] if u["name"] == "filler_w")
    assert (user["role"], user["department_code"], user["email"]) == (
        "filler",
        "water",
        "w@bureau.test",
    )
    refused = admin.post(
        "/admin/regions",
        data={
            "code": "990102001",
            "name": "重复",
            "level": "town",
            "parent": DISTRICT_A,
            "csrf_token": token,
        },
    )
    assert refused.status_code == 409 and "已存在" in refused.text
    assert client_as("editor_a")[0].get("/admin.json").status_code == 403


def test_the_dashboard_can_read_approved_data_only(client_as, seeded) -> None:
    from ecociv.cycle import approval

    admin, _ = client_as("admin")
    url = f"/plans/{seeded['plan_id']}.json?region={DISTRICT_A}"

    def latest(approved: bool) -> dict[str, int | None]:
        rows = admin.get(url + ("&approved=true" if approved else "")).json()["indicators"]
        return {row["code"]: row["year"] for row in rows}

    enter_owned_value(admin, seeded, DISTRICT_A)
    assert latest(False)[seeded["codes"][0]] == 2023
    assert latest(True) == {code: None for code in seeded["codes"]}
    from cycle_cases import as_setup

    report = seeded["reports"][DISTRICT_A]
    for version, step in enumerate(("submit", "review", "approve"), start=1):
        as_setup(
            admin,
            lambda db, step=step, version=version: approval.fire(
                db, "test", report, step, expected_version=version
            ),
        )
    assert latest(True) == {seeded["codes"][0]: 2023, seeded["codes"][1]: None}
    assert 'id="approved-only"' in admin.get(f"/plans/{seeded['plan_id']}?approved=true").text


def test_a_period_opens_for_the_regions_chosen(client_as, seeded) -> None:
    city, token = client_as("editor_city")
    form = city.get(f"/plans/{seeded['plan_id']}/cycle").text
    assert f'<option value="{DISTRICT_B}">乙区（县/区）</option>' in form
    response = city.post(
        f"/plans/{seeded['plan_id']}/periods",
        data={
            "year": "2024",
            "deadline": "2025-03-31",
            "region": [DISTRICT_A, DISTRICT_B],
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:300]
    period = city.get(response.headers["location"] + ".json").json()
    assert sorted(r["region_code"] for r in period["reports"]) == [DISTRICT_A, DISTRICT_B]
    again = city.post(
        f"/plans/{seeded['plan_id']}/periods",
        data={"year": "2024", "deadline": "2025-03-31", "csrf_token": token},
    )
    assert again.status_code == 409 and "已开启" in again.text
