"""The map's data (一张图) and the drill-down (下钻) from a city's indicator to its districts.

Readiness (创建达标率) of a region is the share of the plan's standard-linked indicators whose
standard verdict is ``met``, out of those that apply (``not_applicable`` left out; an
indicator without a value counts as ``no_data``, not as met).  The verdicts come from
:func:`ecociv.store.services.assessment.assess_plan`, the dashboard's own rules, for the region
and year asked.  A city total from its districts follows :mod:`ecociv.geo.additivity`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from ecociv.assess.values import number_of
from ecociv.expr import parse_value
from ecociv.geo.additivity import Total, district_total
from ecociv.model import Verdict, VerdictStatus
from ecociv.standards.catalog import UnknownStandardError, get_standard
from ecociv.store.models import Region
from ecociv.store.services import regions
from ecociv.store.services.assessment import (
    IndicatorAssessment,
    assess_plan,
    assess_plan_indicator,
)
from ecociv.store.services.geo import stations_in
from ecociv.store.services.indicators import find_indicator
from ecociv.store.services.plans import get_plan, get_version

READINESS_STATUSES = ("met", "not_met", "no_data", "needs_review", "in_progress")


@dataclass
class Readiness:
    """Counts of the standard verdicts of one region; ``share`` is met / applicable."""

    counts: dict[str, int] = field(default_factory=dict)
    applicable: int = 0
    not_applicable: int = 0
    standards: list[str] = field(default_factory=list)

    @property
    def met(self) -> int:
        return self.counts.get("met", 0)

    @property
    def share(self) -> float | None:
        return self.met / self.applicable if self.applicable else None


def readiness_of(rows: list[IndicatorAssessment]) -> Readiness:
    """Readiness from a plan assessment's rows (see the module doc)."""
    result = Readiness(counts=dict.fromkeys(READINESS_STATUSES, 0))
    standards: set[str] = set()
    for row in rows:
        if row.standard_code is None or row.standard_code != row.code:
            continue
        standards.add(row.standard_code.split(".", 1)[0])
        status = row.standard_verdict.status.value if row.standard_verdict else "no_data"
        if status == VerdictStatus.NOT_APPLICABLE.value:
            result.not_applicable += 1
            continue
        result.counts[status] = result.counts.get(status, 0) + 1
        result.applicable += 1
    result.standards = sorted(standards)
    return result


def standard_titles(ids: list[str]) -> list[str]:
    titles = []
    for version in ids:
        try:
            titles.append(get_standard(version).version.title)
        except UnknownStandardError:
            titles.append(version)
    return titles


def _verdict(verdict: Verdict | None) -> dict[str, Any] | None:
    return None if verdict is None else verdict.model_dump(mode="json")


def _latest(row: IndicatorAssessment) -> dict[str, Any] | None:
    if row.year is None:
        return None
    observed = row.observed[row.year]
    return {"year": row.year, "value": observed["value"], "text": observed["text"]}


def _indicator_view(row: IndicatorAssessment | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "latest": _latest(row),
        "verdict": _verdict(row.verdict),
        "standard_verdict": _verdict(row.standard_verdict),
        "target_year": row.target_year,
        "target_text": row.targets.get(row.target_year) if row.target_year else None,
    }


def _region(region: Region) -> dict[str, Any]:
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "division_code": region.division_code,
    }


