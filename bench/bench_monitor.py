"""Benchmark: a year of hourly station data → daily AQI and HJ 663 annual statistics.

    python bench/bench_monitor.py [--quick] [--stations 2000] [--runs 3] [--threads 2]

Measured in one run, on the same synthetic data (``ecociv.monitor.synth``, generated in a
child process so that it does not count toward this process's memory):

* **ecociv on DuckDB**: ``air.daily`` materialised as a DuckDB table, then ``air.annual`` on it
  (HJ 633-2012 rules).  Median wall time over ``--runs``, station-hours per second, and the
  process's peak resident memory after these runs (``resource.getrusage``).  The first run
  builds and compiles the two queries; later runs reuse the compiled SQL
  (``ecociv.monitor.compiled``), so the first run's time and ratio are printed as well.
  Each side's CPU time (all threads) is printed beside its wall time: on a shared machine
  the wall times depend on the other work, the CPU times much less.
* **pandas baseline**: the straightforward implementation written out below (groupby daily
  means with the 20-hour rule, time-based 8-hour rolling O3, piecewise-linear IAQI with numpy,
  annual means, percentiles and good-day ratio), on the same file and the same stations, in a
  child process (its memory is reported apart).  ``--baseline-stations N`` runs it on the
  first N stations only and scales its time linearly (said so in the output) when memory is
  short; by default nothing is scaled.
* **python-aqi** (MEP algorithm): timed per value on a sample of the daily concentrations,
  against ecociv's IAQI of every daily 24-hour concentration in one query (query execution
  per value; the one-off Ibis query building is printed beside it), and extrapolated to the
  number of IAQI values of the daily report (7 per station-day) for the whole-pipeline ratio;
  python-aqi has no means, validity or annual statistics, so it only prices the index step.

* **Spark** (``--spark-stations N``, off by default): the same daily + annual run on Spark
  ``local[*]`` for the first N stations, beside pandas on the same N stations (Spark's fixed
  query-planning cost dominates at small N; its ratio is printed as measured).

Aims (issues 5 and 10): ≥ 5× pandas, ≥ 50× python-aqi, peak memory < 4 GB.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import ibis
import numpy as np
import pandas as pd

from ecociv.monitor import air, backends
from ecociv.monitor.air_expr import iaqi_expr, to_micro
from ecociv.monitor.rules import load_rules

POLLUTANTS_24H = ("so2", "no2", "pm10", "pm25", "co")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def cpu_seconds() -> float:
    """User + system CPU time of this process so far, all its threads (DuckDB's included).
    Less sensitive than wall time to other work on a shared machine: the ratio of CPU times
    says how much work each side does, the wall-time ratio what a user waits for."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def generate(path: Path, stations: int, year: int, seed: int) -> float:
    started = time.perf_counter()
    code = (
        "from ecociv.monitor import synth;"
        f"synth.write(synth.SynthSpec({stations}, {year}, {seed}), {str(path)!r})"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - started


# --------------------------------------------------------------------------- ecociv


def run_ecociv(path: Path, rules, threads: int) -> tuple[float, float, int, int, float, float, int]:
    """One timed run: (seconds, CPU seconds, daily rows, annual rows), then the IAQI step alone
    on the daily concentrations: (query-building seconds, execution seconds, values).  The
    first run in the process builds and compiles the two queries; later runs reuse the
    compiled SQL (:mod:`ecociv.monitor.compiled`), as a long-running process would."""
    con = backends.connect("duckdb", threads=threads)
    try:
        started, cpu_started = time.perf_counter(), cpu_seconds()
        hourly = backends.read_file(con, "hourly", path)
        daily = con.create_table("daily", air.daily(hourly, rules), temp=True)
        annual = con.to_pyarrow(air.annual(daily, rules))
        elapsed, cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
        rows = int(daily.count().execute())
        started = time.perf_counter()
        sums = {
            p: iaqi_expr(to_micro(daily[f"{p}_24h"]), rules.breakpoints[f"{p}_24h"], rules).sum()
            for p in POLLUTANTS_24H
        }
        sql = str(ibis.to_sql(daily.aggregate(**sums)))
        build_seconds = time.perf_counter() - started
        started = time.perf_counter()
        con.raw_sql(sql).fetchall()
        iaqi_seconds = time.perf_counter() - started
        values = rows * len(POLLUTANTS_24H)
        return elapsed, cpu, rows, annual.num_rows, build_seconds, iaqi_seconds, values
    finally:
        backends.close(con)


def run_spark(path: Path, rules, stations: list[str]) -> float:
    """Seconds for daily (materialised) + annual on Spark ``local[*]`` for *stations*."""
    con = backends.connect("spark")
    try:
        started = time.perf_counter()
        hourly = backends.read_file(con, "hourly", path)
        hourly = hourly.filter(hourly.station_id.isin(stations))
        daily = con.to_pyarrow(air.daily(hourly, rules))
        con.to_pyarrow(air.annual(backends.table(con, "daily", daily), rules))
        return time.perf_counter() - started
    finally:
        backends.close(con)


# --------------------------------------------------------------------------- pandas baseline

BREAKPOINTS = {  # HJ 633-2012 Table 1, 24-hour (O3: 1-hour and 8-hour)
    "so2": [0, 50, 150, 475, 800, 1600, 2100, 2620],
    "no2": [0, 40, 80, 180, 280, 565, 750, 940],
    "pm10": [0, 50, 150, 250, 350, 420, 500, 600],
    "pm25": [0, 35, 75, 115, 150, 250, 350, 500],
    "co": [0, 2, 4, 14, 24, 36, 48, 60],
    "o3_1h": [0, 160, 200, 300, 400, 800, 1000, 1200],
    "o3_8h": [0, 100, 160, 215, 265, 800],
}
IAQI_LEVELS = [0, 50, 100, 150, 200, 300, 400, 500]


def pandas_iaqi(values: pd.Series, key: str) -> pd.Series:
    points = BREAKPOINTS[key]
    index = np.interp(values, points, IAQI_LEVELS[: len(points)])
    return pd.Series(np.ceil(np.round(index, 9)), index=values.index).where(values.notna())


def pandas_daily_annual(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = frame.sort_values(["station_id", "time"])
    frame["date"] = (frame["time"] - pd.Timedelta(hours=1)).dt.normalize()
    groups = frame.groupby(["station_id", "date"])
    daily = pd.DataFrame(
        {p: groups[p].mean().where(groups[p].count() >= 20) for p in POLLUTANTS_24H}
    )
    daily["o3_1h_max"] = groups["o3"].max().where(groups["o3"].count() >= 20)
    rolling = (
        frame.set_index("time")
        .groupby("station_id")["o3"]
        .rolling("8h", min_periods=6)
        .mean()
        .reset_index()
    )
    hour = rolling["time"].dt.hour
    rolling = rolling[(hour >= 8) | (hour == 0)]
    rolling["date"] = (rolling["time"] - pd.Timedelta(hours=1)).dt.normalize()
    windows = rolling.groupby(["station_id", "date"])["o3"]
    daily["o3_8h_max"] = windows.max().where(windows.count() >= 14)
    iaqi = pd.DataFrame({p: pandas_iaqi(daily[p], p) for p in POLLUTANTS_24H})
    iaqi["o3_1h"] = pandas_iaqi(daily["o3_1h_max"], "o3_1h")
    iaqi["o3_8h"] = pandas_iaqi(daily["o3_8h_max"].clip(upper=800), "o3_8h")
    daily["aqi"] = iaqi.max(axis=1)
    daily = daily.reset_index()
    daily["year"] = daily["date"].dt.year
    yearly = daily.groupby(["station_id", "year"])
    annual = pd.DataFrame(
        {f"{p}_annual_mean": yearly[p].mean() for p in ("so2", "no2", "pm10", "pm25")}
    )
    annual["co_p95"] = yearly["co"].quantile(0.95)
    annual["o3_8h_p90"] = yearly["o3_8h_max"].quantile(0.90)
    annual["good_day_ratio"] = yearly["aqi"].apply(lambda a: (a <= 100).sum() / a.count() * 100)
    return daily, annual.reset_index()


def run_pandas(path: Path, stations: list[str] | None) -> tuple[float, float, float, pd.DataFrame]:
    """(seconds, CPU seconds, peak resident MB of this process, the daily table's first
    50,000 rows)."""
    started, cpu_started = time.perf_counter(), cpu_seconds()
    filters = None if stations is None else [("station_id", "in", stations)]
    frame = pd.read_parquet(path, filters=filters)
    daily, _ = pandas_daily_annual(frame)
    elapsed, cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
    return elapsed, cpu, peak_rss_mb(), daily.head(50_000)


def run_pandas_apart(
    path: Path, stations: list[str] | None
) -> tuple[float, float, float, pd.DataFrame]:
    """:func:`run_pandas` in a fresh child process (its memory is not this process's)."""
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
        return pool.submit(run_pandas, path, stations).result()


# --------------------------------------------------------------------------- python-aqi


def python_aqi_seconds_per_value(sample: pd.DataFrame, limit: int) -> tuple[float, int]:
    import aqi  # PyPI python-aqi

    keys = {"pm25": "pm25", "pm10": "pm10", "so2": "so2_24h", "no2": "no2_24h", "co": "co_24h"}
    values = []
    for column, key in keys.items():
        series = sample[column].dropna()
        series = series[series < BREAKPOINTS[column][-1]].head(limit // len(keys))
        values += [(key, f"{v:.1f}") for v in series]
    started = time.perf_counter()
    for key, value in values:
        aqi.to_iaqi(key, value, algo=aqi.ALGO_MEP)
    return (time.perf_counter() - started) / len(values), len(values)


# --------------------------------------------------------------------------- main


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="50 stations, 3 runs")
    parser.add_argument("--stations", type=int, default=None)
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--baseline-stations", type=int, default=None)
    parser.add_argument("--pyaqi-values", type=int, default=20_000)
    parser.add_argument("--spark-stations", type=int, default=0)
    args, _ = parser.parse_known_args(argv)
    stations = args.stations or (50 if args.quick else 2000)
    rules = load_rules("2012")

    with tempfile.TemporaryDirectory(prefix="ecociv-bench-") as tmp:
        path = Path(tmp) / "hourly.parquet"
        gen = generate(path, stations, args.year, seed=1)
        import pyarrow.parquet as pq

        station_hours = pq.read_metadata(path).num_rows
        print(
            f"data: {stations} stations × {args.year}: {station_hours:,} station-hours "
            f"(generated in {gen:.1f} s, child process); load average "
            f"{', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores"
        )

        times, cpus, iaqi_rates, builds = [], [], [], []
        for run in range(args.runs):
            seconds, cpu, daily_rows, annual_rows, build_s, iaqi_s, iaqi_n = run_ecociv(
                path, rules, args.threads
            )
            times.append(seconds)
            cpus.append(cpu)
            builds.append(build_s)
            iaqi_rates.append(iaqi_s / iaqi_n)
            print(
                f"  ecociv/DuckDB run {run + 1}: {seconds:.2f} s, CPU {cpu:.2f} s "
                f"({daily_rows:,} station-days, {annual_rows} station-years"
                f"{', queries built and compiled' if run == 0 else ', compiled SQL reused'}),"
                f" load average {os.getloadavg()[0]:.1f}",
                flush=True,
            )
        ours = statistics.median(times)
        ours_cpu = statistics.median(cpus)
        ours_peak = peak_rss_mb()

        ids = sorted(pq.read_table(path, columns=["station_id"]).column(0).unique().to_pylist())
        subset = ids[: args.baseline_stations] if args.baseline_stations else ids
        chosen = None if len(subset) == len(ids) else subset
        pandas_seconds, pandas_cpu, pandas_peak, pandas_daily = run_pandas_apart(path, chosen)
        print(f"  pandas: load average {os.getloadavg()[0]:.1f} after it", flush=True)
        scale = len(ids) / len(subset)
        pandas_full = pandas_seconds * scale
        pandas_full_cpu = pandas_cpu * scale

        per_value, n_values = python_aqi_seconds_per_value(pandas_daily, args.pyaqi_values)
        spark = None
        if args.spark_stations:
            few = ids[: args.spark_stations]
            spark = (len(few), run_spark(path, rules, few), run_pandas_apart(path, few)[:2])
        iaqi_values = daily_rows * 7
        pyaqi_full = per_value * iaqi_values

    print()
    print(
        f"ecociv/DuckDB  median {ours:.2f} s over {args.runs} runs (first run {times[0]:.2f} s), "
        f"CPU median {ours_cpu:.2f} s, {station_hours / ours:,.0f} station-hours/s, "
        f"peak RSS {ours_peak:,.0f} MB ({args.threads} threads)"
    )
    note = (
        ""
        if scale == 1
        else f" (measured on {len(subset)} stations: {pandas_seconds:.2f} s, scaled ×{scale:.1f})"
    )
    print(
        f"pandas         {pandas_full:.2f} s, CPU {pandas_full_cpu:.2f} s{note}, peak RSS "
        f"{pandas_peak:,.0f} MB (child process) → ecociv is {pandas_full / ours:.1f}× faster "
        f"(first run: {pandas_full / times[0]:.1f}×; CPU time: {pandas_full_cpu / ours_cpu:.1f}×"
        " less)"
    )
    print(
        f"python-aqi     {per_value * 1e6:.1f} µs per IAQI value (timed on {n_values:,} values), "
        f"× {iaqi_values:,} daily IAQI values = {pyaqi_full:.1f} s "
        f"→ ecociv is {pyaqi_full / ours:.1f}× faster (index step only; python-aqi has no means)"
    )
    ours_per_value = statistics.median(iaqi_rates)
    print(
        f"IAQI step     ecociv {ours_per_value * 1e6:.3f} µs per value "
        f"({iaqi_n:,} daily values in one query, executed; building it took "
        f"{statistics.median(builds):.2f} s once) vs python-aqi {per_value * 1e6:.1f} µs "
        f"→ {per_value / ours_per_value:.0f}× per value"
    )
    if spark:
        n, spark_s, (pandas_s, _) = spark
        print(
            f"Spark local[*] {spark_s:.2f} s on {n} stations vs pandas {pandas_s:.2f} s on the "
            f"same stations → {pandas_s / spark_s:.2f}× (query planning dominates at this size)"
        )
    print(f"peak RSS after all baselines: {peak_rss_mb():,.0f} MB")
    aims = {
        "≥5× pandas": pandas_full / ours >= 5,
        "≥50× python-aqi per value": per_value / ours_per_value >= 50,
        "≥50× python-aqi whole pipeline": pyaqi_full / ours >= 50,
        "<4 GB": ours_peak < 4096,
    }
    print("aims: " + ", ".join(f"{k} {'met' if v else 'NOT met'}" for k, v in aims.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
