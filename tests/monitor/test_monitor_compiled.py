"""Compile once, run many (``ecociv.monitor.compiled``): the daily report and the annual
statistics of a DuckDB table reuse their compiled SQL, with the same results as a fresh build,
and a different rule set, option or input never gets another's SQL."""

from __future__ import annotations

import dataclasses

import ibis
import pyarrow as pa
import pytest

from ecociv.monitor import air, backends, compiled, synth
from ecociv.monitor.air_options import AirOptions
from ecociv.monitor.rules import load_rules

SPEC = synth.SynthSpec(stations=3, year=2024, seed=7)


@pytest.fixture(scope="module")
def hourly_data() -> pa.Table:
    return synth.generate(SPEC)


def _fresh(con, data: pa.Table, rules, options=None) -> tuple[pa.Table, pa.Table]:
    """Daily and annual built from an in-memory table: never the stored SQL."""
    hourly = ibis.memtable(data)
    daily = con.to_pyarrow(air.daily(hourly, rules, options))
    annual = con.to_pyarrow(air.annual(ibis.memtable(daily), rules, options))
    return daily, annual


def _stored(con, data: pa.Table, rules, options=None) -> tuple[pa.Table, pa.Table]:
    hourly = backends.table(con, "hourly", data)
    daily = con.create_table("daily", air.daily(hourly, rules, options), temp=True)
    return con.to_pyarrow(daily), con.to_pyarrow(air.annual(daily, rules, options))


def _sorted(t: pa.Table) -> pa.Table:
    return t.sort_by([(c, "ascending") for c in t.column_names[:2]])


@pytest.mark.parametrize("rules_id", ["2012", "2026"])
def test_reused_sql_gives_what_a_fresh_build_gives(hourly_data, rules_id) -> None:
    compiled.clear()
    rules = load_rules(rules_id)
    with backends.session("duckdb") as con:
        expected = [_sorted(t) for t in _fresh(con, hourly_data, rules)]
        assert len(compiled._compiled) == 0  # in-memory tables are built as before
        first = [_sorted(t) for t in _stored(con, hourly_data, rules)]
        assert len(compiled._compiled) == 2  # daily and annual, compiled once
    with backends.session("duckdb") as con:  # another connection, the same kind of input
        second = [_sorted(t) for t in _stored(con, hourly_data, rules)]
        assert len(compiled._compiled) == 2  # reused, nothing compiled again
    for got in (first, second):
        for table, want in zip(got, expected, strict=True):
            assert table.column_names == want.column_names
            assert table.schema == want.schema
            assert table.equals(want)


def test_other_rules_options_or_inputs_get_their_own_sql(hourly_data) -> None:
    compiled.clear()
    r12, r26 = load_rules("2012"), load_rules("2026")
    other = dataclasses.replace(AirOptions(), o3_8h_max_validity="all_windows")
    with backends.session("duckdb") as con:
        hourly = backends.table(con, "hourly", hourly_data)
        air.daily(hourly, r12)
        air.daily(hourly, r26)
        air.daily(hourly, r12, other)
        air.daily(backends.table(con, "other_name", hourly_data), r12)
        assert len(compiled._compiled) == 4
        air.daily(hourly, r12)  # the first again: reused
        assert len(compiled._compiled) == 4
        assert len({sql for sql, _ in compiled._compiled.values()}) == 4
        strict = con.to_pyarrow(air.daily(hourly, r12, other))
        usual = con.to_pyarrow(air.daily(hourly, r12))
        assert strict.column("o3_8h_max").null_count >= usual.column("o3_8h_max").null_count
