"""Property-based run of ``/api/v1`` (schemathesis against its OpenAPI document): whatever the
generated request, the API answers without a server error (5xx), and its answers conform to
the documented response schemas."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from ecociv.store.db import create_engine_for, session_factory, unit_of_work
from ecociv.store.services import users


@pytest.fixture()
def admin_token(web_settings, seeded) -> str:
    engine = create_engine_for(web_settings.database_url)
    with unit_of_work(session_factory(engine)) as db:
        _, secret = users.create_token(db, "test", user_name="admin", token_name="schemathesis")
    engine.dispose()
    return secret


@pytest.fixture()
def api_schema(app):
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_answers_with_a_server_error(case, admin_token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {admin_token}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
