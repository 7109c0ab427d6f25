"""Store benchmark: entering values, the dashboard's assessment, export and import.

Each target is measured with a baseline of the same size in the same run, and the ratio is
printed:

* ``save_observation`` (validation, lock version, history, audit) vs. a plain bulk INSERT;
* ``assess_plan`` (verdicts, standard verdicts, projections) vs. just loading the rows;
* ``export_region`` + ``import_region`` into a second database.

Runs on a temporary SQLite file, or with ``--postgres URL`` in a temporary schema of that
database (dropped afterwards).  ``--quick``: 10 indicators × 5 years instead of 50 × 10.

    python bench/bench_store.py [--quick] [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/ecociv_test]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from ecociv import model
from ecociv.store.db import create_engine_for, session_factory, unit_of_work, upgrade
from ecociv.store.models import Observation, PlanIndicator, Target
from ecociv.store.services import assessment, exchange, observations, plans, regions

ACTOR = "bench"
FIRST_YEAR = 2014


def synthetic_plan(indicators: int) -> model.Plan:
    """A plan of *indicators* share indicators (%), baseline 2015, targets 2025."""
    columns = [
        model.Column(index=0, key="baseline", role="baseline", header="2015年", year=2015),
        model.Column(index=1, key="target_2025", role="target", header="2025年", year=2025),
    ]
    rows = [
        model.IndicatorRow(
            seq=str(i + 1),
            domain=f"领域{i % 5 + 1}",
            name=f"测试指标{i + 1:02d}覆盖率",
            unit="%",
            cells={
                "baseline": model.Cell(text="50"),
                "target_2025": model.Cell(text=f"≥{60 + i % 30}"),
            },
        )
        for i in range(indicators)
    ]
    table = model.PlanTable(index=0, kind="indicator", columns=columns, rows=rows)
    return model.Plan(
        source=model.PlanSource(path="bench.txt", format="tika"),
        metadata=model.PlanMetadata(name="基准测试规划", base_year=2015),
        tables=[table],
    )


@contextmanager
def databases(postgres: str | None) -> Iterator[tuple[str, str]]:
    """Two empty databases (source and import target)."""
    if postgres is None:
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{Path(folder) / 'a.db'}", f"sqlite:///{Path(folder) / 'b.db'}"
        return
    base = make_url(postgres)
    schemas = [f"bench_{uuid.uuid4().hex[:12]}" for _ in range(2)]
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        for schema in schemas:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        urls = [
            base.update_query_dict({"options": f"-csearch_path={s}"}).render_as_string(
                hide_password=False
            )
            for s in schemas
        ]
        yield urls[0], urls[1]
    finally:
        with admin.connect() as connection:
            for schema in schemas:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def timed(function, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return sorted(times)


def report(label: str, times: list[float], baseline: list[float]) -> None:
    median, base = statistics.median(times), statistics.median(baseline)
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    print(
        f"{label:<44} median {median * 1000:8.1f} ms  p95 {p95 * 1000:8.1f} ms  "
        f"baseline {base * 1000:7.1f} ms  ratio {median / base:6.1f}×"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--postgres", default=None, help="PostgreSQL URL (a temporary schema is used)"
    )
    args = parser.parse_args()
    indicators, years = (10, 5) if args.quick else (50, 10)
    with databases(args.postgres) as (url, other_url):
        upgrade(url)
        upgrade(other_url)
        engine, other = create_engine_for(url), create_engine_for(other_url)
        factory = session_factory(engine)
        with unit_of_work(factory) as session:
            regions.create_region(
                session, ACTOR, code="B", name="基准市", level="city", admin_class="市"
            )
            regions.create_region(
                session, ACTOR, code="B2", name="对照区", level="county", parent_code="B"
            )
            version = plans.import_plan(session, ACTOR, synthetic_plan(indicators), region_code="B")
            plan_id, codes = version.plan_id, [row.code for row in version.indicators]
        cells = [(code, FIRST_YEAR + y, 50.0 + 1.1 * y) for code in codes for y in range(years)]
        print(
            f"backend {make_url(url).get_backend_name()}: {indicators} indicators × {years} years"
        )

        def enter() -> None:
            with unit_of_work(factory) as session:
                for code, year, value in cells:
                    observations.save_observation(
                        session, ACTOR, region_code="B", indicator_code=code, year=year, value=value
                    )

        def plain_insert() -> None:
            with Session(engine) as session:
                region_id = regions.get_region(session, "B2").id
                rows = [
                    {
                        "region_id": region_id,
                        "indicator_code": c,
                        "year": y,
                        "value": v,
                        "version": 1,
                    }
                    for c, y, v in cells
                ]
                session.execute(insert(Observation), rows)
                session.commit()

        with Session(engine) as session:  # load the unit and phrase tables once, outside the timing
            observations.check_observation(
                session, region_code="B", indicator_code=codes[0], year=FIRST_YEAR, value=1.0
            )
        report(f"save_observation × {len(cells)}", timed(enter, 1), timed(plain_insert, 1))

        def dashboard() -> None:
            with unit_of_work(factory) as session:
                assessment.assess_plan(session, plan_id)

        def load_rows() -> None:
            with Session(engine) as session:
                list(
                    session.scalars(
                        select(Observation).where(Observation.indicator_code.in_(codes))
                    )
                )
                list(session.scalars(select(PlanIndicator)))
                list(session.scalars(select(Target)))

        report("assess_plan (dashboard data)", timed(dashboard, 20), timed(load_rows, 20))

        def round_trip() -> None:
            with Session(engine) as session:
                data = exchange.export_region(session, "B")
            with Session(other) as session:
                exchange.import_region(session, ACTOR, data)
                session.rollback()

        def export_only() -> None:
            with Session(engine) as session:
                exchange.export_region(session, "B")

        report("export_region + import_region", timed(round_trip, 3), timed(export_only, 3))
        engine.dispose()
        other.dispose()


if __name__ == "__main__":
    main()
