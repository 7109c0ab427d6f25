"""Air quality from hourly station data as Ibis expressions (HJ 633, GB 3095, HJ 663).

Engine-agnostic: every function takes and returns an ``ibis.Table`` and builds one query
(DuckDB by default, Spark at scale); nothing is executed here.  Input: the canonical hourly
table — ``station_id`` (string), ``time`` (timestamp, hour-ending local time: 01:00 covers
00:00–01:00), ``so2 no2 pm10 pm25 o3`` [µg/m³] and ``co`` [mg/m³] as float64, nulls for missing
values; one row per station and hour.  A negative value is invalid and counts as missing.

Natural day (自然日): the hours labelled D 01:00 … D+1 00:00 (HJ 633-2012 §5.1.1 "当日零点前24
小时"; HJ 633-2026 §4.2.2).  Concentrations are carried as integer micro-units
(:mod:`ecociv.monitor.air_expr`) so that every mean, rounding and IAQI is exact.

Public functions: :func:`hourly_aqi`, :func:`daily`, :func:`city_daily` and
:func:`ecociv.monitor.air_annual.annual` (re-exported here); options in :class:`AirOptions`.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from ecociv.errors import InputError
from ecociv.monitor.air_annual import annual
from ecociv.monitor.air_expr import (
    MICRO,
    add_columns,
    aqi_expr,
    category_exprs,
    div_half_even,
    from_micro,
    mean_micro,
    only_where,
    over_standard_expr,
    primary_expr,
    report_iaqi_exprs,
    round_published,
    to_micro,
    valid_micro,
)
from ecociv.monitor.air_options import DEFAULT_OPTIONS, AirOptions, practice_of
from ecociv.monitor.compiled import reuse_compiled
from ecociv.monitor.rules import (
    DAILY_CONCENTRATION_KINDS,
    HOURLY_CONCENTRATION_KINDS,
    POLLUTANTS,
    AirRules,
    Practice,
    ReportName,
    is_average,
    pollutant_of,
)

#: The daily concentration columns, in output order (the contract with ``ecociv monitor``).
DAILY_CONCENTRATIONS = DAILY_CONCENTRATION_KINDS
#: Daily IAQI columns (``iaqi_<key>``); keys a rule set does not report stay null.
DAILY_IAQI_KEYS = ("so2", "no2", "pm10", "pm25", "co", "o3_8h", "o3_1h")
DAILY_COLUMNS = (*DAILY_CONCENTRATIONS, "aqi", "category", "primary_pollutant", "valid")
#: The real-time concentration columns, the same for both rule sets (unused ones are null).
HOURLY_CONCENTRATIONS = HOURLY_CONCENTRATION_KINDS
#: Real-time IAQI columns: the AQI's indicators, then those reported beside it (published
#: practice: ``o3_8h``, ``pm10_24h``, ``pm25_24h``; under HJ 633-2012 表4 read literally
#: ``o3_8h`` is in the AQI and ``pm10``/``pm25`` index the 24-hour moving means).
HOURLY_IAQI_KEYS = ("so2", "no2", "pm10", "pm25", "co", "o3_1h", "o3_8h", "pm10_24h", "pm25_24h")
_MEAN_24H = ("so2", "no2", "pm10", "pm25", "co")
_O3_DAILY = ("o3_8h_max", "o3_1h_max")
_DAILY_24H = tuple(c for c in DAILY_CONCENTRATIONS if c not in _O3_DAILY)
#: The hours of a natural day (0 = 00:00–01:00) and the day numbers' origin (day 0).
_DAY_HOURS = range(24)
_EPOCH_DAY = ibis.date(1970, 1, 1)


def _checked(t: ir.Table, id_col: str) -> None:
    missing = [c for c in (id_col, "time", *POLLUTANTS) if c not in t.columns]
    if missing:
        raise InputError(
            f"小时数据缺少列：{', '.join(missing)}",
            f"hourly data lack the columns: {', '.join(missing)}",
        )


def _micro_hours(t: ir.Table, id_col: str) -> ir.Table:
    """Hourly rows in micro-units with their natural day and hour of day (0 = 00:00–01:00)."""
    _checked(t, id_col)
    start = t.time - ibis.interval(hours=1)
    return t.select(
        t[id_col],
        t.time,
        date=start.date(),
        hour=start.hour(),
        **{p: to_micro(t[p].cast("float64")) for p in POLLUTANTS},
    )


def _day_hours(t: ir.Table, id_col: str) -> ir.Table:
    """Hourly rows for the daily grouping: the natural day as a day number and the hour of
    day (0 = 00:00–01:00) in integer arithmetic on the epoch hour, values as float64 with
    negative (invalid) ones null.  Micro-units are taken after the grouping (:func:`_exact`)."""
    _checked(t, id_col)
    start_hour = t.time.epoch_seconds() // 3600 - 1
    return t.select(
        t[id_col],
        day=start_hour // 24,
        hour=start_hour % 24,
        **{
            p: ibis.ifelse(t[p] >= 0, t[p].cast("float64"), ibis.null("float64"))
            for p in POLLUTANTS
        },
    )


def _exact(total: ir.FloatingValue) -> ir.IntegerValue:
    """A float64 sum of at most 24 valid (non-negative) hourly values, as exact micro-units.
    Each value has at most six decimals (the input precision) and is below 10⁴, so the float
    sum is within 10⁻⁹ of the decimal sum and rounds to the same micro-unit on every engine,
    whatever the order."""
    return valid_micro(total)


def _daily_concentrations(
    h: ir.Table, id_col: str, rules: AirRules, options: AirOptions
) -> ir.Table:
    """Valid daily concentrations in micro-units per id and natural day, with counts, from the
    rows of :func:`_day_hours` (one per id and hour).

    24-hour means need ≥ 20 valid hours (GB 3095-2012 Table 4).  Each 8-hour mean needs ≥ 6
    valid hours (ibid.); the 8-hour windows end 08:00 … 24:00 (HJ 663-2013 Table A.1, trailing
    windows inside the natural day), so no window function or gap-filling is needed: the one
    grouping pass takes each hour's O3 value (``max(CASE WHEN hour = k …)``, 24 aggregates;
    a station has one row per hour), from which the O3 hour count and daily 1-hour maximum
    follow, and each window adds its 8 hours afterwards, as sums of 2, then 4, then 8
    consecutive hours shared between the windows.  Sums are float64 in the grouping and
    exact micro-units after it (:func:`_exact`).  The validity of the daily maxima follows
    ``rules.validity`` and ``options.o3_8h_max_validity``.  Each step is its own projection
    so that later steps refer to earlier results by name."""
    v = rules.validity
    aggs: dict[str, ir.Value] = {}
    for p in _MEAN_24H:
        aggs[f"{p}_sum"] = h[p].sum()
        aggs[f"n_hours_{p}"] = h[p].count()
    for hour in _DAY_HOURS:
        aggs[f"h{hour}_value"] = only_where(h.o3, h.hour == hour).max()
    g = h.group_by([id_col, "day"]).aggregate(**aggs)
    o3_hours = [g[f"h{hour}_value"] for hour in _DAY_HOURS]
    g = g.mutate(
        date=_EPOCH_DAY + g.day.as_interval("D"),
        n_hours_o3=add_columns(x.notnull().cast("int64") for x in o3_hours),
        o3_1h_top=valid_micro(ibis.greatest(*o3_hours)),
        **{f"{p}_total": _exact(g[f"{p}_sum"]) for p in _MEAN_24H},
        **{f"h{hour}_total": _exact(g[f"h{hour}_value"]).fill_null(0) for hour in _DAY_HOURS},
        **{f"h{hour}_n": g[f"h{hour}_value"].notnull().cast("int64") for hour in _DAY_HOURS},
    )
    rule8 = v.o3_8h_daily_max
    ends = range(rule8.first_window_end, rule8.last_window_end + 1)
    # The 8 hours of a window as sums of 2, then 4, then 8 consecutive hours (s{n}_{k}_…: the
    # n hours from hour k): three additions per window instead of seven.
    hour_sum = {1: "h{}_{}"}
    for span in (2, 4, 8):
        half, hour_sum[span] = span // 2, f"s{span}_{{}}_{{}}"
        g = g.mutate(
            **{
                hour_sum[span].format(k, part): g[hour_sum[half].format(k, part)]
                + g[hour_sum[half].format(k + half, part)]
                for k in range(ends[0] - 8, ends[-1] + 1 - span)
                for part in ("total", "n")
            }
        )
    g = g.select(  # only what the next steps read (a shorter query to build and compile)
        g[id_col],
        g.date,
        g.o3_1h_top,
        *(g[f"n_hours_{p}"] for p in POLLUTANTS),
        *(g[f"{p}_total"] for p in _MEAN_24H),
        *(g[f"s8_{e - 8}_{part}"] for e in ends for part in ("total", "n")),
    )
    g = g.mutate(
        **{
            f"w{e}": _mean_order(g[f"s8_{e - 8}_total"], g[f"s8_{e - 8}_n"], v.o3_8h_min_hours)
            for e in ends
        },
        **{
            f"{p}_24h": mean_micro(g[f"{p}_total"], g[f"n_hours_{p}"], v.daily_min_hours)
            for p in _MEAN_24H
        },
    )
    windows = [g[f"w{e}"] for e in ends]
    g = g.mutate(
        n_o3_8h_windows=add_columns(w.notnull().cast("int64") for w in windows),
        o3_8h_order=ibis.greatest(*windows),
    )
    g = g.mutate(
        o3_8h_top=ibis.cases(
            *(
                (
                    g[f"w{e}"] == g.o3_8h_order,
                    div_half_even(g[f"s8_{e - 8}_total"], g[f"s8_{e - 8}_n"]),
                )
                for e in ends
            ),
            else_=ibis.null("int64"),
        )
    )
    limit8 = int(rules.fixed_limit(rule8.valid_if_exceeds, options.zone_class) * MICRO)
    valid8 = {
        "hj663_2013": (g.n_o3_8h_windows >= rule8.min_windows) | (g.o3_8h_top > limit8),
        "all_windows": g.n_o3_8h_windows == len(windows),
        "any_window": g.n_o3_8h_windows >= 1,
    }[options.o3_8h_max_validity]
    rule1 = v.o3_1h_daily_max
    limit1 = int(rules.fixed_limit(rule1.valid_if_exceeds, options.zone_class) * MICRO)
    valid1 = (g.n_hours_o3 >= rule1.min_hours) | (g.o3_1h_top > limit1)
    nothing = ibis.null("int64")
    return g.select(
        g[id_col],
        g.date,
        *(g[f"{p}_24h"] for p in _MEAN_24H),
        o3_8h_max=ibis.ifelse(valid8.fill_null(False), g.o3_8h_top, nothing),
        o3_1h_max=ibis.ifelse(valid1.fill_null(False), g.o3_1h_top, nothing),
        **{f"n_hours_{p}": g[f"n_hours_{p}"] for p in POLLUTANTS},
        n_o3_8h_windows=g.n_o3_8h_windows,
    )


def _mean_order(total: ir.IntegerValue, count: ir.IntegerValue, min_count: int) -> ir.FloatingValue:
    """``total / count`` as a float64 that orders the 8-hour means exactly as their exact
    values, null when fewer than *min_count* values are valid.  With counts up to 8, two
    different means differ by at least 1/64 micro-unit, far above the float64 spacing of
    numbers below 2⁴⁰ micro-units (2⁻¹², i.e. any mean below 1.1 × 10⁶ µg/m³; the plausible
    O3 maximum is 2,000), and equal fractions give equal floats (IEEE 754 division is
    correctly rounded), so a window with the largest float has the largest exact mean; only
    that one is then divided exactly (:func:`~ecociv.monitor.air_expr.div_half_even`)."""
    return ibis.ifelse(count >= min_count, total.cast("float64") / count, ibis.null("float64"))


def _indexed(
    conc: ir.Table,
    keys: list[str],
    kinds: tuple[str, ...],
    extras: list[str],
    report: ReportName,
    rules: AirRules,
    iaqi_keys: tuple[str, ...],
    practice: Practice,
) -> ir.Table:
    """Round the micro-unit concentrations as the practice publishes them (keeping each
    average's exact value as ``<kind>_mean``), index them (IAQI, AQI, category, primary and
    over-standard pollutants) and convert back to floats, one projection a step."""
    averages = [k for k in kinds if is_average(k)]
    conc = conc.mutate(**{f"{k}_mean": conc[k] for k in averages})
    conc = conc.mutate(**{k: round_published(conc[k], k, rules, practice) for k in kinds})
    indicators = rules.reports[report].indicators
    exprs = report_iaqi_exprs(report, {k: conc[k] for k in kinds}, rules)
    conc = conc.mutate(**{f"iaqi_{k}": e for k, e in exprs.items()})
    in_aqi = rules.reports[report].in_aqi
    conc = conc.mutate(aqi=aqi_expr({k: conc[f"iaqi_{k}"] for k in in_aqi}, rules))
    iaqis = {k: conc[f"iaqi_{k}"] for k in in_aqi}
    category, level = category_exprs(conc.aqi, rules)
    return conc.select(
        *(conc[k] for k in keys),
        **{k: from_micro(conc[k]) for k in kinds},
        aqi=conc.aqi,
        category=category,
        primary_pollutant=primary_expr(iaqis, conc.aqi, rules, report),
        valid=conc.aqi.notnull(),
        level=level,
        over_standard=over_standard_expr(iaqis, rules, report),
        complete=ibis.and_(*(x.notnull() for x in iaqis.values())),
        **{
            f"iaqi_{k}": conc[f"iaqi_{k}"] if k in indicators else ibis.null("int64")
            for k in iaqi_keys
        },
        **{c: conc[c] for c in extras},
        **{f"{k}_mean": from_micro(conc[f"{k}_mean"]) for k in averages},
        rules=ibis.literal(rules.id),
    )


@reuse_compiled
def daily(t: ir.Table, rules: AirRules, options: AirOptions | None = None) -> ir.Table:
    """Daily report per station (日报, HJ 633-2012 §5.1.1 Table 3 / HJ 633-2026 §4.2.2 Table 4).

    Columns: ``station_id, date, so2_24h, no2_24h, pm10_24h, pm25_24h, co_24h, o3_8h_max,
    o3_1h_max`` [µg/m³; CO mg/m³; rounded per HJ 633-2026 §4.2.2 under the 2026 rules],
    ``aqi, category, primary_pollutant, valid`` (``valid``: the AQI is published), then
    ``level, over_standard, complete`` (every indicator valid), ``iaqi_<so2|no2|pm10|pm25|co|
    o3_8h|o3_1h>``, ``n_hours_<pollutant>``, ``n_o3_8h_windows`` and ``rules``.
    A concentration that fails its validity rule (GB 3095-2012 Table 4) is null.
    """
    options = options or DEFAULT_OPTIONS
    conc = _daily_concentrations(_day_hours(t, "station_id"), "station_id", rules, options)
    extras = [f"n_hours_{p}" for p in POLLUTANTS] + ["n_o3_8h_windows"]
    practice = practice_of(rules, options)
    return _indexed(
        conc,
        ["station_id", "date"],
        DAILY_CONCENTRATIONS,
        extras,
        "daily",
        rules,
        DAILY_IAQI_KEYS,
        practice,
    )


def _grouped_means(t: ir.Table, keys: list[str], columns: tuple[str, ...]) -> ir.Table:
    """Per group, the half-even micro-unit mean of each column's valid values (null if none)."""
    g = t.group_by(keys).aggregate(
        **{f"{c}_total": t[c].sum() for c in columns},
        **{f"{c}_n": t[c].count() for c in columns},
    )
    return g.select(*keys, **{c: mean_micro(g[f"{c}_total"], g[f"{c}_n"], 1) for c in columns})


