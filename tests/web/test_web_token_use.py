"""Reading through the API with a token does not write in the request (issue 11): the token's
last-use time is written once, after the answer, in a transaction of its own."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from ecociv.store.db import create_engine_for, session_factory, unit_of_work
from ecociv.store.services import users


@pytest.fixture()
def token(web_settings, seeded) -> str:
    engine = create_engine_for(web_settings.database_url)
    with unit_of_work(session_factory(engine)) as db:
        _, secret = users.create_token(db, "test", user_name="viewer", token_name="reader")
    engine.dispose()
    return secret


@pytest.mark.parametrize("reads", [1, 4, 9])
def test_token_reads_write_the_last_use_once(app, token: str, seeded, reads: int) -> None:
    writes: list[str] = []

    def record(_conn, _cursor, statement: str, *_args) -> None:
        if statement.lstrip().split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            writes.append(statement.split("SET", 1)[0].strip())

    engine = app.state.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        with TestClient(app) as client:
            headers = {"Authorization": f"Bearer {token}"}
            paths = ["/api/v1/regions", f"/api/v1/plans/{seeded['plan_id']}/verdicts"]
            for n in range(reads):
                assert client.get(paths[n % 2], headers=headers).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert writes == ["UPDATE api_token"]
