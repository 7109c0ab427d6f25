"""GB 3838-2002 classes and the 2011 evaluation method: scalar reference and Ibis (DuckDB)."""

from __future__ import annotations

import datetime as dt

import ibis
import pandas as pd
import pytest

from ecociv.monitor import water
from ecociv.monitor.water import (
    WORSE_THAN_V,
    WaterOptions,
    exceedance_multiple,
    load_gb3838,
    main_pollutants,
    parameter_class,
    ratio_grade,
    section_class,
)

STD = load_gb3838()
LIMITED = [p for p in STD.parameters.values() if p.kind in ("max", "min")]


def _cases():
    """Each limit of each parameter: at the limit, just better and just worse (GB 3838 表1)."""
    for p in LIMITED:
        for water_type in sorted(p.applies_to):
            limits = [float(x) for x in p.limits_for(water_type)]
            for index, limit in enumerate(limits, start=1):
                better = limit * (0.999 if p.kind == "max" else 1.001)
                worse = limit * (1.001 if p.kind == "max" else 0.999)
                best = min(i for i, x in enumerate(limits, start=1) if x == limit)
                nxt = next(
                    (i for i, x in enumerate(limits, start=1) if i > index and x != limit),
                    WORSE_THAN_V,
                )
                yield p.code, water_type, limit, best
                yield p.code, water_type, better, best
                yield p.code, water_type, worse, nxt


CASES = list(_cases())


@pytest.mark.parametrize(("code", "water_type", "value", "expected"), CASES)
def test_parameter_class_at_and_around_every_limit(code, water_type, value, expected):
    assert parameter_class(code, value, water_type) == expected


def test_table_has_all_24_items_with_sources():
    assert len(STD.parameters) == 24
    assert all("GB 3838-2002" in p.source for p in STD.parameters.values())


@pytest.mark.parametrize(
    ("code", "value", "water_type", "expected"),
    [
        ("tp", 0.05, "river", 2),  # river Ⅱ ≤ 0.1
        ("tp", 0.05, "lake", 3),  # lake Ⅲ ≤ 0.05
        ("tp", 0.15, "lake", 5),  # lake Ⅳ ≤ 0.1 < 0.15 ≤ Ⅴ 0.2
        ("tn", 1.2, "lake", 4),
        ("tn", 1.2, "river", None),  # TN is classed for lakes and reservoirs only
        ("do", 7.5, "river", 1),
        ("do", 7.4, "river", 2),
        ("do", 1.9, "river", WORSE_THAN_V),
        ("ph", 6.0, "river", 1),
        ("ph", 9.0, "lake", 1),
        ("ph", 9.1, "river", WORSE_THAN_V),
        ("ph", 5.9, "river", WORSE_THAN_V),
        ("water_temp", 25.0, "river", None),
        ("cod", 15.0, "river", 1),  # Ⅰ and Ⅱ share 15: the best class wins
        ("hg", 0.00005, "river", 1),
        ("hg", 0.00006, "river", 3),
        ("fecal_coliform", 40001.0, "river", WORSE_THAN_V),
        ("nh3n", None, "river", None),
    ],
)
def test_named_cases(code, value, water_type, expected):
    assert parameter_class(code, value, water_type) == expected


def test_float_noise_does_not_cross_a_limit():
    assert 0.1 + 0.2 > 0.3  # 0.30000000000000004 in binary floating point
    assert parameter_class("tp", 0.1 + 0.2, "river") == 4  # read as 0.3: Ⅳ (≤ 0.3), not 劣Ⅴ
    assert parameter_class("tp", 0.3001, "river") == 5


def test_exceedance_multiple_against_class_iii():
    assert exceedance_multiple("nh3n", 1.5, "river") == pytest.approx(0.5)
    assert exceedance_multiple("tp", 0.1, "lake") == pytest.approx(1.0)  # lake Ⅲ 0.05
    assert exceedance_multiple("nh3n", 1.0, "river") is None  # at the limit: not exceeded
    assert exceedance_multiple("do", 1.0, "river") is None  # no multiple for DO, pH, 水温
    assert exceedance_multiple("ph", 10.0, "river") is None


def test_section_class_is_the_worst_evaluated_parameter():
    values = {"nh3n": 0.4, "cod": 25.0, "tn": 9.0, "fecal_coliform": 90000.0}
    assert section_class(values, "river") == 4  # TN and fecal coliform do not count
    assert section_class(values, "lake") == 4  # lakes: TN is reported on its own
    assert section_class(values, "lake", lake_tn_in_section_class=True) == WORSE_THAN_V
    assert section_class({"water_temp": 20.0}, "river") is None


def test_main_pollutants_class_first_then_multiple_with_metals_first():
    values = {"cod": 45.0, "nh3n": 1.9, "tp": 0.35, "do": 2.5, "bod5": 4.5}
    # classes: cod 劣Ⅴ, nh3n Ⅴ (0.9), tp Ⅴ (0.75), do Ⅴ, bod5 Ⅳ
    assert main_pollutants(values, "river") == ["cod", "nh3n", "tp"]
    assert main_pollutants(values | {"pb": 0.06}, "river")[0] == "pb"
    by_multiple = main_pollutants(values, "river", ranking="multiple")
    assert by_multiple == ["cod", "nh3n", "tp"]
    assert main_pollutants({"cod": 18.0}, "river") == []


