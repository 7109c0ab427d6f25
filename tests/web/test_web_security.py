"""CSRF, upload limits, API tokens, lost-update protection through the web."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient

from conftest import DISTRICT_A
from ecociv.store.db import create_engine_for, session_factory, unit_of_work
from ecociv.store.services import users


def _observation_url(seeded) -> str:
    return f"/plans/{seeded['plan_id']}/indicators/{seeded['codes'][0]}/observations"


def test_form_post_without_csrf_token_is_refused(client_as, seeded):
    client, _ = client_as("admin")
    response = client.post(
        _observation_url(seeded), data={"region": DISTRICT_A, "year": "2023", "text": "29"}
    )
    assert response.status_code == 403
    assert "防伪令牌" in response.text


def test_form_post_with_a_wrong_csrf_token_is_refused(client_as, seeded):
    client, _ = client_as("admin")
    response = client.post(
        _observation_url(seeded),
        data={"region": DISTRICT_A, "year": "2023", "text": "29", "csrf_token": "forged"},
    )
    assert response.status_code == 403


def test_htmx_header_token_is_accepted(client_as, seeded):
    client, token = client_as("editor_a")
    response = client.post(
        _observation_url(seeded),
        data={"region": DISTRICT_A, "year": "2023", "text": "29"},
        headers={"X-CSRF-Token": token, "HX-Request": "true"},
    )
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].endswith(f"region={DISTRICT_A}")


def test_login_itself_needs_the_csrf_token(app):
    with TestClient(app) as client:
        response = client.post("/login", data={"name": "admin", "password": "whatever-pass"})
    assert response.status_code == 403


def test_api_session_write_needs_csrf_header(client_as, seeded):
    client, _ = client_as("admin")
    url = f"/api/v1/regions/{DISTRICT_A}/observations/{seeded['codes'][0]}/2024"
    assert client.put(url, json={"text": "28"}).status_code == 403


def test_api_token_write_needs_no_csrf(app, web_settings, seeded):
    engine = create_engine_for(web_settings.database_url)
    with unit_of_work(session_factory(engine)) as db:
        _, secret = users.create_token(db, "test", user_name="editor_a", token_name="ci")
    engine.dispose()
    url = f"/api/v1/regions/{DISTRICT_A}/observations/{seeded['codes'][0]}/2024"
    with TestClient(app) as client:
        headers = {"Authorization": f"Bearer {secret}"}
        created = client.put(url, json={"text": "28", "source": "API"}, headers=headers)
        assert created.status_code == 200, created.text
        assert created.json()["value"] == 28 and created.json()["version"] == 1
        bad = client.put(url, json={"text": "27"}, headers={"Authorization": "Bearer eco_nope"})
        assert bad.status_code == 401
        assert bad.headers["www-authenticate"] == "Bearer"


def test_upload_over_the_limit_is_413(client_as, seeded):
    client, token = client_as("admin")
    big = b"x" * (1024 * 1024 + 10)  # the test settings allow 1 MB
    response = client.post(
        "/import/preview",
        data={"region": DISTRICT_A, "csrf_token": token},
        files={"file": ("plan.txt", big, "text/plain")},
    )
    assert response.status_code == 413
    assert "ECOCIV_MAX_UPLOAD_MB" in response.json()["detail"]


def test_upload_of_a_wrong_type_is_415(client_as, seeded):
    client, token = client_as("admin")
    response = client.post(
        "/import/preview",
        data={"region": DISTRICT_A, "csrf_token": token},
        files={"file": ("plan.pdf", b"%PDF-1.4 ...", "application/pdf")},
    )
    assert response.status_code == 415
    assert ".docx" in response.text


def test_renamed_binary_is_415(client_as, seeded):
    client, token = client_as("admin")
    response = client.post(
        f"/plans/{seeded['plan_id']}/entry",
        data={"region": DISTRICT_A, "csrf_token": token},
        files={"file": ("entry.xlsx", io.BytesIO(b"not a zip at all"), "application/octet-stream")},
    )
    assert response.status_code == 415


def test_second_editor_saving_a_stale_version_is_told(client_as, seeded):
    first, token_1 = client_as("editor_a")
    second, token_2 = client_as("admin")
    url = _observation_url(seeded)
    form = {"region": DISTRICT_A, "year": "2021", "expected_version": "1"}
    assert (
        first.post(
            url, data={**form, "text": "30", "csrf_token": token_1}, follow_redirects=False
        ).status_code
        == 303
    )
    lost = second.post(
        url, data={**form, "text": "32", "csrf_token": token_2}, headers={"HX-Request": "true"}
    )
    assert lost.status_code == 409
    assert "editor_a" in lost.text  # who saved in between
    page = second.get(
        f"/plans/{seeded['plan_id']}/indicators/{seeded['codes'][0]}.json?region={DISTRICT_A}"
    ).json()
    stored = {v["year"]: v for v in page["values"]}
    assert stored[2021]["value"] == 30 and stored[2021]["version"] == 2
    assert [h["value"] for h in page["history"] if h["year"] == 2021] == [31]


def test_chunked_upload_over_the_limit_is_413(client_as, seeded):
    client, token = client_as("admin")

    def chunks():
        yield b'--x\r\nContent-Disposition: form-data; name="file"; filename="plan.txt"\r\n\r\n'
        for _ in range(20):
            yield b"y" * 100_000  # 2 MB in all, sent without a Content-Length

    response = client.post(
        "/import/preview",
        content=chunks(),
        headers={"Content-Type": "multipart/form-data; boundary=x", "X-CSRF-Token": token},
    )
    assert response.status_code == 413