def city_daily(
    t: ir.Table, stations: ir.Table, rules: AirRules, options: AirOptions | None = None
) -> ir.Table:
    """Daily report per city (``region_code``) from its stations, per HJ 663-2013.

    City concentrations are arithmetic means of the stations' values and the city AQI is
    computed from them, never by averaging station AQIs.  Stations absent from *stations*
    (or of another ``type`` when ``options.city_station_types`` is set) do not enter.  How city O3 values are built is not
    verified (MONITORING.md §3.3); ``options.city_method`` chooses (see :class:`AirOptions`).
    Columns as :func:`daily`, with ``region_code`` first and ``n_stations`` (stations with
    data that day) instead of the hour counts.
    """
    options = options or DEFAULT_OPTIONS
    needed = ("station_id", "region_code", *(("type",) if options.city_station_types else ()))
    missing = [c for c in needed if c not in stations.columns]
    if missing:
        raise InputError(
            f"站点信息缺少列：{', '.join(missing)}（城市级结果需要 region_code）",
            f"station metadata lack the columns: {', '.join(missing)} "
            "(city-level results need region_code)",
        )
    st = stations
    if options.city_station_types is not None:
        st = st.filter(st.type.isin(list(options.city_station_types)))
    member = st.select("station_id", "region_code")
    h = _micro_hours(t, "station_id").join(member, "station_id")
    keys = ["region_code", "date"]
    parts: list[ir.Table] = []
    if options.city_method in ("hj663_2013", "city_hourly"):
        city_hours = _grouped_means(h, ["region_code", "time"], POLLUTANTS)
        city_hours = city_hours.mutate(**{p: from_micro(city_hours[p]) for p in POLLUTANTS})
        city = _daily_concentrations(
            _day_hours(city_hours, "region_code"), "region_code", rules, options
        )
        take: tuple[str, ...] = (
            DAILY_CONCENTRATIONS if options.city_method == "city_hourly" else _O3_DAILY
        )
        parts.append(_only(city, keys, take))
    if options.city_method in ("hj663_2013", "station_daily"):
        station_hours = _day_hours(t, "station_id").join(member, "station_id")
        station = _daily_concentrations(station_hours, "station_id", rules, options)
        station = station.join(member, "station_id")
        take = DAILY_CONCENTRATIONS if options.city_method == "station_daily" else _DAILY_24H
        parts.append(_only(_grouped_means(station, keys, take), keys, take))
    conc = parts[0] if len(parts) == 1 else parts[0].union(parts[1])
    conc = conc.group_by(keys).aggregate(**{c: conc[c].max() for c in DAILY_CONCENTRATIONS})
    counts = h.group_by(keys).aggregate(n_stations=h.station_id.nunique())
    conc = conc.join(counts, keys)
    practice = practice_of(rules, options)
    return _indexed(
        conc, keys, DAILY_CONCENTRATIONS, ["n_stations"], "daily", rules, DAILY_IAQI_KEYS, practice
    )


