"""A plan's indicators and their targets per year (目标值), editable with history and the same
lost-update guard as observations."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ecociv.store.errors import Conflict, NotFound, ValidationError
from ecociv.store.models import PlanIndicator, Target, TargetHistory, utcnow
from ecociv.store.services import audit
from ecociv.store.services.access import require_edit
from ecociv.store.services.audit import Actor
from ecociv.store.services.plans import get_version
from ecociv.store.services.value_check import FIRST_YEAR, TARGET_YEAR_MAX


def list_indicators(
    session: Session, plan_id: int, version: int | None = None
) -> list[PlanIndicator]:
    """The indicators of a plan version (the current one by default), in document order."""
    return list(get_version(session, plan_id, version).indicators)


def get_indicator(session: Session, indicator_id: int) -> PlanIndicator:
    indicator = session.get(PlanIndicator, indicator_id)
    if indicator is None:
        raise NotFound(f"指标 {indicator_id} 不存在", f"indicator {indicator_id} does not exist")
    return indicator


def find_indicator(
    session: Session, plan_id: int, code: str, version: int | None = None
) -> PlanIndicator:
    plan_version = get_version(session, plan_id, version)
    found = session.scalar(
        select(PlanIndicator).where(
            PlanIndicator.plan_version_id == plan_version.id, PlanIndicator.code == code
        )
    )
    if found is None:
        raise NotFound(f"规划中没有指标 {code}", f"the plan has no indicator {code}", where=code)
    return found


def set_target(
    session: Session,
    actor: Actor,
    indicator_id: int,
    *,
    year: int,
    text: str,
    expected_version: int | None = None,
) -> Target:
    """Set the indicator's requirement for *year*: new (``expected_version=None``) or an
    update of the version read; the previous text goes to the history."""
    indicator = get_indicator(session, indicator_id)
    region = indicator.plan_version.plan.region
    require_edit(actor, region)
    text = text.strip()
    where = f"{region.code}/{indicator.code}/{year}"
    if not text:
        raise ValidationError("目标值不能为空", "the target cannot be empty", where=where)
    if not FIRST_YEAR <= year <= TARGET_YEAR_MAX:
        raise ValidationError(
            f"目标年份 {year} 不合理：应在 {FIRST_YEAR}—{TARGET_YEAR_MAX} 之间",
            f"the target year {year} is implausible: use {FIRST_YEAR}–{TARGET_YEAR_MAX}",
            where=where,
        )
    target = session.scalar(
        select(Target).where(Target.indicator_id == indicator.id, Target.year == year)
    )
    name = audit.actor_name(actor)
    if target is None:
        if expected_version is not None:
            raise Conflict(
                f"{where} 的目标已被删除", f"the target {where} was deleted", where=where
            )
        target = Target(indicator=indicator, year=year, text=text, updated_by=name)
        session.add(target)
        session.flush()
        audit.record(session, actor, "create", "target", where, after=audit.snapshot(target))
        return target
    if expected_version is None or target.version != expected_version:
        raise Conflict(
            f"{where} 的目标已有第 {target.version} 版（{target.updated_by} 修改）；请在最新值基础上修改",
            f"the target {where} is at version {target.version} (by {target.updated_by}); edit the latest",
            where=where,
            current=audit.snapshot(target),
        )
    before = audit.snapshot(target)
    session.add(
        TargetHistory(
            target_id=target.id,
            version=target.version,
            text=target.text,
            changed_by=target.updated_by,
            changed_at=target.updated_at,
        )
    )
    target.text, target.updated_by, target.updated_at = text, name, utcnow()
    try:
        session.flush()
    except StaleDataError:
        raise Conflict(
            f"{where} 的目标在您保存的同时已被修改",
            f"the target {where} changed while you saved",
            where=where,
        ) from None
    audit.record(
        session, actor, "update", "target", where, before=before, after=audit.snapshot(target)
    )
    return target


def target_history(session: Session, target_id: int) -> list[TargetHistory]:
    """Previous texts of a target, oldest first."""
    return list(
        session.scalars(
            select(TargetHistory)
            .where(TargetHistory.target_id == target_id)
            .order_by(TargetHistory.id)
        )
    )
