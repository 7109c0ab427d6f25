"""The problem record (整改目标, 整改措施, 完成时限, 责任领导, 牵头单位, 责任单位, location,
category, severity): create, edit before work starts, read and list."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecociv.problems.vocab import Term, categories, severities, sources
from ecociv.store.errors import Conflict, NotFound, ValidationError
from ecociv.store.models import Region, utcnow
from ecociv.store.services import audit
from ecociv.store.services.access import require_edit
from ecociv.store.services.audit import Actor
from ecociv.store.services.days import FIRST_DAY, LAST_DAY
from ecociv.store.services.departments import get_department
from ecociv.store.services.locking import check_version, flush_guarded
from ecociv.store.services.regions import get_region
from ecociv.store.tables.problems import Problem, ProblemEvent
from ecociv.workflow import load

WORKFLOW = "problem_rectification"
EDITABLE_STATES = ("found", "assigned")
"""The record may be edited until the units start work (then only by workflow steps)."""
TEXT_MAX = 4000


@dataclass(frozen=True)
class ProblemInput:
    source: str
    title: str
    category: str
    severity: str
    deadline: date
    description: str | None = None
    source_ref: str | None = None
    goal: str | None = None
    measures: str | None = None
    responsible_leader: str | None = None
    lead_unit: str | None = None
    responsible_units: tuple[str, ...] = ()
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None


def where_of(problem: Problem) -> str:
    return f"problem/{problem.id}"


def create_problem(
    session: Session, actor: Actor, *, region_code: str, record: ProblemInput
) -> Problem:
    """A new problem (state 发现) of a region the actor may edit."""
    region = get_region(session, region_code)
    require_edit(actor, region)
    values = _checked(session, record, f"{region_code}/problem")
    name = audit.actor_name(actor)
    problem = Problem(
        region=region,
        state=load(WORKFLOW).initial,
        original_deadline=values["deadline"],
        created_by=name,
        updated_by=name,
        **values,
    )
    problem.events.append(ProblemEvent(action="create", to_state=problem.state, actor=name))
    session.add(problem)
    session.flush()
    audit.record(
        session, actor, "create", "problem", where_of(problem), after=audit.snapshot(problem)
    )
    return problem


def update_problem(
    session: Session, actor: Actor, problem_id: int, *, record: ProblemInput, expected_version: int
) -> Problem:
    """Edit the record while it is 发现 or 已交办 (by whoever may edit the region)."""
    problem = get_problem(session, problem_id)
    require_edit(actor, problem.region)
    where = where_of(problem)
    check_version(problem, expected_version, where)
    if problem.state not in EDITABLE_STATES:
        raise Conflict(
            "整改已开始，问题记录不能再修改；完成时限请通过延期申请调整",
            "rectification has started: the record can no longer be edited; move the "
            "deadline by an extension request",
            where=where,
        )
    values = _checked(session, record, where)
    before = audit.snapshot(problem)
    for name, value in values.items():
        setattr(problem, name, value)
    problem.original_deadline = values["deadline"]
    problem.updated_by = audit.actor_name(actor)
    problem.updated_at = utcnow()
    flush_guarded(session, where)
    audit.record(
        session, actor, "update", "problem", where, before=before, after=audit.snapshot(problem)
    )
    return problem


def get_problem(session: Session, problem_id: int) -> Problem:
    problem = session.get(Problem, problem_id)
    if problem is None:
        raise NotFound(
            f"没有编号为 {problem_id} 的问题",
            f"no problem {problem_id}",
            where=f"problem/{problem_id}",
        )
    return problem


def list_problems(
    session: Session,
    *,
    region_code: str | None = None,
    state: str | None = None,
    source: str | None = None,
    unit: str | None = None,
) -> list[Problem]:
    """Problems of a region's subtree, in a state, from a source, of a unit (each optional)."""
    query = select(Problem)
    if region_code is not None:
        region = get_region(session, region_code)
        query = query.join(Region, Problem.region_id == Region.id).where(
            Region.path.startswith(region.path)
        )
    if state is not None:
        query = query.where(Problem.state == state)
    if source is not None:
        query = query.where(Problem.source == source)
    found = list(session.scalars(query.order_by(Problem.id)))
    if unit is not None:
        found = [p for p in found if unit == p.lead_unit or unit in p.responsible_units]
    return found


def _checked(session: Session, record: ProblemInput, where: str) -> dict:
    problems: list[dict[str, str]] = []

    def refuse(field: str, zh: str, en: str) -> None:
        problems.append({"field": field, "zh": zh, "en": en})

    for field, vocabulary in (
        ("source", sources()),
        ("category", categories()),
        ("severity", severities()),
    ):
        if getattr(record, field) not in vocabulary:
            refuse(field, f"可选：{_codes(vocabulary)}", f"one of: {_codes(vocabulary)}")
    title = (record.title or "").strip()
    if not title or len(title) > 300:
        refuse("title", "须为 1–300 个字符", "must be 1–300 characters")
    for field in (
        "description",
        "source_ref",
        "goal",
        "measures",
        "responsible_leader",
        "location",
    ):
        value = getattr(record, field)
        if value is not None and len(value) > TEXT_MAX:
            refuse(field, f"不超过 {TEXT_MAX} 个字符", f"at most {TEXT_MAX} characters")
    units = (
        [record.lead_unit, *record.responsible_units]
        if record.lead_unit
        else list(record.responsible_units)
    )
    for code in units:
        try:
            get_department(session, code)
        except NotFound:
            refuse("units", f"没有代码为 {code} 的部门", f"no department with code {code}")
    if len(set(record.responsible_units)) != len(record.responsible_units):
        refuse("responsible_units", "责任单位重复", "a responsible unit is listed twice")
    coordinates = (record.latitude, record.longitude)
    if (coordinates[0] is None) != (coordinates[1] is None):
        refuse("latitude", "经纬度须同时填写", "give both latitude and longitude")
    elif record.latitude is not None and record.longitude is not None:
        if not (math.isfinite(record.latitude) and -90 <= record.latitude <= 90):
            refuse("latitude", "纬度须在 −90 至 90 之间", "latitude must be −90 to 90")
        if not (math.isfinite(record.longitude) and -180 <= record.longitude <= 180):
            refuse("longitude", "经度须在 −180 至 180 之间", "longitude must be −180 to 180")
    if not FIRST_DAY <= record.deadline <= LAST_DAY:
        refuse("deadline", "日期超出范围", "date out of range")
    if problems:
        raise ValidationError(
            "；".join(f"{p['field']}：{p['zh']}" for p in problems),
            "; ".join(f"{p['field']}: {p['en']}" for p in problems),
            where=where,
            problems=problems,
        )
    values = {f.name: getattr(record, f.name) for f in fields(record)}
    values["title"] = title
    values["responsible_units"] = list(record.responsible_units)
    for field in (
        "description",
        "source_ref",
        "goal",
        "measures",
        "responsible_leader",
        "location",
    ):
        values[field] = (values[field] or "").strip() or None
    return values


def _codes(vocabulary: dict[str, Term]) -> str:
    return ", ".join(vocabulary)
