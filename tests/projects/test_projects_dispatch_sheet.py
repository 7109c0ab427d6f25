"""The 调度表 workbook: export, fill in, import in the same layout; problems by cell."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook
from project_builders import ADMIN
from sqlalchemy.orm import Session

from ecociv.projects import dispatch, records
from ecociv.projects.dispatch import ReportInput
from ecociv.projects.dispatch_sheet import export_sheet, import_sheet
from ecociv.projects.vocab import sheet_layout
from ecociv.store.errors import NotFound, ValidationError


def _fill(data: bytes, edits: dict[str, object]) -> bytes:
    workbook = load_workbook(BytesIO(data))
    sheet = workbook[sheet_layout()[0]]
    for coordinate, value in edits.items():
        sheet[coordinate] = value
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def _ids(session: Session, plan_id: int) -> list[int]:
    return [r.id for r in records.list_records(session, plan_id=plan_id)]


def test_export_lists_every_project_with_the_layouts_header(library) -> None:
    session, plan_id = library
    sheet = load_workbook(BytesIO(export_sheet(session, plan_id, "2022-Q2")))["调度表"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(column.zh for column in sheet_layout()[1])
    assert [(row[0], row[1], row[4]) for row in rows[1:]] == [
        (ident, name, "2022-Q2")
        for ident, name in zip(
            _ids(session, plan_id),
            ["西溪河综合整治工程", "城区污水管网改造", "北山矿山生态修复"],
            strict=True,
        )
    ]
    assert rows[2][3] == "区住建局、区生态环境分局"


def test_a_filled_sheet_round_trips(library) -> None:
    session, plan_id = library
    first, second, _ = _ids(session, plan_id)
    filled = _fill(
        export_sheet(session, plan_id, "2022-Q2"),
        {"F2": 35, "H2": 1200, "K2": "征地未完成\n资金未到位", "F3": "18.5%", "I3": 900},
    )
    saved = import_sheet(session, ADMIN, plan_id, filled)
    assert len(saved) == 2
    river = dispatch.get_report(session, first, "2022-Q2")
    assert (river.progress_percent, river.invested_to_date_wan_yuan) == (35, 1200)
    assert river.problems == ["征地未完成", "资金未到位"]
    sewer = dispatch.get_report(session, second, "2022-Q2")
    assert (sewer.progress_percent, sewer.invested_to_date_wan_yuan) == (18.5, 900)
    again = load_workbook(BytesIO(export_sheet(session, plan_id, "2022-Q2")))["调度表"]
    assert (again["F2"].value, again["M2"].value, again["K2"].value) == (
        35,
        1,
        "征地未完成\n资金未到位",
    )
    updated = _fill(export_sheet(session, plan_id, "2022-Q2"), {"F2": 40})
    import_sheet(session, ADMIN, plan_id, updated)
    assert dispatch.get_report(session, first, "2022-Q2").version == 2


def test_a_stale_sheet_conflicts_and_nothing_is_saved(library) -> None:
    session, plan_id = library
    first, second, _ = _ids(session, plan_id)
    dispatch.save_report(session, ADMIN, first, ReportInput(period="2022-Q2", progress_percent=30))
    stale = _fill(export_sheet(session, plan_id, "2022-Q2"), {"F2": 31, "F3": 10})
    dispatch.save_report(
        session,
        "bob",
        first,
        ReportInput(period="2022-Q2", progress_percent=32),
        expected_version=1,
    )
    with pytest.raises(ValidationError) as caught:
        import_sheet(session, ADMIN, plan_id, stale)
    assert [p["field"] for p in caught.value.problems] == ["调度表!E2"]
    assert "version 2" in caught.value.problems[0]["en"]
    with pytest.raises(NotFound):
        dispatch.get_report(session, second, "2022-Q2")


def test_every_bad_cell_is_named(library) -> None:
    session, plan_id = library
    bad = _fill(
        export_sheet(session, plan_id, "2022-Q2"),
        {"A2": 999, "F2": 5, "F3": "很快", "E4": "2022年二季度", "F4": 10, "M3": 1.5},
    )
    with pytest.raises(ValidationError) as caught:
        import_sheet(session, ADMIN, plan_id, bad)
    assert [p["field"] for p in caught.value.problems] == ["调度表!A2", "调度表!F3", "调度表!E4"]


def test_not_a_dispatch_sheet(library) -> None:
    session, plan_id = library
    with pytest.raises(ValidationError):
        import_sheet(session, ADMIN, plan_id, b"not a workbook")
    from openpyxl import Workbook

    out = BytesIO()
    Workbook().save(out)
    with pytest.raises(ValidationError, match="调度表"):
        import_sheet(session, ADMIN, plan_id, out.getvalue())
