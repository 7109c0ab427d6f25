"""What a report holds: the indicators its department owns in the period's plan, and which of
them have a value for the report's region and year."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecociv.cycle.ownership import owned_codes
from ecociv.store.models import Observation, PlanIndicator
from ecociv.store.services.plans import get_version
from ecociv.store.tables.cycle import PeriodReport


def report_codes(session: Session, report: PeriodReport) -> list[str]:
    """The indicator codes the report covers (its department's, in the period's plan), in the
    plan's order (a code the current version lacks comes last)."""
    owned = owned_codes(session, report.period.plan_id, report.department_id)
    order = {code: n for n, code in enumerate(indicator_names(session, report.period.plan_id))}
    return sorted(owned, key=lambda code: (order.get(code, len(order)), code))


def report_values(
    session: Session, report: PeriodReport, codes: list[str]
) -> dict[str, Observation]:
    """The stored values of *codes* for the report's region and year (code → observation)."""
    rows = session.scalars(
        select(Observation).where(
            Observation.region_id == report.region_id,
            Observation.year == report.period.year,
            Observation.indicator_code.in_(codes),
        )
    )
    return {row.indicator_code: row for row in rows}


def missing_codes(session: Session, report: PeriodReport, codes: list[str]) -> list[str]:
    """The codes among *codes* without a value yet."""
    present = report_values(session, report, codes)
    return [code for code in codes if code not in present]


def indicator_names(
    session: Session, plan_id: int, codes: list[str] | None = None
) -> dict[str, str]:
    """Code → name in the plan's current version, in the plan's order (all its indicators,
    or *codes*; a code the version lacks keeps its code as its name)."""
    version = get_version(session, plan_id)
    query = (
        select(PlanIndicator.code, PlanIndicator.name)
        .where(PlanIndicator.plan_version_id == version.id)
        .order_by(PlanIndicator.position)
    )
    if codes is None:
        return dict(session.execute(query).tuples().all())
    found = dict(session.execute(query.where(PlanIndicator.code.in_(codes))).tuples().all())
    return {code: found.get(code, code) for code in codes}
