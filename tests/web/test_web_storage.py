"""The web platform on both databases (SQLite and PostgreSQL, via the ``db_url`` fixture):
entry through a page and the API, history, and the lost-update guard."""

from __future__ import annotations

from fastapi.testclient import TestClient

from conftest import DISTRICT_A, seed, settings_for, sign_in
from ecociv.web.app import create_app


def test_entry_history_and_conflict_on_each_database(db_url, tmp_path):
    settings = settings_for(tmp_path, db_url)
    seeded = seed(settings)
    app = create_app(settings)
    code = seeded["codes"][1]
    with TestClient(app) as editor, TestClient(app) as admin:
        editor_token = sign_in(editor, "editor_a")
        admin_token = sign_in(admin, "admin")
        url = f"/plans/{seeded['plan_id']}/indicators/{code}/observations"
        saved = editor.post(
            url,
            data={
                "region": DISTRICT_A,
                "year": "2022",
                "text": "96.1",
                "expected_version": "1",
                "csrf_token": editor_token,
            },
            follow_redirects=False,
        )
        assert saved.status_code == 303
        api_url = f"/api/v1/regions/{DISTRICT_A}/observations/{code}/2022"
        stale = admin.put(
            api_url,
            json={"text": "97", "expected_version": 1},
            headers={"X-CSRF-Token": admin_token},
        )
        assert stale.status_code == 409
        assert stale.json()["current"]["version"] == 2
        fresh = admin.put(
            api_url,
            json={"text": "97", "expected_version": 2},
            headers={"X-CSRF-Token": admin_token},
        )
        assert fresh.status_code == 200 and fresh.json()["version"] == 3
        history = admin.get(f"/api/v1/regions/{DISTRICT_A}/observations/{code}/history").json()
        assert [(h["year"], h["version"], h["value"]) for h in history if h["year"] == 2022] == [
            (2022, 1, 95.5),
            (2022, 2, 96.1),
        ]
        duplicate = editor.post(
            url,
            data={"region": DISTRICT_A, "year": "2022", "text": "90", "csrf_token": editor_token},
            headers={"HX-Request": "true"},
        )
        assert duplicate.status_code == 409  # entering a year that has a value is not an overwrite
