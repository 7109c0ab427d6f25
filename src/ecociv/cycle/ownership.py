"""Data ownership (数据责任单位): the department that reports each indicator of a plan."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecociv.store.errors import ValidationError
from ecociv.store.models import utcnow
from ecociv.store.services import audit
from ecociv.store.services.access import require_edit
from ecociv.store.services.audit import Actor
from ecociv.store.services.departments import get_department
from ecociv.store.services.indicators import find_indicator
from ecociv.store.services.plans import get_plan
from ecociv.store.tables.cycle import FREQUENCIES, IndicatorOwnership
from ecociv.store.tables.org import Department

FREQUENCY_ZH = {"annual": "每年一报"}


def set_owner(
    session: Session,
    actor: Actor,
    *,
    plan_id: int,
    indicator_code: str,
    department_code: str,
    frequency: str = "annual",
) -> IndicatorOwnership:
    """Make *department_code* responsible for the indicator (whoever may edit the plan's
    region may assign; the change is audited with before and after)."""
    plan = get_plan(session, plan_id)
    require_edit(actor, plan.region)
    find_indicator(session, plan_id, indicator_code)
    if frequency not in FREQUENCIES:
        raise ValidationError(
            f"报送频次 {frequency} 不受支持；可选：{'、'.join(FREQUENCY_ZH.values())}",
            f"reporting frequency {frequency} is not supported; choose one of {', '.join(FREQUENCIES)}",
            where=indicator_code,
        )
    department = get_department(session, department_code)
    row = session.scalar(
        select(IndicatorOwnership).where(
            IndicatorOwnership.plan_id == plan_id,
            IndicatorOwnership.indicator_code == indicator_code,
        )
    )
    before = audit.snapshot(row) if row is not None else None
    if row is None:
        row = IndicatorOwnership(plan_id=plan_id, indicator_code=indicator_code)
        session.add(row)
    row.department_id = department.id
    row.frequency = frequency
    row.updated_by = audit.actor_name(actor)
    row.updated_at = utcnow()
    session.flush()
    audit.record(
        session,
        actor,
        "create" if before is None else "update",
        "indicator_ownership",
        f"{plan_id}/{indicator_code}",
        before=before,
        after=audit.snapshot(row),
    )
    return row


def owners(session: Session, plan_id: int) -> dict[str, IndicatorOwnership]:
    """Indicator code → its ownership row, for every indicator of the plan that has one."""
    rows = session.scalars(select(IndicatorOwnership).where(IndicatorOwnership.plan_id == plan_id))
    return {row.indicator_code: row for row in rows}


def responsible_departments(session: Session, plan_id: int) -> dict[str, tuple[str, str]]:
    """Indicator code → (department code, department name) of its 数据责任单位, for every
    indicator of the plan that has one (plain strings: safe to keep past the session)."""
    rows = session.execute(
        select(IndicatorOwnership.indicator_code, Department.code, Department.name)
        .join(Department, IndicatorOwnership.department_id == Department.id)
        .where(IndicatorOwnership.plan_id == plan_id)
    )
    return {row.indicator_code: (row.code, row.name) for row in rows}


def owned_codes(session: Session, plan_id: int, department_id: int) -> list[str]:
    """The codes of the plan's indicators *department_id* reports, in code order."""
    return list(
        session.scalars(
            select(IndicatorOwnership.indicator_code)
            .where(
                IndicatorOwnership.plan_id == plan_id,
                IndicatorOwnership.department_id == department_id,
            )
            .order_by(IndicatorOwnership.indicator_code)
        )
    )
