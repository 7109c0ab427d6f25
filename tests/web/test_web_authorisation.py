"""Every write route refuses anonymous users, viewers and editors of another region, and
lets the editor of the region (and an admin) through.

The list of write routes is read from the app itself; a new POST/PUT/PATCH/DELETE route
without a case below makes :func:`test_every_write_route_has_a_case` fail.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cycle_cases
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from starlette.routing import Mount
from work_write_cases import WORK_CASES, WORK_OUT_OF_SCOPE

from conftest import CITY, DISTRICT_A, DISTRICT_B

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
PUBLIC_WRITES = {("POST", "/login"), ("POST", "/logout")}
"""Write routes anyone may call: signing in, and signing out of one's own session."""


def write_routes(routes: list[Any], prefix: str = "") -> set[tuple[str, str]]:
    """(method, path) of every write route, through mounted apps and included routers."""
    found = set()
    for route in routes:
        if isinstance(route, Mount) and isinstance(route.app, FastAPI):
            found |= write_routes(route.app.routes, prefix + route.path)
        elif hasattr(route, "original_router"):  # an included APIRouter (FastAPI keeps it whole)
            context = getattr(route, "include_context", None)
            found |= write_routes(
                route.original_router.routes, prefix + (getattr(context, "prefix", "") or "")
            )
        elif isinstance(route, APIRoute):
            found |= {(m, prefix + route.path_format) for m in route.methods & WRITE_METHODS}
    return found


@dataclass
class Case:
    """How to call a write route against DISTRICT_A's data (or the city's plan), and who may:
    by default the admin and the editors whose subtree holds DISTRICT_A."""

    request: Callable[[TestClient, str, dict[str, Any]], Any]
    allowed: set[str] = field(default_factory=lambda: {"admin", "editor_a", "editor_city"})


def _post_observation(client: TestClient, token: str, seeded: dict[str, Any]):
    code = seeded["codes"][0]
    return client.post(
        f"/plans/{seeded['plan_id']}/indicators/{code}/observations",
        data={"region": DISTRICT_A, "year": "2023", "text": "29", "csrf_token": token},
        follow_redirects=False,
    )


def _template_for(client_admin: TestClient, plan_id: int) -> bytes:
    content = client_admin.get(f"/plans/{plan_id}/entry/template.xlsx?region={DISTRICT_A}").content
    book = load_workbook(io.BytesIO(content))
    sheet = book["填报"]
    sheet.cell(row=2, column=sheet.max_column, value=27)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _bulk_entry(client: TestClient, token: str, seeded: dict[str, Any]):
    return client.post(
        f"/plans/{seeded['plan_id']}/entry",
        data={"region": DISTRICT_A, "csrf_token": token},
        files={"file": ("entry.xlsx", seeded["template"], "application/octet-stream")},
        follow_redirects=False,
    )


def _import_preview(client: TestClient, token: str, seeded: dict[str, Any]):
    return client.post(
        "/import/preview",
        data={"region": DISTRICT_A, "csrf_token": token},
        files={"file": ("plan.txt", seeded["plan_text"], "text/plain")},
        follow_redirects=False,
    )


def _import_confirm(client: TestClient, token: str, seeded: dict[str, Any]):
    preview = _import_preview(client, token, seeded)
    if preview.status_code != 200:
        return preview
    pending = _pending_token(preview.text)
    return client.post(
        "/import/confirm", data={"token": pending, "csrf_token": token}, follow_redirects=False
    )


def _import_columns(client: TestClient, token: str, seeded: dict[str, Any]):
    preview = _import_preview(client, token, seeded)
    if preview.status_code != 200:
        return preview
    return _set_role(client, token, _pending_token(preview.text))


def _set_role(client: TestClient, token: str, pending: str):
    return client.post(
        "/import/columns",
        data={"token": pending, "table": "0", "column": "0", "role": "seq", "csrf_token": token},
        follow_redirects=False,
    )


FINDING = "target.weaker_than_baseline:0123456789ab"


