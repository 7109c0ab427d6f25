"""Write routes of /api/v1/projects, /problems and /tasks for the authorisation tests: how to
call each against the seeded store (records made first as the trusted setup actor "test"),
who may, and the out-of-scope variants an editor of DISTRICT_A must be refused."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi.testclient import TestClient

from conftest import CITY, DISTRICT_A, DISTRICT_B

CITY_PLAN = {"admin", "editor_city"}
"""The seeded plan is the city's: its projects and tasks are the city's to edit."""
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _setup(client: TestClient, fn: Callable[[Any], Any]) -> Any:
    from ecociv.store.db import unit_of_work

    with unit_of_work(client.app.state.sessions) as db:
        return fn(db)


def _record(client: TestClient, seeded: dict[str, Any]) -> int:
    from ecociv.projects import records

    def make(db):
        made = records.enrol_plan(db, "test", seeded["plan_id"])
        return made[0].id if made else records.list_records(db, plan_id=seeded["plan_id"])[0].id

    return _setup(client, make)


def _headers(token: str) -> dict[str, str]:
    return {"X-CSRF-Token": token}


def _enrol(client, token, seeded):
    return client.post(
        "/api/v1/projects/enrol", json={"plan_id": seeded["plan_id"]}, headers=_headers(token)
    )


def _project_step(client, token, seeded):
    record = _record(client, seeded)
    return client.post(
        f"/api/v1/projects/{record}/transitions",
        json={"transition": "start_feasibility", "expected_version": 1},
        headers=_headers(token),
    )


def _report(client, token, seeded):
    record = _record(client, seeded)
    return client.put(
        f"/api/v1/projects/{record}/reports/2022-Q1",
        json={"progress_percent": 10, "invested_period_wan_yuan": 100},
        headers=_headers(token),
    )


def _change(client, token, seeded):
    record = _record(client, seeded)
    return client.post(
        f"/api/v1/projects/{record}/changes",
        json={"field": "investment", "new_value": 3500, "reason": "扩大规模"},
        headers=_headers(token),
    )


def _decision(client, token, seeded):
    from ecociv.projects import changes

    record = _record(client, seeded)
    change = _setup(
        client,
        lambda db: (
            changes.request_change(
                db, "test", record, field="investment", new_value=3600, reason="调整"
            ).id
        ),
    )
    return client.post(
        f"/api/v1/projects/changes/{change}/decision",
        json={"approve": True, "comment": "同意"},
        headers=_headers(token),
    )


def _scores() -> dict[str, dict[str, Any]]:
    from ecociv.projects.indicator_set import indicator_set

    return {
        code: {"score": i.points, "comment": ""} for code, i in indicator_set().indicators.items()
    }


def _evaluation_body(**extra: Any) -> dict[str, Any]:
    return {"evaluator": "市财政局", "evaluated_on": "2026-03-01", "scores": _scores(), **extra}


def _evaluate(client, token, seeded):
    record = _record(client, seeded)
    return client.post(
        f"/api/v1/projects/{record}/evaluations",
        json=_evaluation_body(year=2024),
        headers=_headers(token),
    )


def _re_evaluate(client, token, seeded):
    from ecociv.projects import performance

    record = _record(client, seeded)

    def make(db):
        found = [e for e in performance.list_evaluations(db, record) if e.year == 2025]
        if found:
            return found[0].version
        entry = performance.EvaluationInput(
            year=2025,
            evaluator="市财政局",
            evaluated_on=date(2026, 3, 1),
            scores={code: performance.Score(item["score"], "") for code, item in _scores().items()},
        )
        return performance.create_evaluation(db, "test", record, entry).version

    version = _setup(client, make)
    return client.put(
        f"/api/v1/projects/{record}/evaluations/2025",
        json=_evaluation_body(expected_version=version),
        headers=_headers(token),
    )


def _funding(client, token, seeded):
    record = _record(client, seeded)
    return client.put(
        f"/api/v1/projects/{record}/funding/special_fund",
        json={"amount_wan_yuan": 800},
        headers=_headers(token),
    )


def _milestone(client, token, seeded):
    record = _record(client, seeded)
    return client.post(
        f"/api/v1/projects/{record}/milestones",
        json={"name": "开工", "planned": "2022-03-01"},
        headers=_headers(token),
    )


def _link(client, token, seeded):
    record = _record(client, seeded)
    return client.post(
        f"/api/v1/projects/{record}/indicators",
        json={"indicator_code": seeded["codes"][0]},
        headers=_headers(token),
    )


def _project_evidence(client, token, seeded):
    record = _record(client, seeded)
    return client.post(
        f"/api/v1/projects/{record}/evidence",
        files={"file": ("照片.pdf", PDF, "application/pdf")},
        headers=_headers(token),
    )


def _problem_body(region: str) -> dict[str, Any]:
    return {
        "region_code": region,
        "source": "provincial_inspection",
        "title": "河道垃圾堆放",
        "category": "water",
        "severity": "general",
        "deadline": "2030-06-30",
    }


def _problem(client: TestClient, region: str = DISTRICT_A) -> int:
    from ecociv.problems.records import ProblemInput, create_problem

    body = {**_problem_body(region), "deadline": date(2030, 6, 30)}
    body.pop("region_code")
    return _setup(
        client,
        lambda db: create_problem(db, "test", region_code=region, record=ProblemInput(**body)).id,
    )


def _create_problem_in(region: str):
    def call(client, token, seeded):
        return client.post("/api/v1/problems", json=_problem_body(region), headers=_headers(token))

    return call


def _update_problem_in(region: str):
    def call(client, token, seeded):
        problem = _problem(client, region)
        return client.put(
            f"/api/v1/problems/{problem}?expected_version=1",
            json={**_problem_body(region), "title": "河道垃圾堆放（更正）"},
            headers=_headers(token),
        )

    return call


def _problem_step_in(region: str):
    def call(client, token, seeded):
        problem = _problem(client, region)
        return client.post(
            f"/api/v1/problems/{problem}/transitions",
            json={"transition": "assign", "expected_version": 1},
            headers=_headers(token),
        )

    return call


def _problem_evidence_in(region: str):
    def call(client, token, seeded):
        problem = _problem(client, region)
        return client.post(
            f"/api/v1/problems/{problem}/evidence",
            files={"file": ("整改照片.pdf", PDF, "application/pdf")},
            headers=_headers(token),
        )

    return call


def _task(
    client: TestClient, seeded: dict[str, Any], *, with_assignment: bool = False
) -> tuple[int, int | None]:
    """A task of the city's plan; with an assignment to the city's 住建局, whose member is
    editor_city (so editor_city is the unit, the admin both)."""
    from ecociv.store.services import departments
    from ecociv.tasks.records import TaskInput, create_task, decompose

    def make(db):
        task = create_task(
            db,
            "test",
            seeded["plan_id"],
            TaskInput(code="T-1", title="污水管网建设", deadline=date(2030, 12, 31)),
        )
        if not with_assignment:
            departments.create_department(
                db, "test", code="city-zjj", name="测试市住建局", region_code=CITY
            )
            return task.id, None
        departments.create_department(
            db, "test", code="city-zjj", name="测试市住建局", region_code=CITY
        )
        departments.assign_user(db, "test", "editor_city", "city-zjj")
        return task.id, decompose(db, "test", task.id, department_code="city-zjj", role="lead").id

    return _setup(client, make)


def _create_task(client, token, seeded):
    return client.post(
        "/api/v1/tasks",
        json={
            "plan_id": seeded["plan_id"],
            "code": "T-9",
            "title": "河湖长制",
            "deadline": "2030-12-31",
        },
        headers=_headers(token),
    )


def _assign(client, token, seeded):
    task, _ = _task(client, seeded)
    return client.post(
        f"/api/v1/tasks/{task}/assignments",
        json={"department_code": "city-zjj", "role": "lead"},
        headers=_headers(token),
    )


def _task_report(client, token, seeded):
    _, assignment = _task(client, seeded, with_assignment=True)
    return client.post(
        f"/api/v1/tasks/assignments/{assignment}/reports",
        json={"percent": 30, "text": "已完成设计"},
        headers=_headers(token),
    )


def _task_step(client, token, seeded):
    _, assignment = _task(client, seeded, with_assignment=True)
    return client.post(
        f"/api/v1/tasks/assignments/{assignment}/transitions",
        json={"transition": "start", "expected_version": 1},
        headers=_headers(token),
    )


def _task_evidence(client, token, seeded):
    _, assignment = _task(client, seeded, with_assignment=True)
    return client.post(
        f"/api/v1/tasks/assignments/{assignment}/evidence",
        files={"file": ("成果.pdf", PDF, "application/pdf")},
        headers=_headers(token),
    )


def _xlsx(fill) -> bytes:
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    fill(book.active)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _dispatch_sheet(client, token, seeded):
    from io import BytesIO

    from openpyxl import load_workbook

    from ecociv.projects.dispatch_sheet import export_sheet

    _record(client, seeded)
    exported = _setup(client, lambda db: export_sheet(db, seeded["plan_id"], "2022-Q1"))
    book = load_workbook(BytesIO(exported))
    book.active["F2"] = 25
    out = BytesIO()
    book.save(out)
    return client.post(
        f"/api/v1/projects/dispatch-sheet?plan_id={seeded['plan_id']}",
        files={"file": ("调度表.xlsx", out.getvalue(), "application/octet-stream")},
        headers=_headers(token),
    )


def _task_sheet(client, token, seeded):
    _task(client, seeded)  # makes the city's department

    def fill(sheet):
        sheet.title = "任务分解表"
        sheet.append(["任务编号", "重点任务", "完成时限", "牵头单位"])
        sheet.append(["T-7", "农村生活污水治理", "2030-06-30", "测试市住建局"])

    return client.post(
        f"/api/v1/tasks/sheet?plan_id={seeded['plan_id']}",
        files={"file": ("任务分解表.xlsx", _xlsx(fill), "application/octet-stream")},
        headers=_headers(token),
    )


WORK_CASES: dict[tuple[str, str], tuple[Callable[..., Any], set[str] | None]] = {
    ("POST", "/api/v1/projects/enrol"): (_enrol, CITY_PLAN),
    ("POST", "/api/v1/projects/{record_id}/transitions"): (_project_step, CITY_PLAN),
    ("PUT", "/api/v1/projects/{record_id}/reports/{period}"): (_report, CITY_PLAN),
    ("POST", "/api/v1/projects/{record_id}/changes"): (_change, CITY_PLAN),
    # Approval is for the level above the project's region: only an administrator for the city.
    ("POST", "/api/v1/projects/changes/{change_id}/decision"): (_decision, {"admin"}),
    # Evaluating (绩效评价) is the approver's act too.
    ("POST", "/api/v1/projects/{record_id}/evaluations"): (_evaluate, {"admin"}),
    ("PUT", "/api/v1/projects/{record_id}/evaluations/{year}"): (_re_evaluate, {"admin"}),
    ("PUT", "/api/v1/projects/{record_id}/funding/{source}"): (_funding, CITY_PLAN),
    ("POST", "/api/v1/projects/{record_id}/milestones"): (_milestone, CITY_PLAN),
    ("POST", "/api/v1/projects/{record_id}/indicators"): (_link, CITY_PLAN),
    ("POST", "/api/v1/projects/{record_id}/evidence"): (_project_evidence, CITY_PLAN),
    ("POST", "/api/v1/problems"): (_create_problem_in(DISTRICT_A), None),
    ("PUT", "/api/v1/problems/{problem_id}"): (_update_problem_in(DISTRICT_A), None),
    ("POST", "/api/v1/problems/{problem_id}/transitions"): (_problem_step_in(DISTRICT_A), None),
    ("POST", "/api/v1/problems/{problem_id}/evidence"): (_problem_evidence_in(DISTRICT_A), None),
    ("POST", "/api/v1/projects/dispatch-sheet"): (_dispatch_sheet, CITY_PLAN),
    ("POST", "/api/v1/tasks"): (_create_task, CITY_PLAN),
    ("POST", "/api/v1/tasks/sheet"): (_task_sheet, CITY_PLAN),
    ("POST", "/api/v1/tasks/{task_id}/assignments"): (_assign, CITY_PLAN),
    ("POST", "/api/v1/tasks/assignments/{assignment_id}/reports"): (_task_report, CITY_PLAN),
    ("POST", "/api/v1/tasks/assignments/{assignment_id}/transitions"): (_task_step, CITY_PLAN),
    ("POST", "/api/v1/tasks/assignments/{assignment_id}/evidence"): (_task_evidence, CITY_PLAN),
}

WORK_OUT_OF_SCOPE: dict[tuple[str, str], dict[str, Callable[..., Any]]] = {
    route: {"the city's plan": call}
    for route, (call, allowed) in WORK_CASES.items()
    if allowed is not None
} | {
    ("POST", "/api/v1/problems"): {
        "sibling": _create_problem_in(DISTRICT_B),
        "city": _create_problem_in(CITY),
    },
    ("PUT", "/api/v1/problems/{problem_id}"): {"sibling": _update_problem_in(DISTRICT_B)},
    ("POST", "/api/v1/problems/{problem_id}/transitions"): {
        "sibling": _problem_step_in(DISTRICT_B)
    },
    ("POST", "/api/v1/problems/{problem_id}/evidence"): {
        "sibling": _problem_evidence_in(DISTRICT_B)
    },
}
