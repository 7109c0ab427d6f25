"""Every example of issue 16 is found on the shared seed plans (skipped without them).

Each test asserts the finding's kind and where it points: table index, row, column and the
1-based line numbers of the Tika text export.
"""

from __future__ import annotations

import pytest

from ecociv.cli.check import check_file as check_path


@pytest.fixture(scope="module")
def findings(seed_path):
    cache: dict[str, list] = {}

    def get(key: str):
        if key not in cache:
            cache[key] = check_path(seed_path(key)).findings
        return cache[key]

    return get


def _places(item):
    return [(loc.table, loc.row, loc.column, loc.line_start) for loc in item.locations]


def _of(items, kind):
    return [f for f in items if f.kind == kind]


def test_002_good_air_days_leap_year(findings):
    [item] = [f for f in _of(findings("002"), "same_quantity.value") if f.values["year"] == 2020]
    assert _places(item) == [(0, 6, "value_2020", 74), (1, 8, "baseline", 225)]
    assert item.values["values"] == ["90.16", "90.4"]
    assert "330/366" in item.cause_en and "330/365" in item.cause_en


def test_002_pm25_text_vs_table(findings):
    [item] = _of(findings("002"), "prose.value")
    assert _places(item) == [(1, 12, "baseline", 257), (None, None, None, 14)]
    assert item.values["table"] == "35" and item.values["text"].startswith("32")


def test_002_formula_cell(findings):
    [item] = _of(findings("002"), "project.formula_cell")
    assert _places(item) == [(7, 2, "investment", 636)]
    assert item.values == {"written": "4186", "working": "34880*12%", "computed": "4185.6"}


def test_002_four_natures_vs_start_years(findings):
    items = _of(findings("002"), "project.nature_vs_start")
    assert sorted(
        (f.locations[0].row, f.locations[0].line_start, f.values["nature"], f.values["start"])
        for f in items
    ) == [
        (2, 633, "新建", 2020),
        (25, 875, "续建", 2021),
        (27, 897, "续建", 2021),
        (48, 1117, "新建", 2020),
    ]


def test_002_content_arithmetic(findings):
    [item] = _of(findings("002"), "arithmetic.product")
    assert _places(item) == [(7, 14, "content", 753)]
    assert (item.values["count"], item.values["each"], item.values["stated_total"]) == (
        "6",
        "30000",
        "150000",
    )


def test_002_box_projects_missing_from_table(findings):
    items = _of(findings("002"), "project.missing_from_table")
    assert sorted(
        (f.locations[0].table, f.locations[0].line_start, f.values["project"]) for f in items
    ) == [
        (3, 389, "明月山石漠化治理"),
        (3, 389, "铜锣山和明月山森林抚育"),
    ]


def test_002_category_differs_boxes_4_and_7(findings):
    [item] = _of(findings("002"), "project.category_differs")
    assert [(loc.table, loc.line_start) for loc in item.locations[:2]] == [(3, 383), (6, 561)]
    assert (item.locations[2].table, item.locations[2].row) == (7, 38)
    assert item.values["works"] == "城市公共绿地建设工程"


def test_000_green_building_baseline_national_vs_provincial(findings):
    [item] = _of(findings("000"), "same_quantity.value")
    assert _places(item) == [(0, 32, "baseline", 486), (1, 41, "baseline", 1165)]
    assert item.values["values"] == ["86.5", "100"]


def test_000_carbon_intensity_units(findings):
    [item] = _of(findings("000"), "same_quantity.unit")
    assert _places(item) == [(0, 22, "unit", 357), (1, 29, "unit", 1001)]


def test_000_attribute_differs(findings):
    items = _of(findings("000"), "same_quantity.attribute")
    names = {f.values["name"] for f in items}
    assert {"政府绿色采购比例", "一般工业固体废物综合利用率"} <= names
    [procurement] = [f for f in items if f.values["name"] == "政府绿色采购比例"]
    assert _places(procurement) == [(0, 36, "attribute", 539), (1, 45, "attribute", 1227)]


def test_000_text_targets_2022(findings):
    [item] = _of(findings("000"), "target.prose_year")
    assert item.locations[0].line_start == 49 and item.values["year"] == 2022
    assert item.values["table_years"] == [2025, 2030]


def test_003_procurement_and_straw_text_vs_table(findings):
    items = {f.values["name"]: f for f in _of(findings("003"), "prose.value")}
    assert _places(items["政府绿色采购比例"]) == [
        (0, 39, "target_2025", 503),
        (None, None, None, 816),
    ]
    assert _places(items["秸秆综合利用率"]) == [
        (0, 25, "target_2025", 356),
        (None, None, None, 747),
    ]


def test_003_change_row_with_level_target(findings):
    [item] = _of(findings("003"), "unit.level_for_rate")
    assert _places(item) == [(0, 6, "target_2025", 134)]
    assert item.values["cell_unit"] == "µg/m³"


def test_003_score_in_percent_column(findings):
    [item] = _of(findings("003"), "unit.score_as_percent")
    assert _places(item)[0] == (0, 41, "baseline", 524)
    assert item.locations[-1].line_start == 13


def test_003_per_year_times_years(findings):
    [item] = _of(findings("003"), "arithmetic.per_year")
    assert item.locations[0].line_start == 800
    assert (item.values["per_year"], item.values["years"], item.values["stated_total"]) == (
        "10",
        "5",
        "40",
    )


def test_003_target_below_baseline(findings):
    items = _of(findings("003"), "target.weaker_than_baseline")
    assert {(f.locations[0].row, f.locations[0].line_start) for f in items} >= {(41, 525)}


def test_ids_do_not_depend_on_line_numbers(seed_path, tmp_path):
    text = seed_path("002").read_text("utf-8")
    moved = tmp_path / "moved.txt"
    moved.write_text("\n\n\n" + text, "utf-8")
    before = {f.id for f in check_path(seed_path("002")).findings}
    after = check_path(moved).findings
    assert {f.id for f in after} == before
    assert all(loc.line_start is None or loc.line_start > 3 for f in after for loc in f.locations)
