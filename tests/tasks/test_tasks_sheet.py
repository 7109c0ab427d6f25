"""The 任务分解表 import: tasks with lead and cooperating departments by code or name; every
bad cell named; nothing saved when one row is wrong."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO

import pytest
from openpyxl import Workbook
from task_builders import ADMIN

from ecociv.store.errors import ValidationError
from ecociv.tasks import records
from ecociv.tasks.sheet import import_sheet

HEADER = [
    "任务编号",
    "重点任务",
    "所属章节",
    "完成时限",
    "年度",
    "牵头单位",
    "配合单位",
    "具体措施",
]


def _workbook(rows, header=HEADER, title="任务分解表") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_sheet_of_tasks_is_decomposed(org) -> None:
    session, plan_id, _ = org
    data = _workbook(
        [
            [
                "T-01",
                "污水管网建设",
                "第五章",
                datetime(2025, 12, 31),
                2025,
                "西溪区住建局",
                "xx-slj、桥头镇人民政府",
                "新建管网",
            ],
            ["T-02", "河道综合治理", "第五章", "2024年6月底", None, "xx-slj", None, None],
            [None, None, None, None, None, None, None, None],
        ]
    )
    created = import_sheet(session, ADMIN, plan_id, data)
    assert [(t.code, t.deadline, t.year) for t in created] == [
        ("T-01", date(2025, 12, 31), 2025),
        ("T-02", date(2024, 6, 30), None),
    ]
    assert [(a.department.code, a.role) for a in created[0].assignments] == [
        ("xx-zjj", "lead"),
        ("xx-slj", "cooperate"),
        ("qt-zf", "cooperate"),
    ]
    assert created[0].assignments[0].measures == "新建管网"
    assert [t.code for t in records.list_tasks(session, plan_id, year=2024)] == ["T-02"]


def test_every_bad_cell_is_named_and_nothing_saved(org) -> None:
    session, plan_id, _ = org
    data = _workbook(
        [
            ["T-01", "好的一行", None, "2025-06-30", None, "xx-zjj", None, None],
            ["T-02", "时限不明", None, "尽快", None, "xx-zjj", None, None],
            ["T-03", "外区部门", None, "2025-06-30", None, "东岭区住建局", None, None],
            ["T-04", "无牵头", None, "2025-06-30", None, None, None, None],
            ["T-01", "重复编号", None, "2025-06-30", None, "xx-zjj", None, None],
        ]
    )
    with pytest.raises(ValidationError) as caught:
        import_sheet(session, ADMIN, plan_id, data)
    assert [p["field"] for p in caught.value.problems] == [
        "任务分解表!D3",
        "任务分解表!F4",
        "任务分解表!F5",
        "任务分解表!A6",
    ]
    assert records.list_tasks(session, plan_id) == []


def test_a_sheet_without_the_columns(org) -> None:
    session, plan_id, _ = org
    with pytest.raises(ValidationError, match="牵头单位"):
        import_sheet(
            session, ADMIN, plan_id, _workbook([], header=["任务编号", "重点任务", "完成时限"])
        )
