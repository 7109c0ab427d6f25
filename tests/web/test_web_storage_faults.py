"""Issue 18 #7 and the NUL finding of #8, on SQLite and PostgreSQL (``db_url``).

A database that cannot store answers with the documented JSON body (503) and the connection
keeps serving; a full disk under a plan upload leaves no file behind; uploads nobody confirms
are removed after the configured time; a NUL character is a clean 422 on both databases.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from conftest import DISTRICT_A, seed, settings_for, sign_in
from ecociv.store.db import unit_of_work
from ecociv.store.services import users
from ecociv.web.app import create_app

PLAN_TEXT = Path(__file__).parents[2] / "src/ecociv/demo/data/qinglan_plan.txt"


@pytest.fixture
def store(db_url: str, tmp_path: Path):
    settings = settings_for(tmp_path, db_url)
    return settings, seed(settings)


def _read_only_url(db_url: str, tmp_path: Path) -> str:
    if db_url.startswith("sqlite"):
        return f"sqlite:///file:{tmp_path / 'web.db'}?mode=ro&uri=true"
    from sqlalchemy.engine import make_url

    url = make_url(db_url)
    options = url.query["options"] + " -cdefault_transaction_read_only=on"
    return url.update_query_dict({"options": options}).render_as_string(hide_password=False)


def _token(settings) -> str:
    from ecociv.store.db import create_engine_for, session_factory

    engine = create_engine_for(settings.database_url)
    try:
        with unit_of_work(session_factory(engine)) as db:
            return users.create_token(db, "test", user_name="editor_a", token_name="t")[1]
    finally:
        engine.dispose()


def _assert_documented_body(response, status: int) -> None:
    assert response.status_code == status, response.text[:300]
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) >= {"detail", "detail_en", "where"}
    assert "Traceback" not in response.text


def test_a_read_only_database_gives_the_json_error_and_the_connection_lives(
    store, db_url: str, tmp_path: Path
) -> None:
    settings, seeded = store
    secret = _token(settings)
    read_only = settings.model_copy(update={"database_url": _read_only_url(db_url, tmp_path)})
    code = seeded["codes"][0]
    with TestClient(create_app(read_only)) as client:
        response = client.put(
            f"/api/v1/regions/{DISTRICT_A}/observations/{code}/2023",
            json={"text": "29"},
            headers={"Authorization": f"Bearer {secret}"},
        )
        _assert_documented_body(response, 503)
        assert "nothing was saved" in response.json()["detail_en"]
        assert client.get("/healthz").json() == {"status": "ok"}


def test_a_full_sqlite_database_gives_the_json_error(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    seeded = seed(settings)
    app = create_app(settings)
    with TestClient(app) as client:
        token = sign_in(client, "editor_a")
        engine = app.state.engine
        engine.dispose()

        @event.listens_for(engine, "connect")
        def full(dbapi_connection, _record) -> None:
            pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
            dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

        code = seeded["codes"][0]
        response = client.put(
            f"/api/v1/regions/{DISTRICT_A}/observations/{code}/2023",
            json={"text": "29", "note": "长" * 1_900},
            headers={"X-CSRF-Token": token},
        )
        _assert_documented_body(response, 503)
        assert "full" in response.json()["detail_en"]


def test_a_full_disk_under_a_plan_upload_leaves_nothing(store, monkeypatch) -> None:
    settings, _ = store

    monkeypatch.setattr(Path, "write_bytes", _full_disk_write_bytes(Path.write_bytes))
    with TestClient(create_app(settings)) as client:
        token = sign_in(client, "editor_a")
        response = client.post(
            "/import/preview",
            data={"region": DISTRICT_A, "csrf_token": token},
            files={"file": ("plan.txt", PLAN_TEXT.read_bytes(), "text/plain")},
            headers={"Accept": "application/json"},
        )
        _assert_documented_body(response, 503)
        assert "No space left" in response.json()["detail_en"]
        uploads = Path(settings.data_dir) / "uploads"
        assert not uploads.exists() or list(uploads.rglob("*")) == []
        assert client.get("/regions").status_code == 200


def _full_disk_write_bytes(real):
    """``Path.write_bytes`` as on a full disk for uploads: the file appears, the bytes do not."""

    def write_bytes(self: Path, data: bytes) -> int:
        if "uploads" in self.parts:
            real(self, b"")
            raise OSError(28, "No space left on device")
        return real(self, data)

    return write_bytes


def test_abandoned_uploads_are_removed_after_the_configured_time(store) -> None:
    settings, _ = store
    uploads = Path(settings.data_dir) / "uploads"
    old, young = uploads / "abandoned-token", uploads / "recent-token"
    for folder in (old, young):
        folder.mkdir(parents=True)
        (folder / "plan.txt").write_text("x", encoding="utf-8")
    stale = time.time() - settings.upload_ttl_hours * 3600 - 60
    os.utime(old, (stale, stale))
    with TestClient(create_app(settings)) as client:
        token = sign_in(client, "editor_a")
        response = client.post(
            "/import/preview",
            data={"region": DISTRICT_A, "csrf_token": token},
            files={"file": ("plan.txt", PLAN_TEXT.read_bytes(), "text/plain")},
        )
        assert response.status_code == 200, response.text[:300]
    assert not old.exists() and young.exists()


@pytest.mark.parametrize("field", ["text", "note", "source"])
def test_a_nul_character_is_a_clean_422(store, field: str) -> None:
    settings, seeded = store
    code = seeded["codes"][0]
    with TestClient(create_app(settings)) as client:
        token = sign_in(client, "editor_a")
        body = {"text": "29", field: "29\x00 注" if field == "text" else "年报\x00"}
        response = client.put(
            f"/api/v1/regions/{DISTRICT_A}/observations/{code}/2023",
            json=body,
            headers={"X-CSRF-Token": token},
        )
        _assert_documented_body(response, 422)
        form = client.post(
            f"/plans/{seeded['plan_id']}/indicators/{code}/observations",
            data={"region": DISTRICT_A, "year": "2024", "csrf_token": token, **body},
            headers={"Accept": "application/json"},
            follow_redirects=False,
        )
        assert form.status_code == 422, form.text[:300]
        listed = client.get(f"/api/v1/regions/{DISTRICT_A}/observations?indicator={code}").json()
        assert [o["year"] for o in listed] == [2021, 2022]
