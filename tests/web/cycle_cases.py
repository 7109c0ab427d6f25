"""Requests of the reporting cycle's write routes for the authorisation matrices
(tests/web/test_web_authorisation.py): each acts on DISTRICT_A's report of the seeded 2023
period (department ``env``, owner of the plan's first indicator), on the city's plan, or on
the administration pages; the ``*_outside`` variants reach outside DISTRICT_A."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from conftest import CITY, DISTRICT_A, DISTRICT_B

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
"""A minimal PDF: the kind of file a scanned 佐证材料 is."""


def as_setup(client: TestClient, work) -> Any:
    """Run *work(db)* as the trusted test setup, committed before the request under test."""
    from ecociv.store.db import unit_of_work

    with unit_of_work(client.app.state.sessions) as db:
        return work(db)


def enter_owned_value(client: TestClient, seeded: dict[str, Any], region: str) -> None:
    from ecociv.store.services import observations

    as_setup(
        client,
        lambda db: observations.save_observation(
            db, "test", region_code=region, indicator_code=seeded["codes"][0], year=2023, text="29"
        ),
    )


def set_owner(client: TestClient, token: str, seeded: dict[str, Any]):
    return client.post(
        f"/plans/{seeded['plan_id']}/owners",
        data={"indicator_code": seeded["codes"][1], "department_code": "env", "csrf_token": token},
        follow_redirects=False,
    )


def open_period(client: TestClient, token: str, seeded: dict[str, Any]):
    return client.post(
        f"/plans/{seeded['plan_id']}/periods",
        data={"year": "2024", "deadline": "2025-03-31", "region": DISTRICT_A, "csrf_token": token},
        follow_redirects=False,
    )


def report_value(region: str):
    def call(client: TestClient, token: str, seeded: dict[str, Any]):
        return client.post(
            f"/reports/{seeded['reports'][region]}/values",
            data={"indicator_code": seeded["codes"][0], "text": "29", "csrf_token": token},
            follow_redirects=False,
        )

    return call


def submit(region: str, *, prepare: bool = True):
    """Submit env's report of *region* (its value entered first by the setup, when *prepare*)."""

    def call(client: TestClient, token: str, seeded: dict[str, Any]):
        if prepare:
            enter_owned_value(client, seeded, region)
        return client.post(
            f"/reports/{seeded['reports'][region]}/transition",
            data={"transition": "submit", "expected_version": "1", "csrf_token": token},
            follow_redirects=False,
        )

    return call


def value_evidence(region: str, *, prepare: bool = True):
    def call(client: TestClient, token: str, seeded: dict[str, Any]):
        if prepare:
            enter_owned_value(client, seeded, region)
        return client.post(
            f"/reports/{seeded['reports'][region]}/evidence",
            data={"indicator_code": seeded["codes"][0], "csrf_token": token},
            files={"file": ("监测报告.pdf", PDF, "application/pdf")},
            follow_redirects=False,
        )

    return call


def quota(region: str):
    def call(client: TestClient, token: str, seeded: dict[str, Any]):
        return client.post(
            f"/plans/{seeded['plan_id']}/quotas",
            data={
                "region": region,
                "indicator_code": seeded["codes"][1],
                "year": "2022",
                "text": "≥96",
                "source": "市政府〔2022〕5号",
                "csrf_token": token,
            },
            files={"file": ("下达文件.pdf", PDF, "application/pdf")},
            follow_redirects=False,
        )

    return call


def judgement(region: str):
    def call(client: TestClient, token: str, seeded: dict[str, Any]):
        return client.post(
            f"/plans/{seeded['plan_id']}/judgements",
            data={
                "region": region,
                "indicator_code": seeded["codes"][1],
                "year": "2022",
                "status": "met",
                "reason": "市考核通报认定完成",
                "csrf_token": token,
            },
            follow_redirects=False,
        )

    return call


