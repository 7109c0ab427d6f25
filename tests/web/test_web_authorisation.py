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

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from starlette.routing import Mount

from conftest import CITY, DISTRICT_A

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
            found |= write_routes(route.original_router.routes, prefix)
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


CASES: dict[tuple[str, str], Case] = {
    ("POST", "/plans/{plan_id}/indicators/{code}/observations"): Case(_post_observation),
    ("POST", "/plans/{plan_id}/entry"): Case(_bulk_entry),
    ("POST", "/import/preview"): Case(_import_preview),
    ("POST", "/import/confirm"): Case(_import_confirm),
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
}
ACTORS = (None, "viewer", "editor_b", "editor_a", "editor_city", "admin")


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
