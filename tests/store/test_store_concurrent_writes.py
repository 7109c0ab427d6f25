"""Many writers at once through the service layer: every write succeeds, none waits past the
database's wait (issue 11: 50 API clients on the embedded SQLite default got
``database is locked`` when a writer polled past the busy timeout while others kept winning).

Each thread updates its own value in its own unit of work and holds the transaction a little
(a request that still has work to do after its first write, as under load); the wait is cut
to 2 s so that a writer left behind shows within the test."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session
from store_builders import ADMIN, make_plan

from ecociv.store import db
from ecociv.store.models import Observation
from ecociv.store.services import indicators, observations, plans

THREADS = 16
WRITES = 6
HOLD_S = 0.03
WAIT_MS = 2_000


@pytest.fixture
def values(tree: Session) -> list[dict]:
    """One value per thread: (region, indicator, year), entered at version 1."""
    version = plans.import_plan(tree, ADMIN, make_plan(), region_code="9901")
    codes = [row.code for row in indicators.list_indicators(tree, version.plan_id)]
    keys = [
        {"region_code": region, "indicator_code": code, "year": year}
        for region in ("990101", "990102")
        for code in codes
        for year in (2021, 2022)
    ][:THREADS]
    assert len(keys) == THREADS
    for key in keys:
        observations.save_observation(tree, ADMIN, value=50.0, **key)
    tree.commit()
    return keys


def test_concurrent_writers_all_succeed(
    db_url: str, values: list[dict], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", WAIT_MS)
    engine = db.create_engine_for(db_url, pool_size=THREADS, max_overflow=0)
    factory = db.session_factory(engine)
    errors: list[str] = []
    start = threading.Barrier(THREADS)

    def writer(n: int) -> None:
        key = values[n]
        start.wait()
        for round_ in range(WRITES):
            try:
                with db.unit_of_work(factory) as session:
                    observations.save_observation(
                        session,
                        f"writer-{n}",
                        value=50.0 + round_,  # close to the year before: no outlier
                        expected_version=round_ + 1,
                        **key,
                    )
                    time.sleep(HOLD_S)
            except Exception as exc:  # every failure is the finding
                errors.append(f"writer {n} round {round_}: {exc!r}"[:300])
                return

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not any(t.is_alive() for t in threads), "a writer hung"
        assert errors == [], f"{len(errors)} writers failed, first: {errors[:3]}"
        with Session(engine) as session:
            stored = session.scalars(select(Observation)).all()
        assert (
            sorted((o.version, o.value) for o in stored)
            == [(WRITES + 1, 50.0 + WRITES - 1)] * THREADS
        )
    finally:
        engine.dispose()


def test_a_write_after_reads_takes_the_write_lock_at_once(engine) -> None:
    """On SQLite the transaction begins with the first write (``BEGIN IMMEDIATE``), never as
    a read that later upgrades; the reads before it run outside the transaction."""
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's transaction modes only")
    with Session(engine) as session:
        raw = session.connection().connection.dbapi_connection
        seen: list[str] = []
        raw.set_trace_callback(lambda statement: seen.append(statement.split()[0:2]))
        session.execute(text("SELECT count(*) FROM region"))
        assert not raw.in_transaction
        session.execute(text("UPDATE region SET name = name WHERE code = 'none'"))
        assert raw.in_transaction
        session.commit()
        raw.set_trace_callback(None)
    assert seen == [
        ["SELECT", "count(*)"],
        ["BEGIN", "IMMEDIATE"],
        ["UPDATE", "region"],
        ["COMMIT"],
    ]


def test_a_token_use_mark_is_skipped_not_queued_while_another_writes(engine, tree) -> None:
    """The last-use mark waits :data:`TOKEN_USE_WAIT_S` for its turn, then gives up quietly
    (fifty clients starting at once queued fifty marks before their own writes)."""
    if engine.dialect.name != "sqlite":
        pytest.skip("the turn to write is SQLite's")
    from ecociv.store.services import users
    from ecociv.web.deps import TOKEN_USE_WAIT_S, record_token_use

    users.create_user(tree, ADMIN, name="loader", password=None, role="viewer")
    token, _ = users.create_token(tree, ADMIN, user_name="loader", token_name="etl")
    tree.commit()
    factory = db.session_factory(engine)
    with Session(engine) as holder:
        holder.execute(text("UPDATE region SET name = name WHERE code = '99'"))  # holds the turn
        started = time.monotonic()
        record_token_use(factory, token.id)
        waited = time.monotonic() - started
        holder.commit()
    assert TOKEN_USE_WAIT_S <= waited < TOKEN_USE_WAIT_S + 2
    tree.expire_all()
    assert tree.get(type(token), token.id).last_used_at is None
    record_token_use(factory, token.id)  # the database is free again: written
    tree.expire_all()
    assert tree.get(type(token), token.id).last_used_at is not None


def test_the_writer_turn_goes_to_waiters_in_the_order_they_came() -> None:
    turns = db.FifoLock()
    assert turns.acquire(0.1)
    assert not turns.acquire(0.05)  # held: a waiter gives up after its wait
    served: list[int] = []

    def wait_for_turn(n: int) -> None:
        assert turns.acquire(10)
        served.append(n)
        turns.release()

    threads = []
    for n in range(5):
        threads.append(threading.Thread(target=wait_for_turn, args=(n,)))
        threads[-1].start()
        while len(turns._waiters) < n + 1:  # queued before the next one comes
            time.sleep(0.001)
    turns.release()  # from this thread: the lock may be released by another than its taker
    for thread in threads:
        thread.join(timeout=10)
    assert served == [0, 1, 2, 3, 4]
    assert turns.acquire(0) and not turns._waiters
