"""The API keeps its contract (issue 11): text with control characters or lone surrogates is
refused with a 422 naming the field and the character, booleans are not numbers, the year
bounds of the document are the service's, a 405 lists the path's methods in ``Allow``, and
every error status an operation can answer is in the document."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DISTRICT_A
from ecociv.store.db import create_engine_for, session_factory, unit_of_work
from ecociv.store.services import users

THIS_YEAR = datetime.now(UTC).year
FORBIDDEN = st.one_of(
    st.sampled_from([chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20))]),
    st.sampled_from([chr(c) for c in range(0x7F, 0xA0)]),
    st.integers(0xD800, 0xDFFF).map(chr),
)
VISIBLE = st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), max_size=20)
FIXTURES = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture()
def api(app, web_settings, seeded):
    engine = create_engine_for(web_settings.database_url)
    with unit_of_work(session_factory(engine)) as db:
        _, secret = users.create_token(db, "test", user_name="admin", token_name="contract")
    engine.dispose()
    with TestClient(app, headers={"Authorization": f"Bearer {secret}"}) as client:
        yield client


def put_json(client: TestClient, url: str, body: dict):
    """PUT *body* as ASCII JSON, so that a lone surrogate travels as a ``\\udXXX`` escape."""
    return client.put(url, content=json.dumps(body), headers={"Content-Type": "application/json"})


def observation_url(seeded, year: int) -> str:
    return f"/api/v1/regions/{DISTRICT_A}/observations/{seeded['codes'][0]}/{year}"


@FIXTURES
@given(
    field=st.sampled_from(["text", "note", "source", "unit"]),
    before=VISIBLE,
    bad=FORBIDDEN,
    after=VISIBLE,
)
def test_observation_text_with_a_forbidden_character_is_refused(
    api, seeded, field, before, bad, after
):
    body = {"text": "28"} | {field: before + bad + after}
    answer = put_json(api, observation_url(seeded, 2023), body)
    assert answer.status_code == 422, answer.text
    problem = answer.json()["problems"][0]
    assert problem["loc"][-1] == field
    assert f"U+{ord(bad):04X}" in problem["msg"]
    assert f"第 {len(before) + 1} 个字符" in problem["msg"]
    stored = api.get(f"/api/v1/regions/{DISTRICT_A}/observations").json()
    assert [o["year"] for o in stored if o["indicator_code"] == seeded["codes"][0]] == [2021, 2022]


@FIXTURES
@given(before=VISIBLE, bad=FORBIDDEN)
def test_target_text_with_a_forbidden_character_is_refused(api, seeded, before, bad):
    url = f"/api/v1/plans/{seeded['plan_id']}/indicators/{seeded['codes'][0]}/targets/2030"
    answer = put_json(api, url, {"text": before + bad})
    assert answer.status_code == 422, answer.text
    assert f"U+{ord(bad):04X}" in answer.json()["problems"][0]["msg"]


def test_entry_form_refuses_a_nul_too(client_as, seeded):
    client, token = client_as("editor_a")
    answer = client.post(
        f"/plans/{seeded['plan_id']}/indicators/{seeded['codes'][0]}/observations",
        data={"region": DISTRICT_A, "year": "2023", "text": "2\x009", "csrf_token": token},
    )
    assert answer.status_code == 422
    assert "U+0000" in answer.text


def test_tabs_and_line_breaks_are_text(api, seeded):
    answer = put_json(api, observation_url(seeded, 2023), {"text": "28", "note": "一行\n二行\t注"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["note"] == "一行\n二行\t注"


@pytest.mark.parametrize(
    "body",
    [
        {"text": "28", "expected_version": True},
        {"text": "28", "expected_version": False},
        {"value": True},
        {"value": False, "text": "28"},
    ],
)
def test_booleans_are_not_numbers(api, seeded, body):
    answer = put_json(api, observation_url(seeded, 2021), body)
    assert answer.status_code == 422, answer.text
    assert "布尔值" in answer.json()["problems"][0]["msg"]


def test_a_whole_float_is_a_version(api, seeded):
    answer = put_json(api, observation_url(seeded, 2021), {"text": "29", "expected_version": 1.0})
    assert answer.status_code == 200, answer.text
    assert answer.json()["version"] == 2


def test_observation_years_end_with_this_year_in_the_document_and_the_service(api, seeded):
    document = api.get("/api/v1/openapi.json").json()
    put = document["paths"]["/regions/{code}/observations/{indicator_code}/{year}"]["put"]
    year = next(p for p in put["parameters"] if p["name"] == "year")["schema"]
    assert (year["minimum"], year["maximum"]) == (1949, THIS_YEAR)
    answer = put_json(api, observation_url(seeded, THIS_YEAR + 1), {"text": "28"})
    assert answer.status_code == 422  # the service's own rule, named (value_check)
    assert f"use 1949–{THIS_YEAR}" in answer.json()["detail_en"]
    assert put_json(api, observation_url(seeded, THIS_YEAR), {"text": "28"}).status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("POST", "/api/v1/regions/{region}/observations/{code}/2021", "DELETE, PUT"),
        ("PATCH", "/api/v1/regions/{region}/observations/{code}/2021", "DELETE, PUT"),
        ("PUT", "/api/v1/regions/{region}/observations/{code}/history", "GET"),
        ("DELETE", "/api/v1/regions", "GET"),
        ("TRACE", "/api/v1/plans/1", "GET"),
        ("DELETE", "/regions", "GET"),
    ],
)
def test_405_lists_the_methods_of_the_path(api, seeded, method, path, allow):
    url = path.format(region=DISTRICT_A, code=seeded["codes"][0])
    answer = api.request(method, url)
    assert answer.status_code == 405
    assert answer.headers["allow"] == allow


def test_every_operation_documents_its_error_answers(api):
    document = api.get("/api/v1/openapi.json").json()
    error_model = {"$ref": "#/components/schemas/ErrorOut"}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            for status in ("400", "401", "403", "404", "409", "413", "422"):
                assert status in responses, (method, path, status)
                body = responses[status]["content"]["application/json"]["schema"]
                assert body == error_model, (method, path, status)
