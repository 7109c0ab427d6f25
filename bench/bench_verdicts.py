"""Benchmark: 1.5 million verdicts (50 indicators × 3,000 regions × 10 years).

``python bench/bench_verdicts.py [--quick] [--regions N] [--years N] [--workers N] [--digest]``

Each indicator has a requirement text of a realistic kind (numeric floors and ceilings, bare
numbers, 市/县 scopes, trends, 或-alternatives with a provincial average, change from a base
year, annual rates, quotas from above with 保持稳定或持续改善, milestones).  The requirement is
parsed once and compiled once (``ecociv.assess.verdict.compile_requirement``); each region
has a 10-year synthetic series per indicator and every (indicator, region, year) is judged.

The baseline, measured in the same run on a sample, is the naive loop: read the requirement
text again for every verdict — parse it and compile it with both caches cleared (``ecociv.expr``
caches parsed cells, the engine caches compiled requirements) — then judge.  The script prints
both rates and the ratio.

``--workers N`` (N > 1) also judges the same verdicts split over N processes and reports their
wall-clock judging time beside the single-process one.  ``--digest`` prints a SHA-256 over
every verdict (all fields, untimed pass): two engine versions that print the same digest gave
the same 1.5 million verdicts.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import os
import random
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace

from ecociv.assess.context import Context
from ecociv.assess.verdict import compile_requirement, evaluate
from ecociv.expr import ast
from ecociv.expr.parse import parse
from ecociv.model import VerdictStatus

#: (indicator name — its direction comes from ecociv.assess.direction, requirement, value kind)
TEMPLATES = (
    ("优良天数比例", "≥{hi}", "share"),
    ("PM2.5浓度", "≤{lo}", "level"),
    ("森林覆盖率", "{hi}", "share"),
    ("城镇污水处理率", "市≥95 县≥85", "share"),
    ("生态环境状况指数", "持续提高", "level"),
    ("地表水环境质量达到或优于III类水质比例", "≥85，或持续提高且提高幅度大于全省平均值", "share"),
    ("单位GDP能耗", "较2020年下降16%", "level"),
    ("单位GDP用水量", "≤31，或持续下降且下降幅度高于全省平均值", "level"),
    ("细颗粒物浓度", "完成上级规定的考核任务；保持稳定或持续改善", "level"),
    ("绿色贷款", "逐年上升", "level"),
    ("化肥施用强度", "年均下降幅度≥3.5%", "level"),
    ("生态文明建设规划", "制定实施", "milestone"),
)
YEARS0 = 2016


def forget_parsed_cells() -> None:
    """Empty the parse cache of ``ecociv.expr`` so the baseline really re-reads the text."""
    importlib.import_module("ecociv.expr.parse")._parse_requirement.cache_clear()


def indicators(count: int, rng: random.Random) -> list[tuple[str, ast.Expr, str, str]]:
    """*count* indicators cycling through the templates with varied thresholds."""
    out = []
    for i in range(count):
        name, text, kind = TEMPLATES[i % len(TEMPLATES)]
        text = text.format(hi=rng.choice((80, 85, 90, 95)), lo=rng.choice((25, 30, 35)))
        out.append((f"{name}", parse(text).expr, text, kind))
    return out


def series(kind: str, years: int, rng: random.Random) -> dict[int, float]:
    start = rng.uniform(60, 100) if kind == "share" else rng.uniform(10, 60)
    step = rng.uniform(-2, 2)
    return {
        YEARS0 + k: round(max(0.1, start + step * k + rng.uniform(-1, 1)), 2) for k in range(years)
    }


def workload(n_indicators: int, n_regions: int, years: int, seed: int = 7):
    """Per indicator: its requirement, its text, and one context per region (with series)."""
    rng = random.Random(seed)
    milestone = ast.Milestone("制定实施")
    for name, expr, text, kind in indicators(n_indicators, rng):
        base = Context(references={"全省平均值:increase": 1.0}).with_direction_of(name)
        regions = []
        for region in range(n_regions):
            values = series(kind, years, rng)
            context = replace(
                base,
                classes={"level": "县" if region % 4 else "市"},
                series=values,
                base_year=2020,
                quota=values[YEARS0] if "上级" in text else None,
            )
            observed = [
                (year, milestone if kind == "milestone" else value)
                for year, value in values.items()
            ]
            regions.append((context, observed))
        yield expr, text, regions


def run(
    indicators_slice: tuple[int, int, int],
    n_regions: int,
    years: int,
    naive: bool,
    per_indicator: int | None,
):
    """Judge every (indicator, region, year) of the slice ``(first, stop, total)`` of the
    *total* indicators; only the judging is timed.  The data of every indicator is drawn (and
    the ones outside the slice dropped), so each process judges exactly the single-process
    workload's verdicts.

    *per_indicator* caps the verdicts per indicator (the baseline's sample spans every kind).
    """
    first, stop, total = indicators_slice
    by_status: Counter[VerdictStatus] = Counter()  # counted by member: .value is a property
    done = 0
    seconds = 0.0
    for index, (expr, text, regions) in enumerate(workload(total, n_regions, years)):
        if index < first:
            continue
        if index >= stop:
            break
        started = time.perf_counter()
        judge = compile_requirement(expr)
        count = 0
        for context, observed in regions:
            for year, value in observed:
                ctx = context.at_year(year)
                if naive:
                    forget_parsed_cells()
                    compile_requirement.cache_clear()
                    verdict = evaluate(parse(text).expr, value, ctx)
                else:
                    verdict = judge(value, ctx)
                by_status[verdict.status] += 1
            count += len(observed)
            if per_indicator is not None and count >= per_indicator:
                break
        seconds += time.perf_counter() - started
        done += count
    return done, seconds, Counter({status.value: n for status, n in by_status.items()})


def run_parallel(
    n_indicators: int,
    n_regions: int,
    years: int,
    workers: int,
    naive: bool = False,
    per_indicator: int | None = None,
):
    """Split the indicators over *workers* processes; wall time is measured around all.

    Returns the verdicts, the judging seconds summed over the processes, the judging seconds
    of the slowest process, the wall time and the status counts."""
    bounds = [
        (n_indicators * k // workers, n_indicators * (k + 1) // workers, n_indicators)
        for k in range(workers)
    ]
    started = time.perf_counter()
    if workers == 1:
        results = [run(bounds[0], n_regions, years, naive, per_indicator)]
    else:
        with ProcessPoolExecutor(workers) as pool:
            results = list(
                pool.map(
                    run,
                    bounds,
                    *zip(*[(n_regions, years, naive, per_indicator)] * workers, strict=True),
                )
            )
    wall = time.perf_counter() - started
    statuses: Counter[str] = Counter()
    for _, _, counted in results:
        statuses.update(counted)
    seconds = [r[1] for r in results]
    return sum(r[0] for r in results), sum(seconds), max(seconds), wall, statuses


def digest(n_indicators: int, n_regions: int, years: int) -> str:
    """SHA-256 over every verdict of the workload, each as the repr of its full dump."""
    sha = hashlib.sha256()
    for expr, _, regions in workload(n_indicators, n_regions, years):
        judge = compile_requirement(expr)
        for context, observed in regions:
            for year, value in observed:
                sha.update(repr(judge(value, context.at_year(year)).model_dump()).encode())
    return sha.hexdigest()


def interpreter_speed() -> float:
    """Million simple interpreter steps per second right now: the machine is shared, and this
    says how much of a core the run got (compare runs by it, not by wall time alone)."""
    started = time.perf_counter()
    total = 0
    for i in range(1_000_000):
        total += i & 7
    return 1.0 / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="50 × 100 × 10 = 50,000 verdicts")
    parser.add_argument("--indicators", type=int, default=50)
    parser.add_argument("--regions", type=int, default=3000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument(
        "--workers", type=int, default=1, help="processes (indicators split between them)"
    )
    parser.add_argument("--baseline-per-indicator", type=int, default=100)
    parser.add_argument("--digest", action="store_true", help="print a SHA-256 of every verdict")
    args = parser.parse_args()
    regions = 100 if args.quick else args.regions
    load = os.getloadavg()[0]
    print(
        f"machine  : {os.cpu_count()} cores, load average {load:.1f} at start, "
        f"{interpreter_speed():.1f} M interpreter steps/s"
    )

    total, judging, _, wall, statuses = run_parallel(args.indicators, regions, args.years, 1)
    single_rate = total / judging
    print(
        f"compiled : {total:,} verdicts, {judging:.2f} s judging in 1 process "
        f"= {single_rate:,.0f} verdicts/s ({wall:.2f} s wall with the synthetic data set-up)"
    )
    print(f"           statuses {dict(sorted(statuses.items()))}")
    if args.workers > 1:
        _, _, slowest, wall_n, statuses_n = run_parallel(
            args.indicators, regions, args.years, args.workers
        )
        assert statuses_n == statuses, "the worker processes gave other verdicts"
        print(
            f"workers  : the same {total:,} verdicts in {args.workers} processes: slowest "
            f"process judged for {slowest:.2f} s = {total / slowest:,.0f} verdicts/s "
            f"({wall_n:.2f} s wall: each process also builds the synthetic data)"
        )
    print(f"machine  : {interpreter_speed():.1f} M interpreter steps/s after the compiled run")
    per = min(args.baseline_per_indicator, regions * args.years)
    n_base, s_base, _, _, _ = run_parallel(
        args.indicators, regions, args.years, 1, naive=True, per_indicator=per
    )
    base_rate = n_base / s_base
    print(
        f"baseline : re-parse every verdict, {n_base:,} verdicts ({per} per indicator) in "
        f"{s_base:.2f} s = {base_rate:,.0f} verdicts/s"
    )
    print(
        f"ratio    : per process, compiled is {single_rate / base_rate:.1f}x the baseline; "
        f"the baseline would need {total / base_rate:,.0f} s for {total:,} verdicts"
    )
    if args.digest:
        print(f"digest   : {digest(args.indicators, regions, args.years)}")


if __name__ == "__main__":
    main()
