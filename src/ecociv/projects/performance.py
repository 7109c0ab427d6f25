"""Performance evaluation (绩效评价) of a project in a year, on the indicator set of
:mod:`ecociv.projects.indicator_set`; the grade is what the next year's budget looks at
(seed 002 Ch. 8 §2: results feed the budget; 财预〔2020〕10号).

Scoring: each indicator gets a score from 0 to its points, or is marked 不适用 (``score``
None) with a comment saying why.  The total is the scores' sum over the applicable points,
scaled to 100 — the points of an indicator that does not apply are redistributed over the
others in proportion to their points (with every indicator scored, the total is simply the
sum).  The total is rounded to 2 decimals and the grade is the band of that rounded total.
At least one indicator must apply.

Evaluating is the approver's act (the level above the project's region, or an admin), as is
approving a change request (:mod:`ecociv.projects.roles`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ecociv.projects.indicator_set import Grade, IndicatorSet, indicator_set
from ecociv.projects.records import get_record, require_role
from ecociv.store.errors import Conflict, NotFound, ValidationError
from ecociv.store.models import utcnow
from ecociv.store.services import audit
from ecociv.store.services.audit import Actor
from ecociv.store.services.days import check_day
from ecociv.store.services.locking import check_version, flush_guarded
from ecociv.store.tables.project_performance import ProjectEvaluation

YEAR_MIN, YEAR_MAX = 1949, 2100
TEXT_MAX = 2000


@dataclass(frozen=True)
class Score:
    """One indicator's score (None: 不适用) and the evaluator's comment."""

    score: float | None
    comment: str = ""


@dataclass(frozen=True)
class Result:
    total: float
    grade: Grade
    scores: dict[str, dict[str, Any]]


def score(indicators: IndicatorSet, given: dict[str, Score], where: str = "") -> Result:
    """The total and grade of *given*, or a :class:`ValidationError` listing every indicator
    that is missing, unknown, out of range or marked 不适用 without a reason."""
    problems: list[dict[str, str]] = []
    known = indicators.indicators
    for code in given.keys() - known.keys():
        problems.append({"field": code, "zh": "指标体系中没有该指标", "en": "not in the set"})
    scored, applicable, stored = 0.0, 0.0, {}
    for code, indicator in known.items():
        item = given.get(code)
        if item is None:
            problems.append(
                {"field": code, "zh": "未评分（或标为不适用）", "en": "not scored nor marked n/a"}
            )
            continue
        comment = (item.comment or "").strip()
        if len(comment) > TEXT_MAX:
            problems.append(
                {"field": code, "zh": f"评价意见超过 {TEXT_MAX} 字", "en": "comment too long"}
            )
        value = item.score
        if value is None:
            if not comment:
                problems.append(
                    {"field": code, "zh": "标为不适用时须说明理由", "en": "say why it is n/a"}
                )
        elif (
            isinstance(value, bool)
            or not math.isfinite(value)
            or not 0 <= value <= indicator.points
        ):
            problems.append(
                {
                    "field": code,
                    "zh": f"得分 {value!r} 须在 0 至 {indicator.points:g} 之间",
                    "en": f"score {value!r} must be 0 to {indicator.points:g}",
                }
            )
        else:
            scored += value
            applicable += indicator.points
        stored[code] = {"score": value, "comment": comment}
    if not problems and applicable == 0:
        problems.append({"field": "scores", "zh": "所有指标均不适用", "en": "no indicator applies"})
    if problems:
        raise ValidationError(
            "绩效评分有误：" + "；".join(f"{p['field']}：{p['zh']}" for p in problems),
            "the scores are invalid: " + "; ".join(f"{p['field']}: {p['en']}" for p in problems),
            where=where,
            problems=problems,
        )
    total = round(scored * 100 / applicable, 2)
    return Result(total, indicators.grade(total), stored)


@dataclass(frozen=True)
class EvaluationInput:
    year: int
    evaluator: str
    evaluated_on: date
    scores: dict[str, Score]
    comment: str = ""


def evaluation_where(record_id: int, year: int) -> str:
    return f"project/{record_id}/evaluation/{year}"


def list_evaluations(session: Session, record_id: int) -> list[ProjectEvaluation]:
    record = get_record(session, record_id)
    return list(
        session.scalars(
            select(ProjectEvaluation)
            .where(ProjectEvaluation.record_id == record.id)
            .order_by(ProjectEvaluation.year)
        )
    )


def get_evaluation(session: Session, record_id: int, year: int) -> ProjectEvaluation:
    found = session.scalar(
        select(ProjectEvaluation).where(
            ProjectEvaluation.record_id == record_id, ProjectEvaluation.year == year
        )
    )
    if found is None:
        where = evaluation_where(record_id, year)
        raise NotFound(f"{where} 没有绩效评价", f"{where} has no evaluation", where=where)
    return found


def _fields(entry: EvaluationInput, where: str) -> dict[str, Any]:
    if isinstance(entry.year, bool) or not YEAR_MIN <= entry.year <= YEAR_MAX:
        raise ValidationError(
            f"评价年度 {entry.year} 须在 {YEAR_MIN}—{YEAR_MAX}",
            f"year {entry.year} must be {YEAR_MIN}–{YEAR_MAX}",
            where=where,
        )
    evaluator = (entry.evaluator or "").strip()
    if not evaluator or len(evaluator) > 200:
        raise ValidationError(
            "请填写评价人（不超过 200 字）", "name the evaluator (1–200 characters)", where=where
        )
    check_day(entry.evaluated_on, where, "evaluated_on")
    comment = (entry.comment or "").strip()
    if len(comment) > TEXT_MAX:
        raise ValidationError(
            f"总体评价意见不超过 {TEXT_MAX} 字",
            f"comment: at most {TEXT_MAX} characters",
            where=where,
        )
    indicators = indicator_set()
    result = score(indicators, entry.scores, where)
    return {
        "indicator_set_version": indicators.version,
        "evaluator": evaluator,
        "evaluated_on": entry.evaluated_on,
        "scores": result.scores,
        "total": result.total,
        "grade": result.grade.code,
        "comment": comment or None,
    }


def create_evaluation(
    session: Session, actor: Actor, record_id: int, entry: EvaluationInput
) -> ProjectEvaluation:
    """Enter the year's evaluation (a second one of the same year is a :class:`Conflict`)."""
    record = get_record(session, record_id)
    require_role(actor, record, "approver")
    where = evaluation_where(record.id, entry.year)
    fields = _fields(entry, where)
    row = ProjectEvaluation(
        record_id=record.id, year=entry.year, updated_by=audit.actor_name(actor), **fields
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        raise Conflict(
            f"{where} 已有绩效评价，请在其基础上修改",
            f"{where} already has an evaluation; edit it instead",
            where=where,
        ) from None
    audit.record(session, actor, "create", "project_evaluation", where, after=audit.snapshot(row))
    return row


def update_evaluation(
    session: Session,
    actor: Actor,
    record_id: int,
    entry: EvaluationInput,
    *,
    expected_version: int,
) -> ProjectEvaluation:
    """Update the year's evaluation from the version read (optimistic locking); it is
    scored on the current indicator set."""
    record = get_record(session, record_id)
    require_role(actor, record, "approver")
    row = get_evaluation(session, record.id, entry.year)
    where = evaluation_where(record.id, entry.year)
    check_version(row, expected_version, where)
    fields = _fields(entry, where)
    before = audit.snapshot(row)
    for name, value in fields.items():
        setattr(row, name, value)
    row.updated_by = audit.actor_name(actor)
    row.updated_at = utcnow()
    flush_guarded(session, where)
    audit.record(
        session,
        actor,
        "update",
        "project_evaluation",
        where,
        before=before,
        after=audit.snapshot(row),
    )
    return row
