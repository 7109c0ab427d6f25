"""Realistic synthetic hourly air-quality data (合成空气质量小时数据) for tests, demos, benchmarks.

The generator is a small statistical model, vectorised over stations with numpy:

* **Seasonal shapes** — SO2, NO2, CO and particles peak in winter (heating season), O3 in
  early summer; a cosine of the day of year per pollutant.
* **Daily shapes** — NO2 and CO rush-hour peaks (08 h, 20 h), particles high at night and low in
  the afternoon (boundary-layer height), O3 low at dawn and peaking near 15 h with an amplitude
  that grows with the sun; NO2 titrates O3 at night.
* **Episodes** — a regional day-to-day "stagnation" factor (AR(1) over days, stronger in winter)
  shared by every station of a region, which makes winter PM episodes and the pollutants'
  correlation; an hourly AR(1) station factor on top, plus pollutant-specific noise.
* **Gaps** — scattered missing hours, multi-hour analyser outages per pollutant, whole missing
  days (absent rows) and one station in forty off-line for a month or more.

Output is the canonical wide layout (one row per station-hour, hour-ending local time, µg/m³
and CO in mg/m³, nulls for missing), rounded the way monitoring networks publish hourly values
(integer µg/m³, CO to 0.1 mg/m³).  The same seed always gives the same data.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

POLLUTANTS = ("so2", "no2", "pm10", "pm25", "co", "o3")

#: Fictional region codes (the 99 prefix belongs to no province) and station types (HJ 664).
REGION_CODES = ("990101", "990102", "990103", "990201", "990202")
STATION_TYPES = ("城市点", "城市点", "城市点", "城市点", "区域点", "背景点")
STATION_NAME = "合成站点{:04d}"

#: Annual-mean level of each pollutant at a typical station [µg/m³; CO mg/m³].
BASE_LEVEL = {"so2": 9.0, "no2": 28.0, "pm25": 30.0, "coarse": 24.0, "co": 0.65, "o3": 58.0}
#: Winter/summer contrast: log-amplitude of the seasonal cosine (peak in mid-January).
SEASONAL_AMPLITUDE = {"so2": 0.45, "no2": 0.25, "pm25": 0.45, "coarse": 0.25, "co": 0.35}
#: Loading of each pollutant on the shared stagnation factor.
STAGNATION_LOADING = {"so2": 0.6, "no2": 0.5, "pm25": 0.9, "coarse": 0.6, "co": 0.7}
CHUNK_STATIONS = 100

SCHEMA = pa.schema(
    [
        ("station_id", pa.string()),
        ("time", pa.timestamp("s")),
        *[(name, pa.float64()) for name in POLLUTANTS],
    ]
)


@dataclass(frozen=True)
class SynthSpec:
    """What to generate: *stations* stations over calendar *year*, from *seed*."""

    stations: int
    year: int
    seed: int = 0


def station_metadata(spec: SynthSpec) -> pa.Table:
    """Station metadata: ``station_id``, ``name``, ``region_code``, ``type``."""
    rng = np.random.default_rng([spec.seed, 1])
    ids = [station_id(i) for i in range(spec.stations)]
    regions = rng.choice(len(REGION_CODES), size=spec.stations)
    types = rng.choice(len(STATION_TYPES), size=spec.stations)
    return pa.table(
        {
            "station_id": ids,
            "name": [STATION_NAME.format(i + 1) for i in range(spec.stations)],
            "region_code": [REGION_CODES[r] for r in regions],
            "type": [STATION_TYPES[t] for t in types],
        }
    )


def station_id(index: int) -> str:
    return f"S{index + 1:05d}"


def hours_of_year(year: int) -> np.ndarray:
    """Hour-ending timestamps of *year*: ``year-01-01 01:00`` … ``year+1-01-01 00:00``."""
    start = np.datetime64(datetime(year, 1, 1, 1), "s")
    end = np.datetime64(datetime(year + 1, 1, 1, 0), "s")
    return np.arange(start, end + np.timedelta64(1, "h"), np.timedelta64(1, "h"))


def generate(spec: SynthSpec) -> pa.Table:
    """All station-hours of *spec* as one Arrow table (use :func:`write` for large runs)."""
    return pa.concat_tables(list(iter_chunks(spec)))


def write(spec: SynthSpec, path: str | Path, *, progress=None) -> int:
    """Write the hourly data of *spec* to *path* (.parquet or .csv); return the row count.

    Stations are generated and written in chunks, so memory stays flat.  *progress*, if
    given, is called with the number of stations done after each chunk.
    """
    path = Path(path)
    rows = 0
    writer: pq.ParquetWriter | None = None
    csv_writer = None
    try:
        for done, chunk in enumerate(iter_chunks(spec), start=1):
            if path.suffix.lower() == ".csv":
                import pyarrow.csv as pacsv

                csv_writer = csv_writer or pacsv.CSVWriter(str(path), SCHEMA)
                csv_writer.write_table(chunk)
            else:
                writer = writer or pq.ParquetWriter(str(path), SCHEMA, compression="zstd")
                writer.write_table(chunk)
            rows += chunk.num_rows
            if progress:
                progress(min(done * CHUNK_STATIONS, spec.stations))
    finally:
        for open_writer in (writer, csv_writer):
            if open_writer is not None:
                open_writer.close()
    return rows


def iter_chunks(spec: SynthSpec) -> Iterator[pa.Table]:
    """The data of *spec*, ``CHUNK_STATIONS`` stations per Arrow table."""
    times = hours_of_year(spec.year)
    climate = _Climate.of(times)
    metadata = station_metadata(spec)
    region_index = {code: i for i, code in enumerate(REGION_CODES)}
    regions = np.array([region_index[c] for c in metadata.column("region_code").to_pylist()])
    stagnation = _regional_stagnation(np.random.default_rng([spec.seed, 2]), climate)
    for first in range(0, spec.stations, CHUNK_STATIONS):
        last = min(first + CHUNK_STATIONS, spec.stations)
        rng = np.random.default_rng([spec.seed, 3, first])
        values = _station_values(rng, climate, stagnation[regions[first:last]])
        _punch_gaps(rng, values, first)
        yield _to_table(range(first, last), times, values, rng)


@dataclass(frozen=True)
class _Climate:
    """Calendar features of each hour: season (cosines) and hour of day."""

    winter: np.ndarray  # +1 mid-January, −1 mid-July
    sun: np.ndarray  # 0 … 1, highest early summer
    hour: np.ndarray  # 0 … 23, hour-ending hour-of-day (00 h ends the day)
    day: np.ndarray  # 0-based day index of each hour (hour-ending 00 h belongs to the day before)
    days: int

    @classmethod
    def of(cls, times: np.ndarray) -> _Climate:
        hour = (times.astype("datetime64[h]").astype(np.int64) % 24).astype(np.int64)
        day_of = (times - np.timedelta64(1, "h")).astype("datetime64[D]")
        day = (day_of - day_of[0]).astype(np.int64)
        doy = day.astype(np.float64)
        return cls(
            winter=np.cos(2 * np.pi * (doy - 15) / 365.25),
            sun=0.5 + 0.5 * np.cos(2 * np.pi * (doy - 170) / 365.25),
            hour=hour,
            day=day,
            days=int(day[-1]) + 1,
        )


def _regional_stagnation(rng: np.random.Generator, climate: _Climate) -> np.ndarray:
    """Day-to-day regional stagnation (log scale), one row per region, hourly resolution."""
    daily = _ar1(rng, (len(REGION_CODES), climate.days), phi=0.75, sd=0.35)
    day_winter = np.cos(2 * np.pi * (np.arange(climate.days) - 15) / 365.25)
    daily *= 1.0 + 0.6 * day_winter  # winter episodes are deeper and longer
    return daily[:, climate.day]


def _station_values(
    rng: np.random.Generator, climate: _Climate, stagnation: np.ndarray
) -> dict[str, np.ndarray]:
    stations, hours = stagnation.shape
    station_factor = rng.lognormal(0.0, 0.3, size=(stations, 1))
    local = _ar1(rng, (stations, hours), phi=0.93, sd=0.25)  # hourly station weather
    noise = {p: _ar1(rng, (stations, hours), phi=0.7, sd=0.2) for p in BASE_LEVEL}
    hour = climate.hour
    shapes = {
        "so2": 0.15 * np.cos(2 * np.pi * (hour - 12) / 24),
        "no2": 0.25 * np.cos(2 * np.pi * (hour - 8) / 12)
        - 0.1 * np.cos(2 * np.pi * (hour - 14) / 24),
        "co": 0.15 * np.cos(2 * np.pi * (hour - 8) / 12)
        + 0.1 * np.cos(2 * np.pi * (hour - 1) / 24),
        "pm25": 0.2 * np.cos(2 * np.pi * (hour - 1) / 24),
        "coarse": 0.15 * np.cos(2 * np.pi * (hour - 9) / 24),
    }
    out: dict[str, np.ndarray] = {}
    for p, shape in shapes.items():
        log_level = (
            np.log(BASE_LEVEL[p])
            + SEASONAL_AMPLITUDE[p] * climate.winter
            + shape
            + STAGNATION_LOADING[p] * (stagnation + local)
            + noise[p]
        )
        out[p] = np.exp(log_level) * station_factor
    out["pm10"] = out["pm25"] + out.pop("coarse")
    daylight = np.clip(np.cos(2 * np.pi * (hour - 15) / 24) * 1.3 - 0.25, 0.0, None)
    photochemistry = 1.0 + (0.6 + 1.6 * climate.sun) * daylight
    o3 = (
        BASE_LEVEL["o3"] * (0.55 + 0.45 * climate.sun) * photochemistry * np.exp(noise["o3"])
        + 25.0 * local * climate.sun
    )
    out["o3"] = np.clip(o3 - 0.35 * out["no2"] * (daylight == 0), 2.0, None)
    return out


def _ar1(rng: np.random.Generator, shape: tuple[int, int], *, phi: float, sd: float) -> np.ndarray:
    """AR(1) series along the last axis with stationary standard deviation *sd*."""
    shocks = rng.standard_normal(shape) * sd * np.sqrt(1 - phi**2)
    series = np.empty(shape)
    series[:, 0] = rng.standard_normal(shape[0]) * sd
    for t in range(1, shape[1]):
        series[:, t] = phi * series[:, t - 1] + shocks[:, t]
    return series


def _punch_gaps(rng: np.random.Generator, values: dict[str, np.ndarray], first: int) -> None:
    """Blank scattered hours, per-pollutant outages and, for some stations, a long outage."""
    stations, hours = values["pm25"].shape
    scattered = rng.random((stations, hours)) < 0.015
    for series in values.values():
        series[scattered | (rng.random((stations, hours)) < 0.004)] = np.nan
        for s in range(stations):
            for _ in range(rng.poisson(3)):  # analyser outages of 3 h to 3 days
                start = rng.integers(hours)
                series[s, start : start + rng.integers(3, 72)] = np.nan
    for s in range(stations):
        if (first + s) % 40 == 39:  # one station in forty is off-line for a month or more
            start = rng.integers(hours - 24 * 60)
            for series in values.values():
                series[s, start : start + rng.integers(24 * 30, 24 * 60)] = np.nan


def _to_table(
    indices: range, times: np.ndarray, values: dict[str, np.ndarray], rng: np.random.Generator
) -> pa.Table:
    """Long-run layout: station-major rows; whole missing days (≈1 %) are absent rows."""
    hours = len(times)
    stations = len(indices)
    day = (times - np.timedelta64(1, "h")).astype("datetime64[D]")
    day_index = (day - day[0]).astype(np.int64)
    missing_day = rng.random((stations, int(day_index[-1]) + 1)) < 0.01
    keep = ~missing_day[:, day_index]
    ids = np.repeat(np.array([station_id(i) for i in indices]), hours).reshape(stations, hours)
    columns: dict[str, pa.Array] = {
        "station_id": pa.array(ids[keep], pa.string()),
        "time": pa.array(np.broadcast_to(times, (stations, hours))[keep], pa.timestamp("s")),
    }
    for p in POLLUTANTS:
        decimals = 1 if p == "co" else 0
        series = np.round(values[p][keep], decimals)
        columns[p] = pa.array(series, pa.float64(), mask=np.isnan(series))
    return pa.table(columns, schema=SCHEMA)