def _only(t: ir.Table, keys: list[str], take: tuple[str, ...]) -> ir.Table:
    """*t* with every daily concentration column, those not in *take* set to null."""
    nothing = ibis.null("int64")
    return t.select(
        *(t[k] for k in keys), **{c: t[c] if c in take else nothing for c in DAILY_CONCENTRATIONS}
    )


def with_moving(
    h: ir.Table, id_col: str, kinds: tuple[str, ...], rules: AirRules, practice: Practice
) -> ir.Table:
    """Add the moving means among *kinds* (``o3_8h_moving``, ``<p>_24h_moving``) in micro-units
    to hourly rows from :func:`_micro_hours` with an ``hour_index`` (hours since the epoch).

    ``<p>_24h_moving``: the 24 hours ending at the hour, by time (absent rows count as
    missing), valid with ≥ 20 valid hours (GB 3095-2012 表4's 24-hour rule, by analogy).
    ``o3_8h_moving``: the 8 hours ending at the hour, valid with ≥ 6 (GB 3095-2012 表4); when
    the practice keeps it inside the natural day (MONITORING.md §1.5: at 03:00 the networks
    average 01:00–03:00) the window is the last min(t, 8) hours of the day and needs
    min(t, 6) valid hours (ecociv's choice: the 6-of-8 rule, all hours of a shorter window).
    """
    v = rules.validity
    spans = {"o3_8h_moving": (8, v.o3_8h_min_hours)}
    spans |= {f"{p}_24h_moving": (24, v.moving_24h_min_hours) for p in POLLUTANTS}
    wanted = [k for k in kinds if k in spans]
    if not wanted:
        return h
    parts: dict[str, ir.Value] = {}
    need: dict[str, ir.IntegerValue | int] = {}
    for kind in wanted:
        hours, min_hours = spans[kind]
        by = [h[id_col]]
        need[kind] = min_hours
        if kind == "o3_8h_moving" and practice.o3_8h_moving_window == "natural_day":
            by.append(h.date)
            need[kind] = ibis.least(h.hour + 1, min_hours)
        w = ibis.range_window(group_by=by, order_by=h.hour_index, preceding=hours - 1, following=0)
        col = h[pollutant_of(kind)]
        parts[f"{kind}_total"] = col.sum().over(w)
        parts[f"{kind}_n"] = col.count().over(w)
    h = h.mutate(**parts)
    return h.mutate(
        **{
            k: ibis.ifelse(
                h[f"{k}_n"] >= need[k],
                div_half_even(h[f"{k}_total"], h[f"{k}_n"]),
                ibis.null("int64"),
            )
            for k in wanted
        }
    )


