"""Web platform speed: the dashboard of a plan with 50 indicators × 10 years.

    python bench/bench_web.py [--quick] [--requests N] [--clients C] [--duration S]

Two measurements, each with a baseline measured in the same run (``/healthz``: a route that
touches neither the database nor a template), and the ratio:

1. server time in-process (FastAPI TestClient, no network): median and p95 of N dashboard
   requests (HTML page and its JSON twin) against N ``/healthz`` requests;
2. a real ``ecociv serve`` on 127.0.0.1 (free port, ``--workers`` processes, default 2) under
   C connections for S seconds from Debian's ``wrk`` (a native load generator, so the client
   does not eat the cores the server needs): requests per second, p50/p95 latency and errors
   of ``/healthz``, the dashboard HTML and its JSON twin, throughput as a ratio to
   ``/healthz``; the load average before and after (the cores are shared).  Each route is
   first loaded for :data:`WARM_UP_S` seconds, not counted;
3. the cold path: R times, one value written through the store (a new data revision, so the
   cached assessment is stale) and then one request of each page: median and p95.

Defaults: N=200, C=50, S=20, R=40; ``--quick``: N=30, C=10, S=5, R=10.  The store is a temporary SQLite
file: a city, a plan of 50 generated indicators (targets for 2025 and 2030) and values for
2015–2024, entered through the store's services like any user's values.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
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


WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK_RESULT %d %d %d %.3f %.3f %.3f\\n",
    summary.requests, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, summary.duration / 1e6))
end
"""
WRK = shutil.which("wrk") or "/usr/bin/wrk"
WARM_UP_S = 2.0
"""Each route is loaded this long before its measured run, so that every worker process has
rendered it once: the steady state is measured here, the first request after a write in 3."""


def wrk(url: str, cookie: str, clients: int, duration: float, threads: int = 2) -> dict[str, float]:
    """Run Debian's ``wrk`` against *url* (127.0.0.1 only): requests, errors, p50/p95 in ms, req/s."""
    if not url.startswith("http://127.0.0.1:"):
        raise SystemExit(f"load goes to 127.0.0.1 only, not {url}")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    command = [WRK, f"-t{threads}", f"-c{clients}", f"-d{duration:g}s", "--timeout", "10s"]
    command += ["-s", script.name, "-H", f"Cookie: {cookie}", url]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    Path(script.name).unlink()
    line = next(x for x in out.splitlines() if x.startswith("WRK_RESULT"))
    requests, errors, bad_status, p50, p95_ms, seconds = (float(v) for v in line.split()[1:])
    return {
        "requests": requests,
        "errors": errors,
        "non_2xx": bad_status,
        "p50": p50,
        "p95": p95_ms,
        "rate": requests / seconds,
    }


def after_writes(
    settings, base_url: str, cookies, plan_id: int, rounds: int
) -> dict[str, list[float]]:
    """The cold path: write one value (a new data revision), then time one request of each page."""
    engine = create_engine_for(settings.database_url)
    factory = session_factory(engine)
    with unit_of_work(factory) as db:
        indicator = plans.get_version(db, plan_id).indicators[0].code
    times: dict[str, list[float]] = {"dashboard HTML": [], "dashboard JSON": []}
    with httpx.Client(base_url=base_url, cookies=cookies, timeout=30) as client:
        for _ in range(rounds):
            for name, path in (
                ("dashboard HTML", f"/plans/{plan_id}"),
                ("dashboard JSON", f"/plans/{plan_id}.json"),
            ):
                with unit_of_work(factory) as db:
                    _write(db, indicator, 1 if name.endswith("JSON") else -1)
                started = time.perf_counter()
                response = client.get(path)
                times[name].append(time.perf_counter() - started)
                if response.status_code != 200:
                    raise SystemExit(f"{path}: HTTP {response.status_code}")
    engine.dispose()
    return times


def _write(db, indicator: str, sign: int) -> None:
    """Change the latest value of *indicator* by 0.1 % up (*sign* 1) or down (-1) through the
    store (audited: a new revision); the writes alternate, so the value stays where it was and
    the outlier rule of entry accepts every one without a reason."""
    current = observations.get_observation(db, REGION, indicator, YEARS[-1])
    observations.save_observation(
        db,
        "bench",
        region_code=REGION,
        indicator_code=indicator,
        year=YEARS[-1],
        value=round(current.value * (1 + sign / 1000), 3),
        expected_version=current.version,
    )


def concurrent(
    settings, plan_id: int, clients: int, duration: float, workers: int, rounds: int
) -> None:
    with served(settings, workers=workers) as (base_url, _process):
        with httpx.Client(base_url=base_url) as client:
            sign_in_sync(client)
            cookies = client.cookies
            cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
            client.get(f"/plans/{plan_id}")
            client.get(f"/plans/{plan_id}.json")
        load_before = os.getloadavg()
        print(
            f"\n2. real server (uvicorn, {workers} worker processes) on 127.0.0.1, wrk: "
            f"{clients} connections × {duration:g} s each"
        )
        print(
            f"   load average before: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}"
            f" ({os.cpu_count()} cores, shared)"
        )
        print(
            f"   {'route':<20}{'requests':>10}{'req/s':>10}{'p50 ms':>9}{'p95 ms':>9}"
            f"{'socket err':>11}{'non-2xx':>9}{'× /healthz':>12}"
        )
        base_rate = None
        for name, path in (
            ("baseline /healthz", "/healthz"),
            ("dashboard HTML", f"/plans/{plan_id}"),
            ("dashboard JSON", f"/plans/{plan_id}.json"),
        ):
            wrk(base_url + path, cookie, clients, WARM_UP_S)  # every worker has it; not counted
            r = wrk(base_url + path, cookie, clients, duration)
            base_rate = base_rate or r["rate"]
            print(
                f"   {name:<20}{r['requests']:>10.0f}{r['rate']:>10.1f}{r['p50']:>9.1f}{r['p95']:>9.1f}"
                f"{r['errors']:>11.0f}{r['non_2xx']:>9.0f}{r['rate'] / base_rate:>12.3f}"
            )
        load_after = os.getloadavg()
        print(
            f"   load average after:  {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}"
        )
        cold = after_writes(settings, base_url, cookies, plan_id, rounds)
        print(
            f"\n3. right after a write (cold path: new data revision), {rounds} rounds, one request each"
        )
        print(f"   {'route':<20}{'median ms':>11}{'p95 ms':>10}")
        for name, times in cold.items():
            print(
                f"   {name:<20}{statistics.median(times) * 1000:>11.1f}{p95(times) * 1000:>10.1f}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small run: N=30, C=10, S=5")
    parser.add_argument("--requests", type=int)
    parser.add_argument("--clients", type=int)
    parser.add_argument("--duration", type=float)
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--rounds", type=int, help="writes followed by a request (cold path)")
    args = parser.parse_args()
    n = args.requests or (30 if args.quick else 200)
    clients = args.clients or (10 if args.quick else 50)
    duration = args.duration or (5.0 if args.quick else 20.0)
    rounds = args.rounds or (10 if args.quick else 40)
    with tempfile.TemporaryDirectory(prefix="ecociv-bench-web-") as folder:
        started = time.perf_counter()
        settings, plan_id = build_store(Path(folder))
        print(
            f"store built in {time.perf_counter() - started:.1f} s: {INDICATORS} indicators × {len(YEARS)} years"
        )
        in_process(settings, plan_id, n)
        concurrent(settings, plan_id, clients, duration, args.workers, rounds)


if __name__ == "__main__":
    main()