def _accept_finding(client: TestClient, token: str, seeded: dict[str, Any]):
    """Accept a finding of the city's plan (its current version is given one first)."""
    from ecociv.store.db import unit_of_work
    from ecociv.store.services import plans

    with unit_of_work(client.app.state.sessions) as db:
        version = plans.get_version(db, seeded["plan_id"])
        version.findings = {"findings": [{"id": FINDING, "severity": "warning"}]}
    return client.post(
        f"/plans/{seeded['plan_id']}/findings/accept",
        data={"finding": FINDING, "csrf_token": token},
        follow_redirects=False,
    )


def _pending_token(html: str) -> str:
    marker = 'name="token" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def _exchange_import(client: TestClient, token: str, seeded: dict[str, Any]):
    return client.post(
        "/exchange/import",
        data={"csrf_token": token},
        files={"file": ("export.json", seeded["export"], "application/json")},
        follow_redirects=False,
    )


def _post_target(client: TestClient, token: str, seeded: dict[str, Any]):
    code = seeded["codes"][0]
    return client.post(
        f"/plans/{seeded['plan_id']}/indicators/{code}/targets",
        data={"year": "2025", "text": "≤27", "expected_version": "1", "csrf_token": token},
        follow_redirects=False,
    )


def _api_put_target(client: TestClient, token: str, seeded: dict[str, Any]):
    code = seeded["codes"][0]
    return client.put(
        f"/api/v1/plans/{seeded['plan_id']}/indicators/{code}/targets/2030",
        json={"text": "≤25"},
        headers={"X-CSRF-Token": token},
    )


def _api_put(client: TestClient, token: str, seeded: dict[str, Any]):
    code = seeded["codes"][0]
    return client.put(
        f"/api/v1/regions/{DISTRICT_A}/observations/{code}/2024",
        json={"text": "28"},
        headers={"X-CSRF-Token": token},
    )


def _api_delete(client: TestClient, token: str, seeded: dict[str, Any]):
    code = seeded["codes"][0]
    return client.delete(
        f"/api/v1/regions/{DISTRICT_A}/observations/{code}/2021?expected_version=1",
        headers={"X-CSRF-Token": token},
    )


def _read_notifications(client: TestClient, token: str, seeded: dict[str, Any]):
    return client.post("/notifications/read", data={"csrf_token": token}, follow_redirects=False)


def _default_standard(client: TestClient, token: str, seeded: dict[str, Any]):
    return client.post(
        f"/regions/{DISTRICT_A}/default-standard",
        data={"standard": "zj2019", "plan": str(seeded["plan_id"]), "csrf_token": token},
        follow_redirects=False,
    )


def _generate_report_page(client: TestClient, token: str, seeded: dict[str, Any]):
    return client.post(
        f"/plans/{seeded['plan_id']}/reports",
        data={"region": DISTRICT_A, "kind": "completion", "year": "2022", "csrf_token": token},
        follow_redirects=False,
    )


def _gep_workbook(code: str) -> bytes:
    from ecociv.gep.example import write_example

    out = io.BytesIO()
    write_example(out, region_name="甲区", region_code=code, year=2023)
    return out.getvalue()


def _gep_upload(client: TestClient, token: str, seeded: dict[str, Any]):
    region, names = seeded.get("region", DISTRICT_A), seeded.get("gep_workbook_of", DISTRICT_A)
    return client.post(
        f"/regions/{region}/gep",
        data={"year": "2023", "csrf_token": token},
        files={"file": ("gep.xlsx", _gep_workbook(names), "application/octet-stream")},
        follow_redirects=False,
    )


def _api_gep(client: TestClient, token: str, seeded: dict[str, Any]):
    region, names = seeded.get("region", DISTRICT_A), seeded.get("gep_workbook_of", DISTRICT_A)
    return client.post(
        f"/api/v1/regions/{region}/gep/2023",
        files={"file": ("gep.xlsx", _gep_workbook(names), "application/octet-stream")},
        headers={"X-CSRF-Token": token},
    )