@pytest.mark.parametrize(
    ("share_i_iii", "share_worse_v", "grade"),
    [
        (90, 0, "优"),
        (89.9, 0, "良好"),
        (75, 10, "良好"),
        (74.9, 19.9, "轻度污染"),
        (50, 20, "中度污染"),
        (50, 39.9, "中度污染"),
        (10, 40, "重度污染"),
    ],
)
def test_basin_grade_from_class_shares(share_i_iii, share_worse_v, grade):
    assert ratio_grade(share_i_iii, share_worse_v) == grade


# --------------------------------------------------------------------------- Ibis


def _samples(rows):
    frame = pd.DataFrame(
        rows, columns=["region_code", "section_id", "water_type", "date", "parameter", "value"]
    )
    return ibis.memtable(frame)


@pytest.fixture(scope="module")
def con():
    return ibis.duckdb.connect()


def test_ibis_classes_match_the_scalar_reference(con):
    rows = [
        ("R", f"{code}-{water_type}-{i}", water_type, dt.date(2024, 5, 1), code, value)
        for i, (code, water_type, value, _) in enumerate(CASES)
    ]
    out = con.execute(water.classify(water.period_means(_samples(rows)), WaterOptions()))
    for row in out.itertuples():
        expected = parameter_class(row.parameter, row.value, row.water_type)
        got = None if pd.isna(row.water_class) else int(row.water_class)
        assert got == expected, row
        multiple = exceedance_multiple(row.parameter, row.value, row.water_type)
        if multiple is None:
            assert pd.isna(row.exceedance_multiple)
        else:
            assert row.exceedance_multiple == pytest.approx(multiple)


def test_period_means_sections_and_region_shares(con):
    d = dt.date
    rows = [
        # A: river, TP mean (0.25+0.35)/2 = 0.3 → Ⅳ; NH3-N 1.6 → Ⅴ; TN ignored for rivers
        ("R1", "A", "river", d(2024, 1, 5), "tp", 0.25),
        ("R1", "A", "river", d(2024, 7, 5), "tp", 0.35),
        ("R1", "A", "river", d(2024, 1, 5), "nh3n", 1.6),
        ("R1", "A", "river", d(2024, 1, 5), "tn", 9.0),
        # B: lake, TP 0.04 → Ⅲ (lake limits); TN 1.2 → Ⅳ but reported on its own
        ("R1", "B", "lake", d(2024, 3, 1), "tp", 0.04),
        ("R1", "B", "lake", d(2024, 3, 1), "tn", 1.2),
        # C: river, COD 45 → 劣Ⅴ
        ("R1", "C", "river", d(2024, 3, 1), "cod", 45.0),
        ("R1", "D", "river", d(2024, 3, 1), "cod", 10.0),
        ("R1", "E", "river", d(2024, 3, 1), "nh3n", 0.1),
    ]
    result = water.evaluate(_samples(rows))
    sections = con.execute(result.sections).set_index("section_id")
    assert sections.loc["A", "water_class"] == 5
    assert sections.loc["A", "class_label"] == "Ⅴ"
    assert sections.loc["A", "main_pollutants"] == "氨氮、总磷"
    assert sections.loc["B", "water_class"] == 3 and sections.loc["B", "grade"] == "良好"
    assert sections.loc["C", "class_label"] == "劣Ⅴ"
    regions = con.execute(result.regions).iloc[0]
    assert regions.sections == 5
    assert regions.share_i_iii == pytest.approx(60.0)  # B, D, E
    assert regions.share_worse_v == pytest.approx(20.0)  # C
    assert regions.grade == "中度污染" and regions.grade_method == "class_shares"
    params = con.execute(result.parameters)
    tp_a = params[(params.section_id == "A") & (params.parameter == "tp")].iloc[0]
    assert tp_a.value == pytest.approx(0.3) and tp_a.samples == 2


def test_fewer_than_five_sections_use_the_mean_concentrations(con):
    d = dt.date(2024, 6, 1)
    rows = [("R2", "A", "river", d, "nh3n", 0.9), ("R2", "B", "river", d, "nh3n", 1.3)]
    regions = con.execute(water.evaluate(_samples(rows)).regions).iloc[0]
    assert regions.grade_method == "mean_concentration"
    assert regions.mean_class == 4  # mean 1.1 → Ⅳ
    assert regions.grade == "轻度污染"


def test_lake_tn_option_and_month_periods(con):
    d = dt.date
    rows = [
        ("R", "L", "lake", d(2024, 1, 3), "tn", 2.5),
        ("R", "L", "lake", d(2024, 1, 3), "tp", 0.01),
        ("R", "L", "lake", d(2024, 2, 3), "tp", 0.2),
    ]
    default = con.execute(water.evaluate(_samples(rows), WaterOptions(period="month")).sections)
    assert list(default.period) == ["2024-01", "2024-02"]
    assert list(default.water_class) == [1, 5]
    with_tn = water.evaluate(
        _samples(rows), WaterOptions(period="month", lake_tn_in_section_class=True)
    )
    assert list(con.execute(with_tn.sections).water_class) == [WORSE_THAN_V, 5]
