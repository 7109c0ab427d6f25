"""What a report holds: the indicators its department owns in the period's plan, and which of
them have a value for the report's region and year."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecociv.cycle.ownership import owned_codes
from ecociv.store.models import Observation
from ecociv.store.tables.cycle import PeriodReport


def report_codes(session: Session, report: PeriodReport) -> list[str]:
    """The indicator codes the report covers (its department's, in the period's plan)."""
    return owned_codes(session, report.period.plan_id, report.department_id)


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


def indicator_names(session: Session, plan_id: int, codes: list[str]) -> dict[str, str]:
    """Code → name in the plan's current version (a code the version lacks keeps its code)."""
    from ecociv.store.models import PlanIndicator
    from ecociv.store.services.plans import get_version

    version = get_version(session, plan_id)
    rows = session.execute(
        select(PlanIndicator.code, PlanIndicator.name).where(
            PlanIndicator.plan_version_id == version.id, PlanIndicator.code.in_(codes)
        )
    )
    found = dict(rows.tuples().all())
    return {code: found.get(code, code) for code in codes}
