"""Property-based run of ``/api/v1`` (schemathesis against its OpenAPI document), as an
administrator: the coverage, fuzzing and stateful phases with a fixed seed and a bounded number
of examples, failing on any check (no 5xx, answers as documented, ``Allow`` on 405, invalid
requests refused, schema-valid ones accepted, …).

The phases run through schemathesis's engine (what its command line runs), not its pytest
plugin: the plugin's lazy fixtures write pytest's private ``Node._nodeid``, which pytest 9.2
removed, so this test runs on the locked versions and on the newest ones the ranges allow.

A value the store's rules refuse (a unit that is not the indicator's, an implausible number, a
text that is no value, an indicator the region's plans do not have) is a 422 the document cannot
predict, so ``positive_data_acceptance`` also expects 422; the stricter check below then fails
any schema-valid request refused *for its shape* — the document and the request models agree.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.engine import Status, from_schema
from schemathesis.engine import events as engine_events

from ecociv.store.db import create_engine_for, session_factory, unit_of_work
from ecociv.store.services import users
from ecociv.web.errors import REQUEST_INVALID

SEED = 20261111
MAX_EXAMPLES = 25
STATEFUL_RUN = settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    stateful_step_count=6,
    derandomize=True,
)
"""Ten sequences of up to six linked calls; derandomized, as the stateful phase takes no seed."""


@schemathesis.check
def shape_of_valid_requests_accepted(ctx, response, case):
    """A request generated from the document is never refused as malformed."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return None
    if (
        response.status_code == 422
        and (response.json() or {}).get("detail_en") == REQUEST_INVALID[1]
    ):
        raise AssertionError(
            f"a schema-valid request was refused as malformed: {response.text[:500]}"
        )
    return None


@pytest.fixture()
def admin_token(web_settings, seeded) -> str:
    engine = create_engine_for(web_settings.database_url)
    with unit_of_work(session_factory(engine)) as db:
        _, secret = users.create_token(db, "test", user_name="admin", token_name="schemathesis")
    engine.dispose()
    return secret


@pytest.fixture()
def api_schema(app, admin_token):
    config = schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "headers": {"Authorization": f"Bearer {admin_token}"},
            "phases": {
                "examples": {"enabled": False},
                "coverage": {"enabled": True},
                "fuzzing": {"enabled": True},
                "stateful": {"enabled": True},
            },
            "generation": {"max-examples": MAX_EXAMPLES},
            "checks": {
                "positive_data_acceptance": {
                    "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "422"]
                }
            },
        }
    )
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", app, config=config)


def test_api_keeps_its_contract(api_schema):
    """Coverage, fuzzing and stateful phases over every operation: no failed check, no error."""
    problems: list[str] = []
    scenarios = 0
    for event in from_schema(api_schema).execute():
        if isinstance(event, engine_events.ScenarioFinished):
            scenarios += 1
            if event.status in (Status.FAILURE, Status.ERROR):
                failed = {
                    check.name
                    for checks in event.recorder.checks.values()
                    for check in checks
                    if check.status == Status.FAILURE
                }
                problems.append(f"{event.phase} {event.recorder.label}: {event.status} {failed}")
        elif isinstance(event, engine_events.NonFatalError | engine_events.FatalError):
            problems.append(f"{type(event).__name__}: {getattr(event, 'label', '')} {event}")
    assert scenarios >= 10, f"only {scenarios} scenarios ran"
    assert not problems, "\n".join(problems)


def test_api_keeps_its_contract_across_calls(api_schema):
    api_schema.as_state_machine().run(settings=STATEFUL_RUN)
