"""The input template (validation, headers), its reader's errors, and ``ecociv gep``."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from ecociv.cli import build_app
from ecociv.errors import InputError
from ecociv.gep.catalog import load_method_set
from ecociv.gep.template import write_template
from ecociv.gep.workbook import HEADERS, PHYSICAL, read_inputs


@pytest.fixture
def template(tmp_path) -> Path:
    path = tmp_path / "gep.xlsx"
    write_template(path, load_method_set("ouyang_ganzi_2017"), 2021)
    return path


def _fill(path: Path, cells: dict[tuple[str, str, str | None], tuple]) -> None:
    """Set 数值/单位 (and optionally more columns) on the template rows keyed by
    (indicator code, input code, 分项)."""
    book = load_workbook(path)
    sheet = book[PHYSICAL]
    for row in sheet.iter_rows(min_row=2):
        key = (row[1].value, row[3].value, row[5].value)
        if key in cells:
            value, unit, *rest = cells[key]
            row[6].value, row[7].value = value, unit
            if rest:
                row[0].value = rest[0]
    book.save(path)


def _row_of(path: Path, key: tuple[str, str, str | None]) -> int:
    sheet = load_workbook(path)[PHYSICAL]
    return next(
        r[0].row for r in sheet.iter_rows(min_row=2) if (r[1].value, r[3].value, r[5].value) == key
    )


def _append(path: Path, sheet: str, values: list) -> str:
    book = load_workbook(path)
    book[sheet].append(values)
    row = book[sheet].max_row
    book.save(path)
    return f"{sheet}!G{row}"


def test_template_has_headers_units_and_validation(template):
    book = load_workbook(template)
    for name, headers in HEADERS.items():
        assert tuple(c.value for c in book[name][1]) == headers
    assert book["_lists"].sheet_state == "hidden"
    validated = {str(dv.sqref) for dv in book[PHYSICAL].data_validations.dataValidation}
    assert {"A2:A2000", "G2:G2000", "H2:H2000", "B2:B2000"} <= validated
    rows = list(book[PHYSICAL].iter_rows(min_row=2, values_only=True))
    assert ("water_conservation", "area", "森林") in {(r[1], r[3], r[5]) for r in rows}
    assert all(r[0] == 2021 and r[7] for r in rows)


def test_unverified_method_template_says_so(tmp_path):
    path = tmp_path / "g.xlsx"
    write_template(path, load_method_set("db33_2274_2025"), None)
    notes = " ".join(str(r[0]) for r in load_workbook(path)["说明"].iter_rows(values_only=True))
    assert "未经原文核实" in notes and "not checked" in notes


def test_filled_template_reads_back_in_canonical_units(template):
    _fill(
        template,
        {
            ("water_supply", "domestic", None): (1.36, "亿m³"),
            ("water_conservation", "precipitation", "森林"): (900, "mm"),
            ("water_conservation", "area", "森林"): (12.5, "km²"),
        },
    )
    given = read_inputs(template)
    year = given.years[2021]
    assert year.values[("water_supply", "domestic")][""].value == Decimal(136_000_000)
    assert year.values[("water_conservation", "precipitation")]["森林"].value == Decimal("0.9")
    assert year.values[("water_conservation", "area")]["森林"].value == Decimal(12_500_000)
    assert (
        year.values[("water_supply", "domestic")][""].where.endswith(" 实物量!G2")
        or "实物量!G" in year.values[("water_supply", "domestic")][""].where
    )


@pytest.mark.parametrize(
    ("row", "zh", "en"),
    [
        ([2021, "no_such", None, "x", None, None, 1, "t"], "未知指标代码", "unknown indicator"),
        ([2021, "water_supply", None, "nope", None, None, 1, "m³"], "没有输入项", "has no input"),
        ([2021, "water_supply", None, "domestic", None, None, -3, "m³"], "负数", "negative"),
        (
            [2021, "water_supply", None, "domestic", None, None, 3, "t"],
            "不是 m³",
            "not a unit of m³",
        ),
        (
            [2021, "water_supply", None, "domestic", None, None, "很多", "m³"],
            "不是数字",
            "not a number",
        ),
        (
            [2021, "water_supply", None, "domestic", None, "森林", 3, "m³"],
            "不分项",
            "no components",
        ),
        (
            [2021, "water_conservation", None, "area", None, None, 3, "km²"],
            "须按分项",
            "per component",
        ),
        (
            [2021, "water_conservation", None, "area", None, "月球", 3, "km²"],
            "生态系统类型",
            "ecosystem type",
        ),
        (
            ["去年", "water_supply", None, "domestic", None, None, 3, "m³"],
            "年份",
            "the year must be",
        ),
    ],
)
def test_a_bad_row_gives_one_bilingual_error_with_its_cell(template, row, zh, en):
    _append(template, PHYSICAL, row)
    with pytest.raises(InputError) as err:
        read_inputs(template)
    assert zh in err.value.zh and en in err.value.en
    assert err.value.where.startswith(f"{template.name} 实物量!")
    assert err.value.where.endswith(str(load_workbook(template)[PHYSICAL].max_row))


def test_a_row_given_twice_names_both_cells(template):
    _fill(template, {("water_supply", "domestic", None): (1, "m³")})
    _append(template, PHYSICAL, [2021, "water_supply", None, "domestic", None, None, 2, "m³"])
    with pytest.raises(InputError) as err:
        read_inputs(template)
    first = _row_of(template, ("water_supply", "domestic", None))
    assert "重复" in err.value.zh and f"实物量!G{first}" in err.value.zh


def test_not_an_xlsx_is_refused(tmp_path):
    path = tmp_path / "gep.xlsx"
    path.write_text("not a workbook", "utf-8")
    with pytest.raises(InputError):
        read_inputs(path)


def test_cli_template_and_compute_with_json_and_xlsx(tmp_path):
    runner = CliRunner()
    path, out = tmp_path / "in.xlsx", tmp_path / "result.xlsx"
    assert (
        runner.invoke(build_app(), ["gep", "template", str(path), "--year", "2021"]).exit_code == 0
    )
    _fill(
        path,
        {
            ("water_supply", "industrial", None): (2, "亿m³"),
            ("eco_energy", "hydropower", None): (10, "万kWh"),
        },
    )
    book = load_workbook(path)
    book["年度信息"]["B2"], book["年度信息"]["C2"] = 50, "亿元"
    book.save(path)
    result = runner.invoke(
        build_app(), ["gep", "compute", str(path), "--year", "2021", "--json", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    lines = {ln["code"]: ln for ln in data["lines"]}
    assert lines["water_supply.industrial"]["value"] == 72_000  # 2 亿m³ × 3.6 元/m³ = 7.2 亿元
    assert lines["eco_energy.hydropower"]["value"] == 5.3  # 10 万kWh × 0.53 元/kWh
    assert data["gep_gdp_ratio"] == pytest.approx(72_005.3 / 500_000)
    assert lines["water_supply.industrial"]["provenance"]["inputs"][0]["where"].startswith(
        "in.xlsx 实物量!G"
    )
    assert any("未填报" in n["zh"] for n in data["notices"])
    saved = load_workbook(out)
    assert saved.sheetnames == ["提示", "核算结果", "价格与参数", "来源追溯", "年度序列"]
    assert saved["价格与参数"].max_row == 1 + len(data["prices_used"])


def test_cli_shows_unverified_parts_in_text_output(tmp_path):
    runner = CliRunner()
    path = tmp_path / "in.xlsx"
    runner.invoke(
        build_app(), ["gep", "template", str(path), "--method", "gbt_46869_2025", "--year", "2021"]
    )
    _fill(path, {("water_supply", "industrial", None): (2, "亿m³")})
    result = runner.invoke(
        build_app(), ["gep", "compute", str(path), "--year", "2021", "--method", "gbt_46869_2025"]
    )
    assert result.exit_code == 0, result.output
    assert "未经原文核实" in result.output and "GEP:" in result.output


def test_cli_bad_input_is_one_line_with_exit_code_2(tmp_path, capsys, monkeypatch):
    from ecociv.cli import main

    path = tmp_path / "in.xlsx"
    write_template(path, load_method_set("ouyang_ganzi_2017"), 2021)
    _fill(path, {("water_supply", "industrial", None): (-2, "亿m³")})
    monkeypatch.setattr("sys.argv", ["ecociv", "gep", "compute", str(path), "--year", "2021"])
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "in.xlsx 实物量!G" in err and "负数" in err


def test_named_rows_quantities_index_and_deduction_read_back(template):
    from ecociv.gep.compute import compute
    from ecociv.gep.prices import load_price_set

    _fill(template, {("air_purification", "so2", None): (1000, "t")})
    _append(
        template,
        PHYSICAL,
        [2021, "flood_regulation", None, "lake_area", None, "西湖", 2, "km²", "遥感"],
    )
    _append(
        template,
        PHYSICAL,
        [2021, "flood_regulation", None, "lake_area", None, "东湖", 3, "km²", "遥感"],
    )
    _append(
        template,
        "已核算实物量",
        [2021, "water_conservation.volume", None, 5, "亿m³", "InVEST SWY 3.20.2"],
    )
    _append(template, "价格指数", [2003, 80, "统计年鉴"])
    _append(template, "价格指数", [2010, 100, "统计年鉴"])
    _append(template, "价格指数", [2021, 120, "统计年鉴"])
    book = load_workbook(template)
    book["年度信息"]["D2"], book["年度信息"]["E2"], book["年度信息"]["F2"] = 2, "亿元", "上游来水"
    book.save(template)
    given = read_inputs(template)
    assert set(given.years[2021].values[("flood_regulation", "lake_area")]) == {"西湖", "东湖"}
    assert given.deflator.index == {2003: 80, 2010: 100, 2021: 120}
    result = compute(
        load_method_set("ouyang_ganzi_2017"), load_price_set("ganzi_2010"), given, 2021
    )
    lines = {ln.code: ln for ln in result.lines}
    assert lines["air_purification.so2"].value == Decimal(180)  # 1000 t × 1200 元/t × 120/80
    assert lines["water_conservation.volume"].value == Decimal(423_600)  # 5 亿m³ × 7.06 元 × 1.2
    assert (
        lines["water_conservation.volume"].provenance["inputs"][0]["source"] == "InVEST SWY 3.20.2"
    )
    assert len(lines["flood_regulation.lake"].provenance["inputs"]) == 2
    assert result.deduction == Decimal(20_000) and result.gep == result.gross - 20_000
