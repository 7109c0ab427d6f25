"""The page cache (ecociv.web.page_cache): kept answers are served without rendering, and never
once anything they depend on has changed — a write, another user, a revoked session, a new
notification — nor to API tokens."""

from __future__ import annotations

import re

import anyio
import pytest
from fastapi.testclient import TestClient

from conftest import CITY, DISTRICT_A
from ecociv import notify
from ecociv.store.db import unit_of_work
from ecociv.store.services import plans, users
from ecociv.store.services.page_state import PageState
from ecociv.web.page_cache import Kept, PageCacheMiddleware, PageStore, _names


@pytest.fixture()
def counted(monkeypatch):
    """How many times a page function loaded its plan (once per rendering)."""
    calls = []
    original = plans.get_plan

    def get_plan(db, plan_id):
        calls.append(plan_id)
        return original(db, plan_id)

    monkeypatch.setattr(plans, "get_plan", get_plan)
    return calls


def _pm25(client, plan_id: int) -> dict:
    rows = client.get(f"/plans/{plan_id}.json?region={DISTRICT_A}").json()["indicators"]
    return next(r for r in rows if r["name"].startswith("细颗粒物"))


def test_a_second_request_is_served_without_rendering(client_as, seeded, counted):
    client, _ = client_as("viewer")
    path = f"/plans/{seeded['plan_id']}"
    first = client.get(path)
    rendered = len(counted)
    second = client.get(path)
    assert len(counted) == rendered  # the page function did not run again
    assert second.content == first.content
    assert second.headers["etag"] == first.headers["etag"]
    assert second.headers["cache-control"] == "private, no-cache"
    assert second.headers["x-frame-options"] == "DENY"  # the security headers still apply


