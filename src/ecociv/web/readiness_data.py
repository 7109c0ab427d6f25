"""The readiness (创建) page's data and the big screen's (大屏), cached per data revision.

One function per page builds the JSON-ready data the HTML page, its JSON twin, the .xlsx
export and the big screen read; the judging is :mod:`ecociv.store.services.readiness`.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Literal

from sqlalchemy import distinct, select
from sqlalchemy.orm import Session

from ecociv.store.models import Observation, Project
from ecociv.store.services import assessment_cache, plans, readiness, regions
from ecociv.store.services.readiness import GapRow, Readiness, TargetRow
from ecociv.web.i18n import translator
from ecociv.web.present import plan_dict, region_dict
from ecociv.web.readiness_table import Filters, departments_of, gap_table, target_table

View = Literal["standard", "targets"]


def years_of(session: Session, region_id: int) -> list[int]:
    """The years the region has values for, newest first (the as-of choices)."""
    query = (
        select(distinct(Observation.year))
        .where(Observation.region_id == region_id)
        .order_by(Observation.year.desc())
    )
    return list(session.scalars(query))


def judged(
    session: Session, plan_id: int, region_code: str, standard: str | None, as_of: int | None
) -> tuple[Readiness, list[TargetRow], dict[str, int]]:
    """The standard's readiness, the plan's target rows and their badge counts (cached)."""

    def compute() -> tuple[Readiness, list[TargetRow], dict[str, int]]:
        result = readiness.readiness(
            session, plan_id, region_code=region_code, standard=standard, as_of=as_of
        )
        _, targets = readiness.plan_targets(session, plan_id, region_code=region_code, as_of=as_of)
        badges: dict[str, int] = {}
        for row in targets:
            badges[row.badge] = badges.get(row.badge, 0) + 1
        return result, targets, badges

    key = ("readiness", plan_id, region_code, standard, as_of)
    return assessment_cache.cached(session, key, compute)


def readiness_page(
    session: Session,
    catalogs: dict[str, dict[str, str]],
    lang: str,
    plan_id: int,
    *,
    region_code: str | None,
    standard: str | None,
    as_of: int | None,
    view: View,
    filters: Filters,
) -> dict[str, Any]:
    plan = plans.get_plan(session, plan_id)
    region = regions.get_region(session, region_code) if region_code else plan.region
    result, targets, badges = judged(session, plan_id, region.code, standard, as_of)
    t = translator(catalogs, lang)
    shown: list[GapRow] | list[TargetRow] = result.rows if view == "standard" else targets
    departments = departments_of(shown, t)
    table = (
        gap_table(result.rows, t, lang, filters)
        if view == "standard"
        else target_table(targets, t, lang, filters)
    )
    return {
        "plan": plan_dict(plan),
        "region": region_dict(region),
        "regions": [region_dict(r) for r in regions.subtree(session, plan.region.code)],
        "standard": asdict(result.standard),
        "standard_requested": standard,
        "region_default_standard": region.default_standard,
        "standards": [asdict(s) for s in readiness.standard_choices()],
        "years": years_of(session, region.id),
        "as_of": as_of,
        "view": view,
        "filters": filters.as_query(),
        "domains": sorted({r.domain for r in result.rows if r.domain}),
        "attributes": sorted({r.attribute for r in result.rows if r.attribute}),
        "departments": departments,
        "department": next(
            (d["name"] for d in departments if d["code"] == filters.department), None
        ),
        "counts": result.counts,
        "badges": {b: badges[b] for b in readiness.BADGE_ORDER if b in badges},
        "unmatched_plan_indicators": result.unmatched_plan_indicators,
        "table": table,
        "rows": [asdict(r) for r in shown],
    }


def screen_data(
    session: Session,
    catalogs: dict[str, dict[str, str]],
    lang: str,
    plan_id: int,
    *,
    region_code: str | None,
    standard: str | None,
    as_of: int | None,
    gaps: int = 10,
) -> dict[str, Any]:
    """The big screen: KPI tiles, the largest gaps, the target badges and project investment,
    as of *as_of* (default: the latest year the region has values for)."""
    if as_of is None:
        plan = plans.get_plan(session, plan_id)
        region = regions.get_region(session, region_code) if region_code else plan.region
        as_of = next(iter(years_of(session, region.id)), None)
    data = readiness_page(
        session,
        catalogs,
        lang,
        plan_id,
        region_code=region_code,
        standard=standard,
        as_of=as_of,
        view="standard",
        filters=Filters(),
    )
    gap_rows = [r for r in data["table"]["rows"] if r["status"] in ("not_met", "needs_review")]
    data["table"] = {"headers": data["table"]["headers"], "rows": gap_rows[:gaps]}
    data["rows"] = []
    data["investment"] = investment(session, plan_id, as_of)
    return data


def investment(session: Session, plan_id: int, as_of: int | None) -> dict[str, Any]:
    """Planned investment of the plan's key projects, and the share in projects whose period
    ends by *as_of* (the plan holds no spending figures: this is the schedule, not payments)."""
    version = plans.get_version(session, plan_id)
    rows = session.execute(
        select(Project.category, Project.investment_wan_yuan, Project.period_end).where(
            Project.plan_version_id == version.id
        )
    ).all()
    total = sum(r.investment_wan_yuan or 0.0 for r in rows)
    due = sum(
        r.investment_wan_yuan or 0.0
        for r in rows
        if as_of is not None and r.period_end is not None and r.period_end <= as_of
    )
    by_category: dict[str, float] = {}
    for r in rows:
        key = r.category or "—"
        by_category[key] = by_category.get(key, 0.0) + (r.investment_wan_yuan or 0.0)
    return {
        "projects": len(rows),
        "total_wan_yuan": round(total, 1),
        "due_wan_yuan": round(due, 1),
        "due_share_pct": round(100 * due / total, 1) if total and as_of is not None else None,
        "by_category": [
            {"category": k, "wan_yuan": round(v, 1)}
            for k, v in sorted(by_category.items(), key=lambda kv: -kv[1])
        ],
    }
