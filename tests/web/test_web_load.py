"""No error under load (issue 11): 50 API clients for 10 s against a real ``ecociv serve`` on
127.0.0.1, on SQLite and on PostgreSQL — reads of verdicts, values, indicators and the
dashboard twin, and each client's own updates — every answer is the expected 200.

The driver is ``bench/bench_load.py`` (the 60 s figures in ``docs/platform.md`` come from it).
"""

from __future__ import annotations

import asyncio
import importlib.util
import sys
from pathlib import Path

import pytest

from ecociv.settings import load_settings

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_load.py"
CLIENTS, DURATION_S = 50, 10.0


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_load", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_fifty_clients_get_no_error(db_url: str, tmp_path: Path) -> None:
    bench = load_bench()
    settings = load_settings(data_dir=tmp_path, database_url=db_url, secret_key="load-test")
    store = bench.build_store(settings, CLIENTS)
    with bench.serving(settings) as url:
        report = asyncio.run(bench.run_load(url, store, CLIENTS, DURATION_S))
    summary = "\n".join(report.lines())
    assert report.errors == [], summary
    assert set(report.kinds) >= {"verdicts", "observations", "indicators", "dashboard"}, summary
    assert report.kinds["write"] > 0, summary
    assert report.statuses == {200: report.requests}, summary
