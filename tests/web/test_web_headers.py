"""Issue 18 #9: security headers on every response, and pages that need nothing inline.

Every GET route of the app (pages, their JSON twins, downloads, the API, static files,
errors) carries the Content-Security-Policy, nosniff, frame and referrer headers; the
templates and the rendered pages hold no inline script, style attribute or event handler
that the policy (``'self'`` only) would block.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.routing import APIRoute

from conftest import CITY, DISTRICT_A
from ecociv.web.headers import SECURITY_HEADERS

TEMPLATES = Path(__file__).parents[2] / "src/ecociv/web/templates"
INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>"),
    "style element": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def _urls(seeded: dict) -> dict[str, str]:
    plan, code = seeded["plan_id"], seeded["codes"][0]
    return {
        "/": "/",
        "/login": "/login",
        "/audit": "/audit",
        "/regions": "/regions",
        "/regions/{code}": f"/regions/{CITY}",
        "/regions/{code}/compare": f"/regions/{CITY}/compare?plan={plan}",
        "/regions/{code}/export": f"/regions/{DISTRICT_A}/export",
        "/plans/{plan_id}": f"/plans/{plan}?region={DISTRICT_A}",
        "/plans/{plan_id}/entry": f"/plans/{plan}/entry?region={DISTRICT_A}",
        "/plans/{plan_id}/entry/template.xlsx": f"/plans/{plan}/entry/template.xlsx",
        "/plans/{plan_id}/indicators/{code}": f"/plans/{plan}/indicators/{code}?region={DISTRICT_A}",
        "/plans/{plan_id}/indicators/{code}/check": (
            f"/plans/{plan}/indicators/{code}/check?region={DISTRICT_A}&year=2023&text=29"
        ),
        "/plans/{plan_id}/projects": f"/plans/{plan}/projects",
        "/plans/{plan_id}/versions": f"/plans/{plan}/versions",
        "/import": "/import",
        "/healthz": "/healthz",
    }


def _get_routes(app) -> set[str]:
    return {
        route.path
        for route in app.routes
        if isinstance(route, APIRoute)
        and "GET" in route.methods
        and not route.path.endswith(".json")
    }


def test_every_page_route_is_checked(app, seeded) -> None:
    assert _get_routes(app) - {"/healthz"} <= set(_urls(seeded)), "a GET route without a URL here"


def _assert_headers(response) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (response.url, name)


def test_every_page_and_its_json_twin_carry_the_headers(app, client_as, seeded) -> None:
    client, _ = client_as("admin")
    for url in _urls(seeded).values():
        response = client.get(url, follow_redirects=False)
        assert response.status_code < 400, (url, response.status_code)
        _assert_headers(response)
        if response.headers.get("content-type", "").startswith("text/html"):
            for name, pattern in INLINE.items():
                assert not pattern.search(response.text), (url, name)
            path, _, query = url.partition("?")
            if path != "/login":
                twin = client.get(f"{path}.json" + (f"?{query}" if query else ""))
                assert twin.status_code == 200, (url, twin.status_code)
                _assert_headers(twin)


@pytest.mark.parametrize(
    "url",
    [
        "/static/app.js",
        "/static/app.css",
        "/api/v1/regions",
        "/api/v1/openapi.json",
        "/regions.json",
        "/no/such/page",
        "/api/v1/regions/none",
    ],
)
def test_api_static_and_errors_carry_the_headers(url: str, client_as) -> None:
    client, _ = client_as("viewer")
    _assert_headers(client.get(url))


def test_anonymous_and_refused_responses_carry_the_headers(app, client_as) -> None:
    from fastapi.testclient import TestClient

    with TestClient(app) as anonymous:
        _assert_headers(anonymous.get("/regions", follow_redirects=False))
        _assert_headers(anonymous.get("/api/v1/regions"))
        too_large = anonymous.post("/login", content=b"x" * (2 * 1024 * 1024))
        assert too_large.status_code == 413
        _assert_headers(too_large)


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.glob("*.html")))
def test_templates_hold_nothing_inline(template: str) -> None:
    text = (TEMPLATES / template).read_text(encoding="utf-8")
    for name, pattern in INLINE.items():
        assert not pattern.search(text), (template, name)


@pytest.mark.parametrize(
    "name", ['ecociv-99"01.json', "ecociv-9901\r\nSet-Cookie: x=1.json", "ecociv-甲区.xlsx"]
)
def test_a_download_name_cannot_break_its_header(name: str) -> None:
    from ecociv.web.pages import attachment

    header = attachment(name)["Content-Disposition"]
    assert header.startswith('attachment; filename="') and header.count('"') == 2
    assert "\r" not in header and "\n" not in header and header.isascii()