def _api_generate_report(client: TestClient, token: str, seeded: dict[str, Any]):
    return client.post(
        f"/api/v1/plans/{seeded['plan_id']}/reports",
        json={"kind": "completion", "year": 2022, "region": DISTRICT_A, "format": "xlsx"},
        headers={"X-CSRF-Token": token},
    )


def _naming(region: str, request: Callable[..., Any]) -> Callable[..., Any]:
    """*request* for DISTRICT_A with a workbook whose 行政区划代码 is *region*."""

    def call(client: TestClient, token: str, seeded: dict[str, Any]):
        return request(client, token, {**seeded, "gep_workbook_of": region})

    return call


CASES: dict[tuple[str, str], Case] = {
    # Everyone signed in reads their own notifications; nobody else's can be named.
    ("POST", "/notifications/read"): Case(
        _read_notifications, allowed={"viewer", "editor_b", "editor_a", "editor_city", "admin"}
    ),
    ("POST", "/regions/{code}/gep"): Case(_gep_upload),
    ("POST", "/api/v1/regions/{code}/gep/{year}"): Case(_api_gep),
    ("POST", "/plans/{plan_id}/indicators/{code}/observations"): Case(_post_observation),
    ("POST", "/plans/{plan_id}/entry"): Case(_bulk_entry),
    ("POST", "/import/preview"): Case(_import_preview),
    ("POST", "/import/confirm"): Case(_import_confirm),
    ("POST", "/import/columns"): Case(_import_columns),
    # Accepting a finding is an edit of the plan, and the plan belongs to the city.
    ("POST", "/plans/{plan_id}/findings/accept"): Case(
        _accept_finding, allowed={"admin", "editor_city"}
    ),
    # A new region tree from an export: only an administrator may create a root region.
    ("POST", "/exchange/import"): Case(_exchange_import, allowed={"admin"}),
    ("PUT", "/api/v1/regions/{code}/observations/{indicator_code}/{year}"): Case(_api_put),
    # Targets belong to the plan, and the plan to the city: district editors may not change them.
    ("POST", "/plans/{plan_id}/indicators/{code}/targets"): Case(
        _post_target, allowed={"admin", "editor_city"}
    ),
    ("PUT", "/api/v1/plans/{plan_id}/indicators/{indicator_code}/targets/{year}"): Case(
        _api_put_target, allowed={"admin", "editor_city"}
    ),
    ("DELETE", "/api/v1/regions/{code}/observations/{indicator_code}/{year}"): Case(_api_delete),
    # The standard a region's readiness view opens with is an administrator's choice.
    ("POST", "/regions/{code}/default-standard"): Case(_default_standard, allowed={"admin"}),
    # A kept report is written for its region: the region's editors may, as for its values.
    ("POST", "/plans/{plan_id}/reports"): Case(_generate_report_page),
    ("POST", "/api/v1/plans/{plan_id}/reports"): Case(_api_generate_report),
}
CASES |= {route: Case(request, allowed) for route, (request, allowed) in cycle_cases.ROUTES.items()}
CASES[("POST", "/notifications/read")].allowed |= {"filler_a", "reviewer_a", "approver_city"}
# The platform's new roles: env's filler in DISTRICT_A may use the API on env's indicator
# (the first), which the generic cases write; a reviewer or an approver enters no data.
for _route in (
    ("PUT", "/api/v1/regions/{code}/observations/{indicator_code}/{year}"),
    ("DELETE", "/api/v1/regions/{code}/observations/{indicator_code}/{year}"),
):
    CASES[_route] = Case(CASES[_route].request, {"admin", "editor_a", "editor_city", "filler_a"})
CASES |= {
    route: Case(call) if allowed is None else Case(call, allowed=allowed)
    for route, (call, allowed) in WORK_CASES.items()
}
ACTORS = (
    None,
    "viewer",
    "editor_b",
    "editor_a",
    "editor_city",
    "filler_a",
    "reviewer_a",
    "approver_city",
    "admin",
)


