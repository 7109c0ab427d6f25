"""Report benchmark: the demo city's 2024 reports, each kind and format, against the
assessment alone (``assess_plan``) measured in the same run.

The demo sample is loaded into a temporary SQLite file first (not timed).  Each measure is
the median of ``--repeat`` runs; the PDF includes the .docx and the LibreOffice conversion.

    python bench/bench_report.py [--repeat 3] [--no-pdf] [--kind annual ...]

Each line also says whether it is within the budget of a report (``--budget``, 10 s).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from ecociv.demo.sample import CITY_CODE, load_sample
from ecociv.report.api import make_report
from ecociv.report.pdf import libreoffice
from ecociv.report.registry import registry
from ecociv.store.db import create_engine_for, session_factory, unit_of_work, upgrade
from ecociv.store.services.assessment import assess_plan

YEAR = 2024


def median_seconds(action, repeat: int) -> float:
    return median_seconds_and_cpu(action, repeat)[0]


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (LibreOffice)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def median_seconds_and_cpu(action, repeat: int) -> tuple[float, float]:
    """Median wall time and median CPU time: on a shared machine the CPU time says what the
    report costs when the cores are free."""
    times, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), cpu_seconds()
        action()
        times.append(time.perf_counter() - start)
        cpu.append(cpu_seconds() - start_cpu)
    return statistics.median(times), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-pdf", action="store_true")
    parser.add_argument("--kind", action="append", help="only these kinds (repeatable)")
    parser.add_argument("--budget", type=float, default=10.0, help="seconds a report may take")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ecociv-bench-report-") as folder:
        work = Path(folder)
        url = f"sqlite:///{work / 'demo.db'}"
        upgrade(url)
        engine = create_engine_for(url)
        with unit_of_work(session_factory(engine)) as db:
            plan_id = load_sample(db).plan_id
        formats = ["docx", "xlsx"] + ([] if args.no_pdf or libreoffice() is None else ["pdf"])
        with session_factory(engine)() as db:
            baseline = median_seconds(
                lambda: assess_plan(db, plan_id, region_code=CITY_CODE, as_of=YEAR), args.repeat
            )
            print(f"assess_plan (baseline)        {baseline * 1000:8.0f} ms")
            for kind in args.kind or list(registry().kinds):
                for fmt in formats:
                    out = work / f"{kind}.{fmt}"

                    def run(kind=kind, fmt=fmt, out=out) -> None:
                        out.with_name(out.stem + ".narrative.json").unlink(missing_ok=True)
                        make_report(
                            db, kind, plan_id=plan_id, region_code=CITY_CODE, year=YEAR,
                            fmt=fmt, out=out,
                        )  # fmt: skip

                    seconds, cpu = median_seconds_and_cpu(run, args.repeat)
                    ratio = seconds / baseline
                    within = "within" if seconds <= args.budget else "OVER"
                    print(
                        f"{kind:18} {fmt:4}      {seconds * 1000:8.0f} ms  (CPU {cpu * 1000:6.0f} ms"
                        f"; {ratio:5.1f}× assess_plan; {within} {args.budget:g} s)"
                    )
        engine.dispose()


if __name__ == "__main__":
    main()
