"""The platform under load: C concurrent API clients for S seconds against a real server.

    python bench/bench_load.py [--quick] [--clients C] [--duration S] [--database-url URL]

A real ``ecociv serve`` (uvicorn, one process) on 127.0.0.1 (a free port) over a store built
for the run: a city and three districts, a plan of 20 indicators, ten years of values per
district, and one API token per client.  Every client loops request → answer, choosing by a
seeded draw among the platform's everyday requests (its first request reads the version of the
value it edits):

====================================================  ======  ===============================
request                                               share   expected answer
====================================================  ======  ===============================
``GET /api/v1/plans/{id}/verdicts?region=…``          30 %    200
``GET /api/v1/regions/{code}/observations``           20 %    200
``GET /api/v1/plans/{id}/indicators``                 15 %    200
``GET /plans/{id}.json?region=…`` (dashboard twin)    15 %    200
``PUT /api/v1/regions/…/observations/{code}/{year}``  20 %    200 (each client edits its own
                                                              value with the version it read)
====================================================  ======  ===============================

Reported: requests, requests per second, median / p95 / p99 latency, the answers by status,
and **errors**: any other status than the expected one, or a failed connection.  The exit
status is 1 when there is an error.  Defaults: C=50, S=60 on a temporary SQLite file;
``--quick``: C=10, S=5.  ``--database-url postgresql+psycopg://…`` runs on PostgreSQL in a
schema of its own, dropped afterwards.  The server is only ever 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from ecociv import model
from ecociv.settings import Settings, load_settings
from ecociv.store.db import create_engine_for, session_factory, unit_of_work, upgrade
from ecociv.store.scratch import scratch_schema
from ecociv.store.services import observations, plans, regions, users
from ecociv.web.local_server import served

CITY = "990100"
DISTRICTS = ("990102", "990103", "990104")
INDICATORS = 20
YEARS = range(2015, 2025)
MIX = (
    ("verdicts", 30),
    ("observations", 20),
    ("indicators", 15),
    ("dashboard", 15),
    ("write", 20),
)


@dataclass
class Store:
    """What the clients need to know about the store built for the run."""

    settings: Settings
    plan_id: int
    codes: list[str]
    tokens: list[str]


@dataclass(frozen=True)
class OwnValue:
    """The value a client edits: a (district, indicator, year) no other client writes."""

    region: str
    code: str
    year: int


@dataclass
class Report:
    clients: int
    duration_s: float
    elapsed_s: float = 0.0
    """From the first request sent to the last answer received (past the duration by the
    requests in flight when it ended)."""
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    kinds: Counter = field(default_factory=Counter)
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    server_faults: Counter = field(default_factory=Counter)

    @property
    def requests(self) -> int:
        return len(self.latencies)

    def quantile(self, q: int) -> float:
        return statistics.quantiles(self.latencies, n=100)[q - 1]

    def kind_p95(self, kind: str) -> float:
        seen = self.by_kind.get(kind, [])
        return statistics.quantiles(seen, n=100)[94] if len(seen) > 1 else max(seen, default=0)

    def lines(self) -> list[str]:
        return [
            f"{self.clients} clients × {self.duration_s:g} s: {self.requests} requests, "
            f"{self.requests / self.elapsed_s:.1f} req/s",
            f"latency p50 {self.quantile(50) * 1000:.0f} ms, p95 {self.quantile(95) * 1000:.0f} ms,"
            f" p99 {self.quantile(99) * 1000:.0f} ms, max {max(self.latencies) * 1000:.0f} ms",
            "by request (count, p95): "
            + ", ".join(
                f"{k} {n} {self.kind_p95(k) * 1000:.0f} ms" for k, n in sorted(self.kinds.items())
            ),
            "by status: " + ", ".join(f"{s} {n}" for s, n in sorted(self.statuses.items())),
            f"errors: {len(self.errors)}"
            + (f" (first: {'; '.join(self.errors[:3])})" if self.errors else ""),
            f"server tracebacks: {sum(self.server_faults.values())}"
            + "".join(f"\n    {n} × {text}" for text, n in self.server_faults.most_common(5)),
        ]


def bench_plan() -> model.Plan:
    """*INDICATORS* numeric indicators, half higher-is-better (%), half lower (mg/L)."""
    columns = [
        model.Column(index=0, key="baseline", role="baseline", header="2015年", year=2015),
        model.Column(index=1, key="target_2025", role="target", header="2025年", year=2025),
    ]
    rows = [
        model.IndicatorRow(
            seq=str(i + 1),
            domain="生态生活",
            name=f"负载指标{i + 1:02d}{'比例' if i % 2 == 0 else '浓度'}",
            unit="%" if i % 2 == 0 else "mg/L",
            attribute="约束性",
            cells={
                "baseline": model.Cell(text="60"),
                "target_2025": model.Cell(text="≥80" if i % 2 == 0 else "≤40"),
            },
        )
        for i in range(INDICATORS)
    ]
    return model.Plan(
        source=model.PlanSource(path="load-plan.txt", format="tika"),
        metadata=model.PlanMetadata(
            name="负载测试规划", period_start=2016, period_end=2025, base_year=2015
        ),
        tables=[model.PlanTable(index=0, kind="indicator", columns=columns, rows=rows)],
    )


def steady_value(rng: random.Random) -> float:
    """A value within a few percent of 60: an indicator's years as they usually run, which the
    outlier rule of entry (``assess/data/outliers.yaml``) accepts without a stated reason."""
    return round(60 + rng.uniform(-3, 3), 1)


def build_store(settings: Settings, clients: int) -> Store:
    """Migrate, then enter the regions, the plan, its values and one token per client."""
    upgrade(settings.database_url)
    engine = create_engine_for(settings.database_url)
    rng = random.Random(5)
    try:
        with unit_of_work(session_factory(engine)) as db:
            regions.create_region(db, "bench", code=CITY, name="负载市", level="city")
            for n, code in enumerate(DISTRICTS):
                regions.create_region(
                    db, "bench", code=code, name=f"负载{n + 1}区", level="county", parent_code=CITY
                )
            users.create_user(db, "bench", name="load", password=None, role="admin")
            version = plans.import_plan(db, "bench", bench_plan(), region_code=CITY)
            codes = [indicator.code for indicator in version.indicators]
            for region in DISTRICTS:
                for code in codes:
                    for year in YEARS:
                        observations.save_observation(
                            db,
                            "bench",
                            region_code=region,
                            indicator_code=code,
                            year=year,
                            value=steady_value(rng),
                        )
            tokens = [
                users.create_token(db, "bench", user_name="load", token_name=f"client-{n}")[1]
                for n in range(clients)
            ]
            return Store(settings, version.plan_id, codes, tokens)
    finally:
        engine.dispose()


@contextmanager
def serving(settings: Settings) -> Iterator[str]:
    """``ecociv serve`` on a free port of 127.0.0.1 in a subprocess; yields its URL."""
    with served(settings) as (url, _process):
        yield url


async def run_load(url: str, store: Store, clients: int, duration: float) -> Report:
    """*clients* clients, each on its own connection and token, for *duration* seconds."""
    report = Report(clients=clients, duration_s=duration)
    kinds = [kind for kind, _ in MIX]
    weights = [weight for _, weight in MIX]
    stop = time.monotonic() + duration

    async def client(n: int) -> None:
        rng = random.Random(1000 + n)
        region = DISTRICTS[n % len(DISTRICTS)]
        own = OwnValue(
            region,
            store.codes[(n // len(DISTRICTS)) % len(store.codes)],
            YEARS[(n // (len(DISTRICTS) * len(store.codes))) % len(YEARS)],
        )
        version: int | None = None
        headers = {"Authorization": f"Bearer {store.tokens[n]}"}
        async with httpx.AsyncClient(base_url=url, headers=headers, timeout=60) as http:
            while time.monotonic() < stop:
                # The first request reads the version of the value the client edits.
                kind = "version" if version is None else rng.choices(kinds, weights)[0]
                started = time.perf_counter()
                try:
                    answer = await _request(http, kind, store, region, own, version, rng)
                except httpx.HTTPError as exc:
                    report.errors.append(f"{kind}: {exc!r}")
                    report.latencies.append(time.perf_counter() - started)
                    continue
                report.latencies.append(time.perf_counter() - started)
                report.by_kind.setdefault(kind, []).append(report.latencies[-1])
                report.kinds[kind] += 1
                report.statuses[answer.status_code] += 1
                if answer.status_code != 200:
                    report.errors.append(f"{kind}: HTTP {answer.status_code} {answer.text[:200]}")
                elif kind == "write":
                    version = answer.json()["version"]
                elif kind == "version":
                    version = next(o["version"] for o in answer.json() if o["year"] == own.year)

    started = time.monotonic()
    await asyncio.gather(*(client(n) for n in range(clients)))
    report.elapsed_s = time.monotonic() - started
    return report


async def _request(
    http: httpx.AsyncClient,
    kind: str,
    store: Store,
    region: str,
    own: OwnValue,
    version: int | None,
    rng: random.Random,
) -> httpx.Response:
    plan = store.plan_id
    if kind == "verdicts":
        return await http.get(f"/api/v1/plans/{plan}/verdicts", params={"region": region})
    if kind == "observations":
        return await http.get(f"/api/v1/regions/{region}/observations")
    if kind == "version":
        return await http.get(
            f"/api/v1/regions/{own.region}/observations", params={"indicator": own.code}
        )
    if kind == "indicators":
        return await http.get(f"/api/v1/plans/{plan}/indicators")
    if kind == "dashboard":
        return await http.get(f"/plans/{plan}.json", params={"region": region})
    body = {"value": steady_value(rng), "expected_version": version}
    return await http.put(
        f"/api/v1/regions/{own.region}/observations/{own.code}/{own.year}", json=body
    )


def bench(folder: Path, database_url: str, clients: int, duration: float) -> Report:
    settings = load_settings(data_dir=folder, database_url=database_url, secret_key="bench-load")
    started = time.perf_counter()
    store = build_store(settings, clients)
    print(f"store built in {time.perf_counter() - started:.1f} s", flush=True)
    with serving(settings) as url:
        report = asyncio.run(run_load(url, store, clients, duration))
    report.server_faults = server_faults(folder / "server.log")
    return report


def server_faults(log: Path) -> Counter:
    """The server's tracebacks by their last line (the exception), from its log."""
    faults: Counter = Counter()
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    for n, line in enumerate(lines):
        if line.startswith("Traceback"):
            tail = next(
                (x for x in lines[n + 1 :] if x and not x.startswith((" ", "Traceback"))), "?"
            )
            faults[tail[:160]] += 1
    return faults


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small run: C=10, S=5")
    parser.add_argument("--clients", type=int)
    parser.add_argument("--duration", type=float)
    parser.add_argument("--database-url", help="postgresql+psycopg://… (default: SQLite)")
    args = parser.parse_args()
    clients = args.clients or (10 if args.quick else 50)
    duration = args.duration or (5.0 if args.quick else 60.0)
    with tempfile.TemporaryDirectory(prefix="ecociv-bench-load-") as name:
        folder = Path(name)
        if args.database_url:
            with scratch_schema(args.database_url, prefix="bench") as url:
                report = bench(folder, url, clients, duration)
            backend = "PostgreSQL"
        else:
            report = bench(folder, f"sqlite:///{folder / 'load.db'}", clients, duration)
            backend = "SQLite"
    print(f"{backend}, one uvicorn process on 127.0.0.1")
    for line in report.lines():
        print(f"  {line}")
    return 1 if report.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