def test_every_write_route_has_a_case(app):
    routes = write_routes(app.routes)
    assert ("POST", "/login") in routes  # the walk reaches the included routers
    assert routes - PUBLIC_WRITES == set(CASES), "a write route without an authorisation case"


@pytest.fixture(scope="session")
def write_payloads(seeded_template, tmp_path_factory) -> dict[str, Any]:
    """Request bodies for the write routes, made once on a copy of the seeded store: the
    entry template of DISTRICT_A, an export turned into a new root region, a plan file."""
    import shutil

    from conftest import settings_for, sign_in
    from ecociv.web.app import create_app

    folder = tmp_path_factory.mktemp("write-payloads")
    shutil.copyfile(seeded_template[0], folder / "web.db")
    seeded = seeded_template[1]
    with TestClient(create_app(settings_for(folder))) as admin:
        sign_in(admin, "admin")
        template = _template_for(admin, seeded["plan_id"])
        export = admin.get(f"/regions/{CITY}/export?format=json").json()
    return {
        **seeded,
        "template": template,
        "export": json.dumps(_as_new_root(export, "980100"), ensure_ascii=False).encode("utf-8"),
        "plan_text": (
            Path(__file__).parents[2] / "src/ecociv/demo/data/qinglan_plan.txt"
        ).read_bytes(),
    }


def _as_new_root(export: dict[str, Any], code: str) -> dict[str, Any]:
    """The city's own rows of an export, renamed to a region that does not exist yet."""
    tables = export["tables"]
    city = {**tables["regions"][0], "code": code}
    for name in (
        "plans",
        "plan_versions",
        "plan_indicators",
        "targets",
        "target_history",
        "projects",
        "accepted_findings",
    ):
        tables[name] = [
            {**row, "region": code} for row in tables[name] if row.get("region") == CITY
        ]
    tables["regions"] = [city]
    tables["observations"] = tables["observation_history"] = []
    return {**export, "region": code, "tables": tables}


@pytest.mark.parametrize("route", sorted(CASES), ids=lambda r: f"{r[0]} {r[1]}")
@pytest.mark.parametrize("actor", ACTORS, ids=lambda a: a or "anonymous")
def test_write_route_authorisation(route, actor, client_as, write_payloads):
    case = CASES[route]
    client, token = client_as(actor)
    response = case.request(client, token, write_payloads)
    if actor in case.allowed:
        assert response.status_code < 400, (route, actor, response.status_code, response.text[:300])
    else:
        expected = 401 if actor is None else 403
        assert response.status_code == expected, (
            route,
            actor,
            response.status_code,
            response.text[:300],
        )
        assert "防伪令牌" not in response.text  # refused for who they are, not for a missing token


# --------------------------------------------------------------------------- out-of-scope data
# (issue 18 #1)  Every write route, called by the editor of DISTRICT_A with data that lands
# outside DISTRICT_A (the sibling DISTRICT_B, the city, a region the file does not own), is
# refused and writes nothing — imports included.


def _state(app) -> tuple[int, ...]:
    from sqlalchemy import func, select

    from ecociv.store.models import AuditEntry, Observation, PlanVersion, Region, Target
    from ecociv.store.tables.notifications import Notification
    from ecociv.store.tables.reports import GeneratedReport

    with app.state.sessions() as db:
        by_users = select(func.count()).where(AuditEntry.actor != "test")  # "test": the setup
        read = select(func.count()).where(Notification.read_at.is_not(None))
        return (
            db.scalar(by_users),
            db.scalar(read),
            *(
                db.scalar(select(func.count()).select_from(model))
                for model in (Observation, PlanVersion, Region, Target, GeneratedReport)
            ),
        )


def _in(region: str, request: Callable[..., Any]) -> Callable[..., Any]:
    """*request* with its form or query region switched to *region*."""

    def call(client: TestClient, token: str, seeded: dict[str, Any]):
        return request(client, token, {**seeded, "region": region})

    return call


