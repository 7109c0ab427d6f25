"""The bulk-entry .xlsx template: generated, filled, read back with validation and conflicts."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import Session
from store_builders import ADMIN, make_plan

from ecociv.store.errors import ValidationError
from ecociv.store.services import observations, plans
from ecociv.store.services.entry_template import (
    ENTRY_SHEET,
    entry_template,
    plan_years,
    read_entry_template,
)


@pytest.fixture
def plan_version(tree: Session):
    version = plans.import_plan(tree, ADMIN, make_plan(), region_code="990101")
    tree.commit()
    return version


def _fill(
    template: bytes, cells: dict[str, object], formats: dict[str, str] | None = None
) -> bytes:
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook[ENTRY_SHEET]
    for ref, value in cells.items():
        sheet[ref] = value
    for ref, number_format in (formats or {}).items():
        sheet[ref].number_format = number_format
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_template_round_trip_enters_values(tree: Session, plan_version) -> None:
    pm25, share = plan_version.indicators[0].code, plan_version.indicators[1].code
    observations.save_observation(
        tree, "west", region_code="990101", indicator_code=pm25, year=2021, value=30.0
    )
    tree.commit()
    template = entry_template(tree, plan_version.plan_id, [2022, 2021])
    sheet = load_workbook(io.BytesIO(template))[ENTRY_SHEET]
    assert [c.value for c in sheet[1]] == [
        "指标代码",
        "序号",
        "领域",
        "指标名称",
        "单位",
        "2021年",
        "2022年",
        "数据来源",
        "备注",
        "异常值确认理由",
    ]
    assert (
        sheet["A2"].value == pm25
        and sheet["F2"].value == 30
        and sheet["D3"].value == "空气质量优良天数比例"
    )

    filled = _fill(template, {"G2": 29.1, "F3": "91.5", "G3": "暂无数据"})
    preview = read_entry_template(tree, "west", filled, apply=False)
    assert preview.counts() == {"unchanged": 1, "created": 3} and not preview.applied
    assert observations.list_observations(tree, "990101", years=[2022]) == []

    result = read_entry_template(tree, "west", filled)
    tree.commit()
    assert result.applied
    assert observations.get_observation(tree, "990101", pm25, 2022).value == 29.1
    assert observations.get_observation(tree, "990101", share, 2021).value == 91.5
    assert observations.get_observation(tree, "990101", share, 2022).text == "暂无数据"


def test_a_value_changed_since_download_is_a_conflict_and_nothing_is_saved(
    tree: Session, plan_version
) -> None:
    pm25 = plan_version.indicators[0].code
    observations.save_observation(
        tree, "west", region_code="990101", indicator_code=pm25, year=2021, value=30.0
    )
    tree.commit()
    template = entry_template(tree, plan_version.plan_id, [2021, 2022])
    observations.save_observation(
        tree,
        "east",
        region_code="990101",
        indicator_code=pm25,
        year=2021,
        value=30.4,
        expected_version=1,
    )
    tree.commit()
    filled = _fill(template, {"F2": 29.9, "G2": 29.0, "G5": -5})
    with pytest.raises(ValidationError) as caught:
        read_entry_template(tree, "west", filled)
    statuses = {p["cell"]: p["status"] for p in caught.value.problems}
    assert statuses == {f"{ENTRY_SHEET}!F2": "conflict", f"{ENTRY_SHEET}!G5": "error"}
    tree.rollback()
    assert observations.get_observation(tree, "990101", pm25, 2021).value == 30.4
    assert observations.list_observations(tree, "990101", years=[2022]) == []


def test_a_foreign_workbook_is_refused(tree: Session, plan_version) -> None:
    out = io.BytesIO()
    from openpyxl import Workbook

    Workbook().save(out)
    with pytest.raises(ValidationError, match="not an ecociv entry template"):
        read_entry_template(tree, "west", out.getvalue())


def test_a_percentage_typed_in_excel_is_read_as_the_percentage(tree: Session, plan_version) -> None:
    share = plan_version.indicators[1].code
    template = entry_template(tree, plan_version.plan_id, [2021])
    filled = _fill(template, {"F3": 0.915}, formats={"F3": "0.0%"})
    read_entry_template(tree, "west", filled)
    assert observations.get_observation(tree, "990101", share, 2021).value == 91.5


def test_the_template_covers_the_whole_plan_period() -> None:
    """Issue 13: a plan running 2021–2030 had a template stopping at 2025."""
    assert plan_years(2021, 2030, 2026) == list(range(2020, 2031))
    assert plan_years(None, None, 2026) == [2022, 2023, 2024, 2025, 2026]
    assert plan_years(2021, 2025, 2023)[-1] == 2025


def test_numbers_as_numbers_hidden_codes_and_data_validation(tree: Session, plan_version) -> None:
    pm25 = plan_version.indicators[0].code
    observations.save_observation(
        tree, "west", region_code="990101", indicator_code=pm25, year=2021, text="30"
    )
    observations.save_observation(
        tree, "west", region_code="990101", indicator_code=pm25, year=2022, text="暂无数据"
    )
    tree.commit()
    template = entry_template(tree, plan_version.plan_id, plan_years(2021, 2030, 2026))
    sheet = load_workbook(io.BytesIO(template))[ENTRY_SHEET]
    header = [c.value for c in sheet[1]]
    assert header[5:7] == ["2020年", "2021年"] and header[15] == "2030年"
    assert header[16:] == ["数据来源", "备注", "异常值确认理由"]
    assert sheet["G2"].value == 30 and sheet["G2"].data_type == "n"  # not the text "30"
    assert sheet["H2"].value == "暂无数据"
    assert sheet.column_dimensions["A"].hidden and sheet["A2"].value == pm25
    ranges = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}
    assert ranges["G2 G3 G4 G5"].type == "custom"
    assert "ISNUMBER(G2)" in ranges["G2 G3 G4 G5"].formula1
    assert ranges["P2:P5"].type == "textLength"  # 2030 has not happened
    assert ranges["Q2:Q5"].formula1 == "200"
    # an unchanged template reads back as unchanged (the number 30 is the text "30")
    assert read_entry_template(tree, "west", template, apply=False).counts() == {"unchanged": 2}


def test_source_note_and_reason_columns(tree: Session, plan_version) -> None:
    pm25 = plan_version.indicators[0].code
    for year, value in ((2020, 31.0), (2021, 30.0)):
        observations.save_observation(
            tree,
            "west",
            region_code="990101",
            indicator_code=pm25,
            year=year,
            value=value,
            source="省站年报",
        )
    tree.commit()
    template = entry_template(tree, plan_version.plan_id, [2020, 2021, 2022, 2023])
    # 2021 edited with an empty source: the stored source is kept; 2022 is 5× 2021
    filled = _fill(template, {"G2": 29.0, "H2": 150.0, "K2": "监测站复核"})
    with pytest.raises(ValidationError) as caught:
        read_entry_template(tree, "west", filled)
    assert [(p["cell"], p["status"]) for p in caught.value.problems] == [
        (f"{ENTRY_SHEET}!H2", "outlier")
    ]
    assert "异常值确认理由" in caught.value.problems[0]["messages"][0]["zh"]
    tree.rollback()
    assert observations.get_observation(tree, "990101", pm25, 2021).value == 30.0

    confirmed = _fill(filled, {"L2": "沙尘天气，省站已核实"})
    read_entry_template(tree, "west", confirmed)
    tree.commit()
    edited = observations.get_observation(tree, "990101", pm25, 2021)
    assert (edited.value, edited.source, edited.note) == (29.0, "省站年报", "监测站复核")
    outlier = observations.get_observation(tree, "990101", pm25, 2022)
    assert (outlier.value, outlier.confirmation) == (150.0, "沙尘天气，省站已核实")


def test_an_outlier_against_years_uploaded_with_it_is_caught(tree: Session, plan_version) -> None:
    """Issue 13: 150 after 30 in the same upload (no stored history) was saved without a word."""
    template = entry_template(tree, plan_version.plan_id, [2020, 2021, 2022, 2023])
    filled = _fill(template, {"F2": 31.0, "G2": 30.0, "H2": 150.0, "I2": 29.0})
    preview = read_entry_template(tree, "west", filled, apply=False)
    assert {c.cell: c.status for c in preview.cells} == {
        f"{ENTRY_SHEET}!F2": "created",
        f"{ENTRY_SHEET}!G2": "created",
        f"{ENTRY_SHEET}!H2": "outlier",
        f"{ENTRY_SHEET}!I2": "created",  # an unconfirmed outlier is no history for 2023
    }
