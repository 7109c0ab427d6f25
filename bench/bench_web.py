"""Web platform speed: the dashboard of a plan with 50 indicators × 10 years.

    python bench/bench_web.py [--quick] [--requests N] [--clients C] [--duration S]

Two measurements, each with a baseline measured in the same run (``/healthz``: a route that
touches neither the database nor a template), and the ratio:

1. server time in-process (FastAPI TestClient, no network): median and p95 of N dashboard
   requests (HTML page and its JSON twin) against N ``/healthz`` requests;
2. a real uvicorn server on 127.0.0.1 (free port, separate process) under C concurrent
   clients for S seconds (httpx async, each client looping request → response): requests per
   second and error count, dashboard vs ``/healthz``.

Defaults: N=200, C=50, S=60; ``--quick``: N=30, C=10, S=5.  The store is a temporary SQLite
file: a city, a plan of 50 generated indicators (targets for 2025 and 2030) and values for
2015–2024, entered through the store's services like any user's values.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from ecociv import model
from ecociv.settings import load_settings
from ecociv.store.db import create_engine_for, session_factory, unit_of_work, upgrade
from ecociv.store.services import observations, plans, regions, users
from ecociv.web.local_server import served

REGION = "990100"
USER, PASSWORD = "bench", "bench-password-123"
INDICATORS, YEARS = 50, range(2015, 2025)


def synthetic_plan(count: int) -> model.Plan:
    """*count* numeric indicators over six domains, half higher-is-better, half lower."""
    rng = random.Random(7)
    columns = [
        model.Column(index=0, key="baseline", role="baseline", header="2015年", year=2015),
        model.Column(index=1, key="target_2025", role="target", header="2025年", year=2025),
        model.Column(index=2, key="target_2030", role="target", header="2030年", year=2030),
    ]
    domains = ("生态制度", "生态安全", "生态空间", "生态经济", "生态生活", "生态文化")
    rows = []
    for i in range(count):
        base = round(rng.uniform(20, 80), 1)
        higher = i % 2 == 0
        t25, t30 = (base * 1.15, base * 1.25) if higher else (base * 0.85, base * 0.75)
        op = "≥" if higher else "≤"
        rows.append(
            model.IndicatorRow(
                seq=str(i + 1),
                domain=domains[i % len(domains)],
                name=f"合成指标{i + 1:02d}{'比例' if higher else '浓度'}",
                unit="%" if higher else "mg/L",
                attribute="约束性",
                cells={
                    "baseline": model.Cell(text=f"{base}"),
                    "target_2025": model.Cell(text=f"{op}{t25:.1f}"),
                    "target_2030": model.Cell(text=f"{op}{t30:.1f}"),
                },
            )
        )
    return model.Plan(
        source=model.PlanSource(path="bench-plan.txt", format="tika"),
        metadata=model.PlanMetadata(
            name="基准测试规划", period_start=2016, period_end=2030, base_year=2015
        ),
        tables=[model.PlanTable(index=0, kind="indicator", columns=columns, rows=rows)],
    )


def build_store(folder: Path) -> tuple[object, int]:
    settings = load_settings(
        data_dir=folder, database_url=f"sqlite:///{folder / 'bench.db'}", secret_key="bench"
    )
    upgrade(settings.database_url)
    engine = create_engine_for(settings.database_url)
    rng = random.Random(11)
    with unit_of_work(session_factory(engine)) as db:
        regions.create_region(db, "bench", code=REGION, name="基准市", level="city")
        users.create_user(db, "bench", name=USER, password=PASSWORD, role="viewer")
        version = plans.import_plan(db, "bench", synthetic_plan(INDICATORS), region_code=REGION)
        for indicator in version.indicators:
            base = float(indicator.baseline_text or 50)
            step = base * rng.uniform(-0.02, 0.03)
            for k, year in enumerate(YEARS):
                value = round(base + step * k + rng.gauss(0, base * 0.01), 2)
                observations.save_observation(
                    db,
                    "bench",
                    region_code=REGION,
                    indicator_code=indicator.code,
                    year=year,
                    value=value,
                )
        plan_id = version.plan_id
    engine.dispose()
    return settings, plan_id


def timed(client, path: str, n: int) -> list[float]:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code}: {response.text[:200]}")
    return times


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def in_process(settings, plan_id: int, n: int) -> None:
    from fastapi.testclient import TestClient

    from ecociv.web.app import create_app

    with TestClient(create_app(settings)) as client:
        sign_in_sync(client)
        timed(client, f"/plans/{plan_id}", 3)  # warm-up: templates compiled, caches filled
        rows = [
            ("baseline /healthz", timed(client, "/healthz", n)),
            ("dashboard HTML", timed(client, f"/plans/{plan_id}", n)),
            ("dashboard JSON", timed(client, f"/plans/{plan_id}.json", n)),
        ]
    base = statistics.median(rows[0][1])
    print(
        f"\n1. in-process server time, {n} requests each ({INDICATORS} indicators × {len(YEARS)} years)"
    )
    print(f"   {'route':<20}{'median ms':>11}{'p95 ms':>10}{'× baseline':>12}")
    for name, times in rows:
        med = statistics.median(times)
        print(f"   {name:<20}{med * 1000:>11.2f}{p95(times) * 1000:>10.2f}{med / base:>12.1f}")


def sign_in_sync(client) -> None:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = client.post(
        "/login",
        data={"name": USER, "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    if response.status_code != 303:
        raise SystemExit(f"sign-in failed: HTTP {response.status_code}")


async def load(base_url: str, path: str, clients: int, duration: float, cookies) -> tuple[int, int]:
    done = errors = 0
    stop = time.monotonic() + duration
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async with httpx.AsyncClient(
        base_url=base_url, cookies=cookies, limits=limits, timeout=30
    ) as client:

        async def worker() -> None:
            nonlocal done, errors
            while time.monotonic() < stop:
                try:
                    response = await client.get(path)
                    if response.status_code != 200:
                        errors += 1
                except httpx.HTTPError:
                    errors += 1
                done += 1

        await asyncio.gather(*(worker() for _ in range(clients)))
    return done, errors


def concurrent(settings, plan_id: int, clients: int, duration: float) -> None:
    with served(settings) as (base_url, _process):
        with httpx.Client(base_url=base_url) as client:
            sign_in_sync(client)
            cookies = client.cookies
        print(
            f"\n2. real server (uvicorn, 1 process) on 127.0.0.1, {clients} clients × {duration:g} s each"
        )
        print(f"   {'route':<20}{'requests':>10}{'req/s':>10}{'errors':>8}{'× baseline':>12}")
        results = []
        for name, path in (
            ("baseline /healthz", "/healthz"),
            ("dashboard HTML", f"/plans/{plan_id}"),
        ):
            started = time.monotonic()
            done, errors = asyncio.run(load(base_url, path, clients, duration, cookies))
            rate = done / (time.monotonic() - started)
            results.append(rate)
            print(f"   {name:<20}{done:>10}{rate:>10.1f}{errors:>8}{rate / results[0]:>12.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small run: N=30, C=10, S=5")
    parser.add_argument("--requests", type=int)
    parser.add_argument("--clients", type=int)
    parser.add_argument("--duration", type=float)
    args = parser.parse_args()
    n = args.requests or (30 if args.quick else 200)
    clients = args.clients or (10 if args.quick else 50)
    duration = args.duration or (5.0 if args.quick else 60.0)
    with tempfile.TemporaryDirectory(prefix="ecociv-bench-web-") as folder:
        started = time.perf_counter()
        settings, plan_id = build_store(Path(folder))
        print(
            f"store built in {time.perf_counter() - started:.1f} s: {INDICATORS} indicators × {len(YEARS)} years"
        )
        in_process(settings, plan_id, n)
        concurrent(settings, plan_id, clients, duration)


if __name__ == "__main__":
    main()