def _observation_in(client: TestClient, token: str, seeded: dict[str, Any]):
    code = seeded["codes"][0]
    return client.post(
        f"/plans/{seeded['plan_id']}/indicators/{code}/observations",
        data={"region": seeded["region"], "year": "2023", "text": "29", "csrf_token": token},
        follow_redirects=False,
    )


def _bulk_entry_of_sibling(client: TestClient, token: str, seeded: dict[str, Any]):
    return client.post(
        f"/plans/{seeded['plan_id']}/entry",
        data={"region": DISTRICT_A, "csrf_token": token},
        files={"file": ("entry.xlsx", seeded["template_b"], "application/octet-stream")},
        follow_redirects=False,
    )


def _preview_in(client: TestClient, token: str, seeded: dict[str, Any]):
    return client.post(
        "/import/preview",
        data={"region": seeded["region"], "csrf_token": token},
        files={"file": ("plan.txt", seeded["plan_text"], "text/plain")},
        follow_redirects=False,
    )


def _confirm_after_scope_change(client: TestClient, token: str, seeded: dict[str, Any]):
    """Preview in DISTRICT_A, lose DISTRICT_A (moved to DISTRICT_B), then confirm."""
    from ecociv.store.db import unit_of_work
    from ecociv.store.services import users

    preview = _import_preview(client, token, seeded)
    assert preview.status_code == 200, preview.text[:300]
    with unit_of_work(client.app.state.sessions) as db:
        users.update_user(db, "test", "editor_a", region_code=DISTRICT_B)
    return client.post(
        "/import/confirm",
        data={"token": _pending_token(preview.text), "csrf_token": token},
        follow_redirects=False,
    )


def _columns_after_scope_change(client: TestClient, token: str, seeded: dict[str, Any]):
    """Preview in DISTRICT_A, lose DISTRICT_A (moved to DISTRICT_B), then change a role."""
    from ecociv.store.db import unit_of_work
    from ecociv.store.services import users

    preview = _import_preview(client, token, seeded)
    assert preview.status_code == 200, preview.text[:300]
    with unit_of_work(client.app.state.sessions) as db:
        users.update_user(db, "test", "editor_a", region_code=DISTRICT_B)
    return _set_role(client, token, _pending_token(preview.text))


def _import_file(name: str) -> Callable[..., Any]:
    def call(client: TestClient, token: str, seeded: dict[str, Any]):
        return client.post(
            "/exchange/import",
            data={"csrf_token": token},
            files={"file": ("export.json", seeded["attacks"][name], "application/json")},
            follow_redirects=False,
        )

    return call


def _api_put_in(client: TestClient, token: str, seeded: dict[str, Any]):
    code = seeded["codes"][0]
    return client.put(
        f"/api/v1/regions/{DISTRICT_B}/observations/{code}/2024",
        json={"text": "28"},
        headers={"X-CSRF-Token": token},
    )


def _api_delete_in(client: TestClient, token: str, seeded: dict[str, Any]):
    code = seeded["codes"][0]
    return client.delete(
        f"/api/v1/regions/{DISTRICT_B}/observations/{code}/2021?expected_version=1",
        headers={"X-CSRF-Token": token},
    )


def _read_someone_elses_notification(client: TestClient, token: str, seeded: dict[str, Any]):
    from ecociv import notify
    from ecociv.store.db import unit_of_work

    with unit_of_work(client.app.state.sessions) as db:
        [row] = notify.notify(db, recipients=["admin"], kind="k", subject="s", body="b")
        other = row.id
    return client.post(
        "/notifications/read", data={"id": str(other), "csrf_token": token}, follow_redirects=False
    )


def _report_in(region: str, api: bool) -> Callable[..., Any]:
    """A report kept for *region*, outside editor_a's district."""

    def call(client: TestClient, token: str, seeded: dict[str, Any]):
        plan_id = seeded["plan_id"]
        if api:
            return client.post(
                f"/api/v1/plans/{plan_id}/reports",
                json={"kind": "completion", "year": 2022, "region": region, "format": "xlsx"},
                headers={"X-CSRF-Token": token},
            )
        return client.post(
            f"/plans/{plan_id}/reports",
            data={"region": region, "kind": "completion", "year": "2022", "csrf_token": token},
            follow_redirects=False,
        )

    return call


