"""A key task decomposed to a lead and a cooperating department, reported on with evidence
and closed; the work plan, 责任清单, overdue warnings (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from task_builders import ADMIN

from ecociv import notify
from ecociv.jobs import registered
from ecociv.store.errors import Conflict, Forbidden, ValidationError
from ecociv.store.services import evidence
from ecociv.tasks import progress, records
from ecociv.tasks.records import TaskInput
from ecociv.workflow import MissingInput, NotPermitted

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _task(session, plan_id, actor=ADMIN, **changes):
    values = {
        "code": "T-01",
        "title": "推进城镇污水管网建设",
        "deadline": date(2025, 12, 31),
        "chapter": "第五章 第二节",
        "measures": "新建、改造污水管网",
        "deliverables": "管网竣工验收报告",
        "year": 2025,
    }
    values.update(changes)
    return records.create_task(session, actor, plan_id, TaskInput(**values))


def test_a_task_to_two_departments_reported_and_closed(org, settings) -> None:
    session, plan_id, people = org
    office, housing, water = people["生态环境局"], people["住建局"], people["水利局"]
    from ecociv.store.services.plans import get_version

    indicator = get_version(session, plan_id).indicators[0].code
    task = _task(session, plan_id, office, indicator_codes=(indicator,))
    lead = records.decompose(session, office, task.id, department_code="xx-zjj", role="lead")
    helper = records.decompose(
        session,
        office,
        task.id,
        department_code="xx-slj",
        role="cooperate",
        measures="配合做好沿河截污",
        deadline=date(2025, 9, 30),
    )
    assert (lead.measures, helper.measures, helper.deadline) == (
        "新建、改造污水管网",
        "配合做好沿河截污",
        date(2025, 9, 30),
    )
    assert [n.kind for n in notify.inbox(session, "住建局")] == ["task.assign"]
    with pytest.raises(Conflict, match="lead"):
        records.decompose(session, office, task.id, department_code="qt-zf", role="lead")
    with pytest.raises(Forbidden):
        records.decompose(session, housing, task.id, department_code="qt-zf", role="cooperate")
    with pytest.raises(Forbidden):
        progress.report_progress(session, water, lead.id, percent=10, text="越权报送")
    for assignment, user in ((lead, housing), (helper, water)):
        progress.act(session, user, assignment.id, "start", expected_version=assignment.version)
        progress.report_progress(session, user, assignment.id, percent=60, text="已完成 60%")
        with pytest.raises(MissingInput, match="evidence"):
            progress.act(
                session,
                user,
                assignment.id,
                "submit",
                expected_version=assignment.version,
                comment="完成",
            )
        evidence.store_attachment(
            session,
            settings,
            user,
            owner_kind="task_assignment",
            owner_key=str(assignment.id),
            region_code="990101",
            filename="验收报告.pdf",
            data=PDF,
        )
        progress.act(
            session,
            user,
            assignment.id,
            "submit",
            expected_version=assignment.version,
            comment="已完成",
        )
    with pytest.raises(NotPermitted):
        progress.act(session, housing, lead.id, "accept", expected_version=lead.version)
    progress.act(session, office, helper.id, "accept", expected_version=helper.version)
    assert records.task_state(task) == "open"
    progress.act(
        session, office, lead.id, "return", expected_version=lead.version, comment="补充竣工图"
    )
    assert lead.state == "in_progress"
    progress.act(
        session, housing, lead.id, "submit", expected_version=lead.version, comment="已补充"
    )
    progress.act(session, office, lead.id, "accept", expected_version=lead.version)
    assert records.task_state(task) == "done" and lead.done_at is not None
    assert [r.action for r in lead.reports] == [
        "start",
        "report",
        "submit",
        "return",
        "submit",
        "accept",
    ]
    assert [n.kind for n in notify.inbox(session, "住建局")][:2] == ["task.accept", "task.return"]


def test_work_plan_and_responsibility_list(org) -> None:
    session, plan_id, _ = org
    placed = _task(session, plan_id, code="T-1", year=2024, deadline=date(2025, 3, 31))
    due = _task(session, plan_id, code="T-2", year=None, deadline=date(2024, 6, 30))
    later = _task(session, plan_id, code="T-3", year=None, deadline=date(2025, 6, 30))
    assert [t.code for t in records.list_tasks(session, plan_id, year=2024)] == ["T-2", "T-1"]
    assert [t.code for t in records.list_tasks(session, plan_id)] == ["T-2", "T-1", "T-3"]
    for task in (placed, due, later):
        records.decompose(session, ADMIN, task.id, department_code="xx-zjj", role="lead")
    records.decompose(session, ADMIN, later.id, department_code="qt-zf", role="cooperate")
    assert [a.task.code for a in records.responsibility_list(session, "xx-zjj")] == [
        "T-2",
        "T-1",
        "T-3",
    ]
    assert [a.role for a in records.responsibility_list(session, "qt-zf")] == ["cooperate"]
    assert records.task_state(_task(session, plan_id, code="T-4")) == "unassigned"


def test_overdue_assignments_are_warned_once(org, settings) -> None:
    session, plan_id, people = org
    task = _task(session, plan_id, people["生态环境局"], deadline=date(2025, 3, 31))
    records.decompose(session, ADMIN, task.id, department_code="xx-zjj", role="lead")
    records.decompose(session, ADMIN, task.id, department_code="xx-slj", role="cooperate")
    assert records.overdue(session, date(2025, 3, 31)) == []
    assert len(records.overdue(session, date(2025, 4, 1), plan_id=plan_id)) == 2
    job = registered()["tasks_overdue"]
    assert (
        job.run(session, settings, datetime(2025, 4, 2, tzinfo=UTC))[1]
        == "2 overdue task assignment(s) warned"
    )
    assert (
        job.run(session, settings, datetime(2025, 4, 3, tzinfo=UTC))[1]
        == "0 overdue task assignment(s) warned"
    )
    assert [n.kind for n in notify.inbox(session, "生态环境局")] == ["task.overdue", "task.overdue"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"code": ""}, "code"),
        ({"title": " "}, "title"),
        ({"year": 1800}, "year"),
        ({"indicator_codes": ("air.none",)}, "indicator_codes"),
    ],
)
def test_bad_tasks_name_the_field(org, changes, field) -> None:
    session, plan_id, _ = org
    with pytest.raises(ValidationError) as caught:
        _task(session, plan_id, **changes)
    assert [p["field"] for p in caught.value.problems] == [field]


def test_decomposition_rules(org) -> None:
    session, plan_id, _ = org
    task = _task(session, plan_id)
    with pytest.raises(ValidationError, match="after the task"):
        records.decompose(
            session,
            ADMIN,
            task.id,
            department_code="xx-zjj",
            role="lead",
            deadline=date(2026, 1, 1),
        )
    with pytest.raises(ValidationError, match="invalid role"):
        records.decompose(session, ADMIN, task.id, department_code="xx-zjj", role="boss")
    records.decompose(session, ADMIN, task.id, department_code="xx-zjj", role="lead")
    with pytest.raises(Conflict, match="already given"):
        records.decompose(session, ADMIN, task.id, department_code="xx-zjj", role="cooperate")
    with pytest.raises(Conflict, match="T-01"):
        _task(session, plan_id)
