"""Property-based run of ``/api/v1`` (schemathesis against its OpenAPI document): whatever the
generated request, the API answers without a server error (5xx), and its answers conform to
the documented response schemas.

The operations are driven through schemathesis's Python API (``APIOperation.as_strategy`` with
Hypothesis's ``@given``) rather than its pytest plugin: the plugin's lazy-fixture path writes
pytest's private ``Node._nodeid``, which pytest 9.2 removed, so the same test now runs on the
locked versions and on the newest ones the ranges allow.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from ecociv.store.db import create_engine_for, session_factory, unit_of_work
from ecociv.store.services import users

EXAMPLES_PER_OPERATION = 25


@pytest.fixture()
def admin_token(web_settings, seeded) -> str:
    engine = create_engine_for(web_settings.database_url)
    with unit_of_work(session_factory(engine)) as db:
        _, secret = users.create_token(db, "test", user_name="admin", token_name="schemathesis")
    engine.dispose()
    return secret


def test_api_never_answers_with_a_server_error(app, admin_token):
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    headers = {"Authorization": f"Bearer {admin_token}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10, "the OpenAPI document lists fewer operations than /api/v1 serves"
    failures: list[str] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            case.call_and_validate(
                headers=headers, checks=[not_a_server_error, response_schema_conformance]
            )

        try:
            run()
        except Exception as error:  # every operation is tried; all failures are reported together
            failures.append(f"{operation.label}: {error}")
    assert not failures, "\n\n".join(failures)