OUT_OF_SCOPE: dict[tuple[str, str], dict[str, Callable[..., Any]]] = {
    ("POST", "/notifications/read"): {"another user's": _read_someone_elses_notification},
    ("POST", "/regions/{code}/gep"): {
        "sibling": _in(DISTRICT_B, _naming(DISTRICT_B, _gep_upload)),
        "city": _in(CITY, _naming(CITY, _gep_upload)),
        "workbook of the sibling": _naming(DISTRICT_B, _gep_upload),
    },
    ("POST", "/api/v1/regions/{code}/gep/{year}"): {
        "sibling": _in(DISTRICT_B, _naming(DISTRICT_B, _api_gep)),
        "workbook of the sibling": _naming(DISTRICT_B, _api_gep),
    },
    ("POST", "/plans/{plan_id}/indicators/{code}/observations"): {
        "sibling": _in(DISTRICT_B, _observation_in),
        "city": _in(CITY, _observation_in),
    },
    ("POST", "/plans/{plan_id}/entry"): {"sibling template": _bulk_entry_of_sibling},
    ("POST", "/import/preview"): {
        "sibling": _in(DISTRICT_B, _preview_in),
        "city": _in(CITY, _preview_in),
    },
    ("POST", "/import/confirm"): {"scope lost after preview": _confirm_after_scope_change},
    ("POST", "/import/columns"): {"scope lost after preview": _columns_after_scope_change},
    ("POST", "/plans/{plan_id}/findings/accept"): {"the city's plan": _accept_finding},
    ("POST", "/exchange/import"): {
        name: _import_file(name)
        for name in ("sibling listed", "value in sibling", "value in city", "town under sibling")
    },
    ("PUT", "/api/v1/regions/{code}/observations/{indicator_code}/{year}"): {
        "sibling": _api_put_in
    },
    ("DELETE", "/api/v1/regions/{code}/observations/{indicator_code}/{year}"): {
        "sibling": _api_delete_in
    },
    ("POST", "/plans/{plan_id}/indicators/{code}/targets"): {"the city's plan": _post_target},
    ("PUT", "/api/v1/plans/{plan_id}/indicators/{indicator_code}/targets/{year}"): {
        "the city's plan": _api_put_target
    },
    ("POST", "/regions/{code}/default-standard"): {"an editor's own region": _default_standard},
    ("POST", "/plans/{plan_id}/reports"): {
        "sibling": _report_in(DISTRICT_B, api=False),
        "city": _report_in(CITY, api=False),
    },
    ("POST", "/api/v1/plans/{plan_id}/reports"): {
        "sibling": _report_in(DISTRICT_B, api=True),
        "city": _report_in(CITY, api=True),
    },
}
OUT_OF_SCOPE |= cycle_cases.OUTSIDE
OUT_OF_SCOPE |= WORK_OUT_OF_SCOPE
OUT_OF_SCOPE_CASES = [(route, name) for route, cases in OUT_OF_SCOPE.items() for name in cases]


def test_every_write_route_has_an_out_of_scope_case(app):
    assert write_routes(app.routes) - PUBLIC_WRITES == set(OUT_OF_SCOPE)


