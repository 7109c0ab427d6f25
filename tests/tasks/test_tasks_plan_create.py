"""Creating the tasks read from a plan: through the task service, all or nothing, each
problem named with the place in the plan it was read from."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from task_builders import ADMIN

from ecociv.store.errors import NotFound, ValidationError
from ecociv.store.tables.tasks import KeyTask
from ecociv.tasks.plan_create import create_read_tasks
from ecociv.tasks.plan_read import read_plan_tasks

PLAN = """\
第三章 重点任务
一、推进污水管网建设
完善城镇污水管网。
牵头单位：西溪区住建局；配合单位：xx-sthj、桥头镇人民政府
完成时限：2024年底前
二、整治黑臭水体
开展黑臭水体整治（牵头单位：西溪区水利局；完成时限：2021-2025年）。
第四章 保障措施
"""


def _reading(tmp_path, text=PLAN):
    path = tmp_path / "plan.txt"
    path.write_text(text, encoding="utf-8")
    return read_plan_tasks(path)


def test_read_tasks_are_created_with_their_departments(org, tmp_path):
    session, plan_id, _ = org
    made = create_read_tasks(session, ADMIN, plan_id, "990101", _reading(tmp_path))
    session.commit()
    got = [
        (
            t.code,
            t.title,
            t.chapter,
            t.deadline,
            sorted((a.role, a.department.code) for a in t.assignments),
        )
        for t in made
    ]
    assert got == [
        ("R01", "一、推进污水管网建设", "第三章 重点任务", date(2024, 12, 31),
         [("cooperate", "qt-zf"), ("cooperate", "xx-sthj"), ("lead", "xx-zjj")]),
        ("R02", "二、整治黑臭水体", "第三章 重点任务", date(2025, 12, 31), [("lead", "xx-slj")]),
    ]  # fmt: skip
    assert made[0].measures == "完善城镇污水管网。"


def test_a_bad_candidate_saves_nothing_and_names_its_place(org, tmp_path):
    session, plan_id, _ = org
    text = PLAN.replace("西溪区水利局", "不存在局").replace("2024年底前", "长期坚持")
    with pytest.raises(ValidationError) as refused:
        create_read_tasks(session, ADMIN, plan_id, "990101", _reading(tmp_path, text))
    fields = sorted(p["field"] for p in refused.value.problems)
    assert fields == ["plan.txt!第2行", "plan.txt!第6行"]
    assert "不存在局" in refused.value.zh
    assert session.scalars(select(KeyTask)).all() == []


def test_the_plan_must_be_a_plan_of_the_region(org, tmp_path):
    session, plan_id, _ = org
    with pytest.raises(ValidationError) as refused:
        create_read_tasks(session, ADMIN, plan_id, "990102", _reading(tmp_path))
    assert refused.value.zh == "规划 1 不属于行政区 990102".replace("1", str(plan_id), 1)
    with pytest.raises(NotFound):
        create_read_tasks(session, ADMIN, plan_id, "990199", _reading(tmp_path))


def test_the_command_creates_the_reviewed_tasks(org, db_url, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from ecociv.cli import build_app

    session, plan_id, _ = org
    monkeypatch.setenv("ECOCIV_DATABASE_URL", db_url)
    monkeypatch.setenv("ECOCIV_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "plan.txt"
    path.write_text(PLAN, encoding="utf-8")
    args = ["tasks", "read", str(path), "--plan", str(plan_id), "--region", "990101", "--create"]
    result = CliRunner().invoke(build_app(), args)
    assert result.exit_code == 0, result.output
    assert "已建立任务 2 项" in result.output
    session.expire_all()
    assert [t.code for t in session.scalars(select(KeyTask).order_by(KeyTask.code))] == [
        "R01",
        "R02",
    ]
    again = CliRunner().invoke(build_app(), args)
    assert isinstance(again.exception, ValidationError)
    assert "R01" in again.exception.zh, again.exception.zh
    assert len(session.scalars(select(KeyTask)).all()) == 2
