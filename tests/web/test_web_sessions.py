"""Issue 18 #5: sessions end on the server, and sign-in is throttled.

A cookie copied before sign-out (or before a password change) no longer reads or writes;
repeated failures lock the account, and a client address, for the window; every failure and
lockout is audited, and the limits are the settings' values.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from conftest import DISTRICT_A, PASSWORD, csrf_of, sign_in
from ecociv.store.db import unit_of_work
from ecociv.store.models import AuditEntry, LoginAttempt
from ecociv.store.services import users
from ecociv.web.app import SESSION_COOKIE, create_app


def _copy_of(client: TestClient, app) -> TestClient:
    thief = TestClient(app)
    thief.cookies.set(SESSION_COOKIE, client.cookies[SESSION_COOKIE])
    return thief


def _can_write(client: TestClient, token: str, seeded) -> int:
    code = seeded["codes"][0]
    return client.put(
        f"/api/v1/regions/{DISTRICT_A}/observations/{code}/2023",
        json={"text": "29"},
        headers={"X-CSRF-Token": token},
    ).status_code


def test_a_cookie_copied_before_sign_out_stops_working(app, seeded) -> None:
    with TestClient(app) as client:
        token = sign_in(client, "editor_a")
        thief = _copy_of(client, app)
        assert thief.get("/regions").status_code == 200
        assert "editor_a" in thief.get("/regions").text
        client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
        assert thief.get("/regions", follow_redirects=False).status_code == 303
        assert _can_write(thief, token, seeded) == 401
        thief.close()


def test_signing_in_again_ends_the_browsers_previous_session(app, seeded) -> None:
    with TestClient(app) as client:
        sign_in(client, "editor_a")
        thief = _copy_of(client, app)
        sign_in(client, "editor_b")
        assert thief.get("/regions", follow_redirects=False).status_code == 303
        assert "editor_b" in client.get("/regions").text
        thief.close()


def test_a_password_change_ends_every_session(app, seeded) -> None:
    with TestClient(app) as client, TestClient(app) as other_device:
        token = sign_in(client, "editor_a")
        sign_in(other_device, "editor_a")
        with unit_of_work(app.state.sessions) as db:
            users.set_password(db, "test", "editor_a", "a-new-long-password")
        for device in (client, other_device):
            assert device.get("/regions", follow_redirects=False).status_code == 303
        assert _can_write(client, token, seeded) == 401


def _try(client: TestClient, name: str, password: str) -> int:
    response = client.post(
        "/login",
        data={"name": name, "password": password, "csrf_token": csrf_of(client)},
        follow_redirects=False,
    )
    return response.status_code


def _audit(app, action: str) -> list[str]:
    with app.state.sessions() as db:
        return list(db.scalars(select(AuditEntry.entity_key).where(AuditEntry.action == action)))


@pytest.mark.parametrize("limit", [1, 3, 5])
def test_an_account_is_locked_after_the_limit_and_unlocked_after_the_window(
    web_settings, seeded, limit: int
) -> None:
    app = create_app(web_settings.model_copy(update={"login_failures_per_account": limit}))
    with TestClient(app) as client:
        assert [_try(client, "editor_a", "wrong-password") for _ in range(limit)] == [401] * limit
        locked = client.post(
            "/login",
            data={"name": "editor_a", "password": PASSWORD, "csrf_token": csrf_of(client)},
            follow_redirects=False,
        )
        assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0
        assert "too many" in locked.text or "过多" in locked.text
        assert _try(client, "editor_b", PASSWORD) == 303  # another account is not locked
        assert _audit(app, "login_failed") == ["editor_a"] * limit
        assert _audit(app, "login_locked") == ["editor_a"]
        window = timedelta(minutes=web_settings.login_window_minutes)
        with unit_of_work(app.state.sessions) as db:
            for attempt in db.scalars(select(LoginAttempt)):
                attempt.at -= window
        assert _try(client, "editor_a", PASSWORD) == 303


def test_a_success_clears_the_accounts_count(web_settings, seeded) -> None:
    app = create_app(web_settings.model_copy(update={"login_failures_per_account": 3}))
    with TestClient(app) as client:
        assert [_try(client, "editor_a", "nope-nope") for _ in range(2)] == [401, 401]
        assert _try(client, "editor_a", PASSWORD) == 303
        assert [_try(client, "editor_a", "nope-nope") for _ in range(2)] == [401, 401]
        assert _try(client, "editor_a", PASSWORD) == 303


def test_an_address_trying_many_names_is_locked(web_settings, seeded) -> None:
    app = create_app(
        web_settings.model_copy(
            update={"login_failures_per_account": 100, "login_failures_per_address": 4}
        )
    )
    with TestClient(app) as client:
        names = ["admin", "viewer", "nobody", "editor_b"]
        assert [_try(client, name, "wrong-password") for name in names] == [401] * 4
        assert _try(client, "editor_a", PASSWORD) == 429
        assert _audit(app, "login_locked") == ["editor_a"]


def test_the_default_limits_are_the_documented_ones(web_settings) -> None:
    from pathlib import Path

    doc = (Path(__file__).parents[2] / "docs/platform.md").read_text(encoding="utf-8")
    for setting, value in (
        ("ECOCIV_LOGIN_FAILURES_PER_ACCOUNT", web_settings.login_failures_per_account),
        ("ECOCIV_LOGIN_FAILURES_PER_ADDRESS", web_settings.login_failures_per_address),
        ("ECOCIV_LOGIN_WINDOW_MINUTES", web_settings.login_window_minutes),
        ("ECOCIV_SESSION_HOURS", web_settings.session_hours),
    ):
        assert f"| `{setting}` | {value:g} |" in doc, setting
