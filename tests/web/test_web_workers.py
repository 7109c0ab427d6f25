"""Several worker processes: how many ``ecociv serve`` starts, and no stale page in any of them
after a write (the assessment cache is keyed by the store's revision, which every process reads
from the database)."""

from __future__ import annotations

import os
import re
import socket
import statistics
import time

import httpx
import pytest
from web_live_server import PASSWORD, prepared_store

from conftest import DISTRICT_A, small_plan
from ecociv.cli.serve import MAX_DEFAULT_WORKERS, default_workers, listening_socket
from ecociv.store.db import create_engine_for, session_factory, unit_of_work
from ecociv.store.services import plans
from ecociv.web.local_server import served

pytestmark = [pytest.mark.slow]


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:", "sqlite:///file:x?mode=memory"])
def test_an_in_memory_database_gets_one_process(url):
    assert default_workers(url) == 1


@pytest.mark.parametrize(
    "url", ["sqlite:////srv/ecociv/ecociv.db", "postgresql+psycopg://ecociv@db/ecociv"]
)
def test_a_shared_database_gets_one_process_per_core(url):
    assert default_workers(url) == max(1, min(MAX_DEFAULT_WORKERS, os.cpu_count() or 1))


def test_no_worker_shows_a_page_older_than_the_last_write(tmp_path):
    settings = prepared_store(tmp_path, with_regions=True)
    engine = create_engine_for(settings.database_url)
    with unit_of_work(session_factory(engine)) as db:
        version = plans.import_plan(db, "test", small_plan(), region_code="990100")
        plan_id, code = version.plan_id, version.indicators[1].code
    engine.dispose()
    with served(settings, workers=2) as (url, _process):
        with httpx.Client(base_url=url, timeout=30) as client:
            login = client.get("/login").text
            token = re.search(r'name="csrf_token" value="([^"]+)"', login).group(1)
            client.post(
                "/login", data={"name": "editor_a", "password": PASSWORD, "csrf_token": token}
            )
            page = client.get("/regions").text
            token = re.search(r'"X-CSRF-Token": "([^"]+)"', page).group(1)
            path = f"/plans/{plan_id}/readiness.json?region={DISTRICT_A}"
            for _ in range(12):  # warm the caches of both processes
                assert client.get(path).status_code == 200
            for year, text in ((2023, "95.5"), (2024, "97.5")):
                response = client.post(
                    f"/plans/{plan_id}/indicators/{code}/observations",
                    data={
                        "region": DISTRICT_A,
                        "year": str(year),
                        "text": text,
                        "csrf_token": token,
                    },
                    follow_redirects=False,
                )
                assert response.status_code < 400, response.text[:300]
                for _ in range(12):
                    rows = client.get(path).json()["rows"]
                    sewage = next(r for r in rows if r["name"] == "城镇污水处理率")
                    assert (sewage["year"], sewage["value_text"]) == (year, text)


def test_the_server_socket_switches_nagle_off():
    sock = listening_socket("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
    finally:
        sock.close()


@pytest.mark.parametrize("workers", [1, 2])
def test_a_small_answer_is_not_held_back(tmp_path, workers):
    """``/healthz`` (headers, then 15 bytes) over one kept-alive connection: with Nagle's
    algorithm on, each answer waited for the client's delayed ACK, 40 ms on Linux."""
    settings = prepared_store(tmp_path, with_regions=False)
    with served(settings, workers=workers) as (url, _process):
        with httpx.Client(base_url=url, timeout=10) as client:
            client.get("/healthz")
            times = []
            for _ in range(15):
                started = time.perf_counter()
                assert client.get("/healthz").status_code == 200
                times.append(time.perf_counter() - started)
    assert statistics.median(times) < 0.030, times