def test_a_write_is_seen_at_once(client_as, seeded):
    client, token = client_as("editor_a")
    plan_id, code = seeded["plan_id"], seeded["codes"][0]
    before = _pm25(client, plan_id)
    assert _pm25(client, plan_id) == before  # kept
    response = client.post(
        f"/plans/{plan_id}/indicators/{code}/observations",
        data={"region": DISTRICT_A, "year": "2024", "text": "27", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:300]
    after = _pm25(client, plan_id)
    assert (after["year"], after["latest"]["text"]) == (2024, "27")


def test_if_none_match_gets_304_until_the_data_change(client_as, seeded):
    client, token = client_as("editor_a")
    plan_id, code = seeded["plan_id"], seeded["codes"][0]
    path = f"/plans/{plan_id}/readiness?region={DISTRICT_A}"
    etag = client.get(path).headers["etag"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert (again.status_code, again.content) == (304, b"")
    assert again.headers["etag"] == etag
    listed = client.get(path, headers={"If-None-Match": f'"other", W/{etag}'})
    assert listed.status_code == 304
    client.post(
        f"/plans/{plan_id}/indicators/{code}/observations",
        data={"region": DISTRICT_A, "year": "2024", "text": "26", "csrf_token": token},
    )
    changed = client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag


def test_each_user_gets_their_own_page(client_as, seeded):
    path = f"/plans/{seeded['plan_id']}.json?region={CITY}"
    editor, _ = client_as("editor_city")
    viewer, _ = client_as("viewer")
    for _ in range(2):
        assert editor.get(path).json()["editable"] is True
        assert viewer.get(path).json()["editable"] is False


def test_a_signed_out_cookie_gets_no_kept_page(app, client_as, seeded):
    client, token = client_as("viewer")
    path = f"/plans/{seeded['plan_id']}"
    assert client.get(path).status_code == 200
    copied = dict(client.cookies)
    client.post("/logout", data={"csrf_token": token})
    with TestClient(app, cookies=copied) as thief:
        response = thief.get(path, follow_redirects=False)
    assert response.status_code in (303, 401)
    assert "cache-control" not in response.headers


def test_a_new_notification_shows_in_the_navigation(app, client_as, seeded):
    client, _ = client_as("viewer")
    path = f"/plans/{seeded['plan_id']}"
    assert 'id="unread-count"' not in client.get(path).text
    with unit_of_work(app.state.sessions) as db:
        notify.notify(db, recipients=["viewer"], kind="handoff", subject="交办", body="请整改")
    assert 'id="unread-count">1<' in client.get(path).text


def test_the_language_is_part_of_the_key(client_as, seeded):
    client, _ = client_as("viewer")
    path = f"/plans/{seeded['plan_id']}"
    assert '<html lang="zh-CN">' in client.get(path).text
    assert '<html lang="en">' in client.get(f"{path}?lang=en").text
    for _ in range(2):  # the session now says English, kept or not
        assert '<html lang="en">' in client.get(path).text


def test_api_tokens_are_never_served_a_kept_page(app, seeded, counted):
    with unit_of_work(app.state.sessions) as db:
        _, secret = users.create_token(db, "test", user_name="admin", token_name="cache")
    seen = []
    with TestClient(app, headers={"Authorization": f"Bearer {secret}"}) as client:
        for _ in range(2):
            response = client.get(f"/plans/{seeded['plan_id']}.json")
            assert response.status_code == 200
            assert "cache-control" not in response.headers
            seen.append(len(counted))
    assert 0 < seen[0] < seen[1]  # rendered each time


def test_a_page_not_marked_cacheable_is_rendered_each_time(client_as, seeded, counted):
    client, _ = client_as("viewer")
    seen = []
    for _ in range(2):
        response = client.get(f"/plans/{seeded['plan_id']}/projects")
        assert response.status_code == 200 and "cache-control" not in response.headers
        seen.append(len(counted))
    assert 0 < seen[0] < seen[1]


def _kept(size: int) -> Kept:
    return Kept(headers=(), body=b"x" * size, etag=b'"e"')


def test_the_store_drops_the_least_recently_used_answers_beyond_its_bytes():
    store = PageStore(max_bytes=100)
    store.put("a", _kept(40))
    store.put("b", _kept(40))
    assert store.get("a") is not None  # a is now the most recently used
    store.put("c", _kept(40))
    assert (store.get("a") is not None, store.get("b"), store.get("c") is not None) == (
        True,
        None,
        True,
    )
    store.put("a", _kept(10))  # replacing an answer counts its new size only
    store.put("d", _kept(50))
    assert len(store) == 3


@pytest.mark.parametrize(
    ("header", "named"),
    [
        (b'"e"', True),
        (b'W/"e"', True),
        (b'"x", "e"', True),
        (b"*", True),
        (b'"x"', False),
        (b"", False),
        (b'"e', False),
    ],
)
def test_if_none_match_is_read_as_a_list_of_tags(header, named):
    assert _names(header, b'"e"') is named


def test_concurrent_requests_for_one_page_cost_one_rendering():
    """Fifty screens asking at once right after a write: one rendering, fifty answers."""
    renderings = []

    async def slow_page(scope, receive, send):
        renderings.append(scope["path"])
        await anyio.sleep(0.05)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"page"})

    cache = PageCacheMiddleware(
        slow_page,
        paths=[re.compile("/plans/1")],
        state=lambda key: PageState(revision=7, user_id=1, unread=0),
        session_key="sid",
    )
    bodies = []

    async def ask():
        sent = []

        async def send(message):
            sent.append(message)

        scope = {
            "type": "http",
            "method": "GET",
            "path": "/plans/1",
            "query_string": b"",
            "headers": [],
            "session": {"sid": "k"},
        }
        await cache(scope, None, send)
        bodies.append(b"".join(m.get("body", b"") for m in sent))

    async def main():
        async with anyio.create_task_group() as group:
            for _ in range(50):
                group.start_soon(ask)

    anyio.run(main)
    assert renderings == ["/plans/1"]
    assert bodies == [b"page"] * 50