@pytest.fixture(scope="session")
def scope_payloads(write_payloads, seeded_template, tmp_path_factory) -> dict[str, Any]:
    """DISTRICT_B's entry template, and export files built by hand to reach outside
    DISTRICT_A: a new town under DISTRICT_A whose file also lists DISTRICT_B, puts a value in
    DISTRICT_B or in the city, or hangs the town under DISTRICT_B."""
    import shutil

    from conftest import settings_for, sign_in
    from ecociv.web.app import create_app

    folder = tmp_path_factory.mktemp("scope-payloads")
    shutil.copyfile(seeded_template[0], folder / "web.db")
    with TestClient(create_app(settings_for(folder))) as admin:
        sign_in(admin, "admin")
        content = admin.get(
            f"/plans/{write_payloads['plan_id']}/entry/template.xlsx?region={DISTRICT_B}"
        ).content
        export = admin.get(f"/regions/{DISTRICT_A}/export?format=json").json()
    book = load_workbook(io.BytesIO(content))
    book["填报"].cell(row=2, column=book["填报"].max_column, value=27)
    out = io.BytesIO()
    book.save(out)
    town = _as_town(export)
    value = town["tables"]["observations"][0]
    attacks = {
        "sibling listed": _with(
            town,
            regions=[
                *town["tables"]["regions"],
                {
                    **town["tables"]["ancestors"][-1],
                    "code": DISTRICT_B,
                    "level": "county",
                    "parent_code": CITY,
                },
            ],
            observations=[{**value, "region": DISTRICT_B, "year": 2020}],
        ),
        "value in sibling": _with(town, observations=[value, {**value, "region": DISTRICT_B}]),
        "value in city": _with(town, observations=[value, {**value, "region": CITY}]),
        "town under sibling": _under(town, DISTRICT_B),
    }
    return {
        **write_payloads,
        "template_b": out.getvalue(),
        "attacks": {k: json.dumps(v, ensure_ascii=False).encode() for k, v in attacks.items()},
    }


TOWN = "99010201"


def _as_town(export: dict[str, Any]) -> dict[str, Any]:
    """DISTRICT_A's export turned into a new town below DISTRICT_A with one value."""
    tables = export["tables"]
    district = tables["regions"][0]
    town = {**district, "code": TOWN, "name": "某镇", "level": "town", "parent_code": DISTRICT_A}
    ancestors = [*tables["ancestors"], district]
    value = {**tables["observations"][0], "region": TOWN, "version": 1}
    empty: dict[str, list[Any]] = {key: [] for key in tables}
    return {
        **export,
        "region": TOWN,
        "tables": {**empty, "ancestors": ancestors, "regions": [town], "observations": [value]},
    }


def _with(export: dict[str, Any], **tables: list[dict[str, Any]]) -> dict[str, Any]:
    return {**export, "tables": {**export["tables"], **tables}}


def _under(export: dict[str, Any], parent: str) -> dict[str, Any]:
    ancestors = [dict(row) for row in export["tables"]["ancestors"]]
    ancestors[-1].update(code=parent, name="乙区")
    town = {**export["tables"]["regions"][0], "parent_code": parent}
    return _with(export, ancestors=ancestors, regions=[town])


@pytest.mark.parametrize("case", OUT_OF_SCOPE_CASES, ids=lambda c: f"{c[0][0]} {c[0][1]} {c[1]}")
def test_out_of_scope_data_is_refused_and_nothing_is_written(case, app, client_as, scope_payloads):
    route, name = case
    client, token = client_as("editor_a")
    before = _state(app)
    response = OUT_OF_SCOPE[route][name](client, token, scope_payloads)
    assert response.status_code in (403, 404, 422), (
        route,
        name,
        response.status_code,
        response.text[:300],
    )
    assert _state(app) == before


def test_the_editor_imports_a_town_of_their_own_district_under_their_name(
    app, client_as, scope_payloads
):
    from ecociv.store.services import observations

    client, token = client_as("editor_a")
    town = json.loads(scope_payloads["attacks"]["value in city"])
    town["tables"]["observations"] = town["tables"]["observations"][:1]  # only the town's value
    town["tables"]["observations"][0]["updated_by"] = "admin"
    response = client.post(
        "/exchange/import",
        data={"csrf_token": token},
        files={"file": ("town.json", json.dumps(town).encode(), "application/json")},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:300]
    with app.state.sessions() as db:
        stored = observations.list_observations(db, TOWN)
        assert [o.updated_by for o in stored] == ["editor_a"]