def admin_user(client: TestClient, token: str, seeded: dict[str, Any]):
    return client.post(
        "/admin/users",
        data={
            "name": "filler_new",
            "password": "a-long-password",
            "role": "filler",
            "region": DISTRICT_A,
            "department": "env",
            "csrf_token": token,
        },
        follow_redirects=False,
    )


def admin_update_user(client: TestClient, token: str, seeded: dict[str, Any]):
    return client.post(
        "/admin/users/filler_a",
        data={"role": "filler", "region": DISTRICT_A, "active": "false", "csrf_token": token},
        follow_redirects=False,
    )


def admin_department(client: TestClient, token: str, seeded: dict[str, Any]):
    return client.post(
        "/admin/departments",
        data={"code": "water", "name": "水利局", "region": CITY, "csrf_token": token},
        follow_redirects=False,
    )


def admin_region(parent: str):
    def call(client: TestClient, token: str, seeded: dict[str, Any]):
        return client.post(
            "/admin/regions",
            data={
                "code": f"{parent}001",
                "name": "某街道",
                "level": "town",
                "parent": parent,
                "csrf_token": token,
            },
            follow_redirects=False,
        )

    return call


FILLERS_A = {"admin", "editor_a", "editor_city", "filler_a"}
"""Who fills in DISTRICT_A's report of env: admin, the editors over A, env's filler in A."""
JUDGES_A = {"admin", "editor_a", "editor_city", "approver_city"}
"""Who enters manual inputs for DISTRICT_A: its editors and the approvers over it."""
PLAN_EDITORS = {"admin", "editor_city"}

ROUTES: dict[tuple[str, str], tuple[Any, set[str]]] = {
    ("POST", "/plans/{plan_id}/owners"): (set_owner, PLAN_EDITORS),
    ("POST", "/plans/{plan_id}/periods"): (open_period, PLAN_EDITORS),
    ("POST", "/reports/{report_id}/values"): (report_value(DISTRICT_A), FILLERS_A),
    ("POST", "/reports/{report_id}/transition"): (submit(DISTRICT_A), FILLERS_A),
    ("POST", "/reports/{report_id}/evidence"): (value_evidence(DISTRICT_A), FILLERS_A),
    ("POST", "/plans/{plan_id}/quotas"): (quota(DISTRICT_A), JUDGES_A),
    ("POST", "/plans/{plan_id}/judgements"): (judgement(DISTRICT_A), JUDGES_A),
    ("POST", "/admin/users"): (admin_user, {"admin"}),
    ("POST", "/admin/users/{name}"): (admin_update_user, {"admin"}),
    ("POST", "/admin/departments"): (admin_department, {"admin"}),
    # A town under DISTRICT_A: the region service lets A's editors add it, as the CLI does.
    ("POST", "/admin/regions"): (admin_region(DISTRICT_A), {"admin", "editor_a", "editor_city"}),
}
"""route → (request, who may)"""

OUTSIDE: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/plans/{plan_id}/owners"): {"the city's plan": set_owner},
    ("POST", "/plans/{plan_id}/periods"): {"the city's plan": open_period},
    ("POST", "/reports/{report_id}/values"): {"sibling's report": report_value(DISTRICT_B)},
    ("POST", "/reports/{report_id}/transition"): {
        "sibling's report": submit(DISTRICT_B, prepare=False)
    },
    ("POST", "/reports/{report_id}/evidence"): {
        "sibling's value": value_evidence(DISTRICT_B, prepare=False)
    },
    ("POST", "/plans/{plan_id}/quotas"): {"sibling": quota(DISTRICT_B), "city": quota(CITY)},
    ("POST", "/plans/{plan_id}/judgements"): {
        "sibling": judgement(DISTRICT_B),
        "city": judgement(CITY),
    },
    ("POST", "/admin/users"): {"administration": admin_user},
    ("POST", "/admin/users/{name}"): {"administration": admin_update_user},
    ("POST", "/admin/departments"): {"administration": admin_department},
    ("POST", "/admin/regions"): {"town under sibling": admin_region(DISTRICT_B)},
}