def region_map(
    session: Session,
    plan_id: int,
    *,
    region_code: str | None = None,
    as_of: int | None = None,
    indicator: str | None = None,
) -> dict[str, Any]:
    """The map of the region's child regions (the plan's region by default): readiness of each,
    the chosen *indicator*'s verdicts, and the stations and projects with coordinates."""
    plan = get_plan(session, plan_id)
    region = regions.get_region(session, region_code) if region_code else plan.region
    chosen = find_indicator(session, plan_id, indicator) if indicator else None
    areas = []
    for child in regions.children(session, region.code):
        result = assess_plan(session, plan_id, region_code=child.code, as_of=as_of)
        ready = readiness_of(result.indicators)
        row = None
        if chosen is not None:
            row = next((r for r in result.indicators if r.code == chosen.code), None)
        areas.append(
            {
                **_region(child),
                "readiness": {
                    "share": ready.share,
                    "met": ready.met,
                    "applicable": ready.applicable,
                    "not_applicable": ready.not_applicable,
                    "counts": ready.counts,
                },
                "indicator": _indicator_view(row),
            }
        )
    own = assess_plan(session, plan_id, region_code=region.code, as_of=as_of)
    ready = readiness_of(own.indicators)
    version = get_version(session, plan_id)
    return {
        "plan": {"id": plan.id, "name": plan.name, "region_code": plan.region.code},
        "region": _region(region),
        "as_of": as_of,
        "standards": standard_titles(ready.standards),
        "readiness": {"share": ready.share, "met": ready.met, "applicable": ready.applicable},
        "indicators": [{"code": r.code, "name": r.name, "seq": r.seq} for r in own.indicators],
        "indicator": (
            {"code": chosen.code, "name": chosen.name, "unit": chosen.unit} if chosen else None
        ),
        "areas": areas,
        "stations": [
            {
                "code": s.code,
                "name": s.name,
                "kind": s.kind,
                "region_code": s.region.code,
                "region_name": s.region.name,
                "lon": s.lon,
                "lat": s.lat,
            }
            for s in stations_in(session, region)
        ],
        "projects": [
            {
                "name": p.name,
                "category": p.category,
                "investment_wan_yuan": p.investment_wan_yuan,
                "lon": p.lon,
                "lat": p.lat,
            }
            for p in version.projects
        ],
    }


def _number(row: IndicatorAssessment) -> float | None:
    """The judged year's value as a number (a typed number, or the number a text states)."""
    if row.year is None:
        return None
    observed = row.observed[row.year]
    if observed["value"] is not None:
        return float(observed["value"])
    if observed["text"]:
        return number_of(parse_value(observed["text"]).expr)
    return None


def drill(
    session: Session,
    plan_id: int,
    code: str,
    *,
    region_code: str | None = None,
    as_of: int | None = None,
) -> dict[str, Any]:
    """One indicator of the region (the plan's by default) and of each child region: value,
    year, plan and standard verdicts; and the total of the children when it adds up."""
    plan = get_plan(session, plan_id)
    region = regions.get_region(session, region_code) if region_code else plan.region
    indicator = find_indicator(session, plan_id, code)
    own = assess_plan_indicator(session, plan_id, code, region_code=region.code, as_of=as_of)
    children = []
    values: dict[str, float | None] = {}
    years: set[int] = set()
    for child in regions.children(session, region.code):
        row = assess_plan_indicator(session, plan_id, code, region_code=child.code, as_of=as_of)
        number = _number(row) if row else None
        values[child.name] = number
        if row is not None and row.year is not None:
            years.add(row.year)
        children.append({**_region(child), "number": number, **(_indicator_view(row) or {})})
    total = district_total(indicator.name, indicator.unit, values)
    if total.status == "summed" and len(years) > 1:
        total = Total(
            "incomplete",
            total.kind,
            f"各区县的最新数值年份不同（{'、'.join(str(y) for y in sorted(years))}），不作合计；"
            "请选择年份",
            f"the districts' latest values are of different years ({sorted(years)}); choose a year",
            source=total.source,
        )
    own_number = _number(own) if own else None
    return {
        "plan": {"id": plan.id, "name": plan.name, "region_code": plan.region.code},
        "region": _region(region),
        "parent": _region(region.parent) if region.parent is not None else None,
        "as_of": as_of,
        "indicator": {
            "code": indicator.code,
            "name": indicator.name,
            "unit": indicator.unit,
            "seq": indicator.seq,
        },
        "own": {"number": own_number, **(_indicator_view(own) or {})},
        "children": children,
        "total": {
            "status": total.status,
            "kind": total.kind,
            "method_zh": total.method_zh,
            "method_en": total.method_en,
            "source": total.source,
            "value": total.value,
            "unit": total.unit,
            "year": min(years) if total.status == "summed" and years else None,
            "missing": total.missing,
            "difference": (
                round(own_number - total.value, 10)
                if total.value is not None and own_number is not None
                else None
            ),
        },
    }