def moving_means(
    t: ir.Table, kinds: tuple[str, ...], rules: AirRules, options: AirOptions | None = None
) -> ir.Table:
    """``station_id, time`` and the moving means *kinds* (``<p>_24h_moving`` for any pollutant,
    ``o3_8h_moving``) as the practice publishes them (:func:`with_moving`, GB/T 8170)."""
    practice = practice_of(rules, options or DEFAULT_OPTIONS)
    h = _micro_hours(t, "station_id")
    h = with_moving(
        h.mutate(hour_index=h.time.epoch_seconds() // 3600), "station_id", kinds, rules, practice
    )
    return h.select(
        "station_id",
        "time",
        **{k: from_micro(round_published(h[k], k, rules, practice)) for k in kinds},
    )


def hourly_aqi(t: ir.Table, rules: AirRules, options: AirOptions | None = None) -> ir.Table:
    """Real-time report per station and hour (实时报).

    Published practice (default, MONITORING.md §1.5; HJ 633-2026 §4.2.3–§4.2.4 Table 5): the
    AQI is the maximum of the six 1-hour IAQIs, PM10/PM2.5 1-hour values on the 24-hour
    breakpoints; the O3 8-hour moving mean (inside the natural day) and the PM10/PM2.5
    24-hour moving means are reported beside it, rounded per GB/T 8170, with their own IAQIs
    (``iaqi_o3_8h``, ``iaqi_pm10_24h``, ``iaqi_pm25_24h``) that do not enter the AQI.
    ``options.practice="standard_text"``: HJ 633-2012 §5.1.2 Table 4 read literally (SO2, NO2,
    CO, O3 1-hour, O3 8-hour moving and PM 24-hour moving means, trailing windows).  Under
    2012 an SO2 1-hour value above 800 reports the IAQI of the SO2 24-hour moving mean
    (Table 1 note 2).  Columns (the same for every rule set and practice): ``station_id,
    time``, :data:`HOURLY_CONCENTRATIONS` (null where unused), ``aqi, category,
    primary_pollutant, valid, level, over_standard, complete``, ``iaqi_<key>`` for
    :data:`HOURLY_IAQI_KEYS`, ``<moving kind>_mean`` (exact) and ``rules``.
    """
    options = options or DEFAULT_OPTIONS
    practice = practice_of(rules, options)
    report = practice.hourly_report
    h = _micro_hours(t, "station_id")
    h = h.mutate(hour_index=h.time.epoch_seconds() // 3600)
    indicators = rules.reports[report].indicators.values()
    wanted = (k for ind in indicators for k in (ind.concentration, ind.fallback) if k is not None)
    kinds = tuple(dict.fromkeys(wanted))
    h = with_moving(h, "station_id", kinds, rules, practice)
    nothing = ibis.null("int64")
    h = h.mutate(
        **{
            k: (h[k.removesuffix("_1h")] if k.endswith("_1h") else h[k]) if k in kinds else nothing
            for k in HOURLY_CONCENTRATIONS
        }
    )
    return _indexed(
        h,
        ["station_id", "time"],
        HOURLY_CONCENTRATIONS,
        [],
        report,
        rules,
        HOURLY_IAQI_KEYS,
        practice,
    )


__all__ = [
    "DAILY_COLUMNS",
    "HOURLY_CONCENTRATIONS",
    "AirOptions",
    "annual",
    "city_daily",
    "daily",
    "hourly_aqi",
]
