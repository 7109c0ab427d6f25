"""The map's data (一张图) and the drill-down (下钻) from a city's indicator to its districts.

Readiness (创建达标率) of a region is the readiness view's verdict counted
(:func:`ecociv.store.services.readiness.readiness`): the share of the chosen standard's
requirements whose verdict is ``met``, out of those that apply (``not_applicable`` left out; a
requirement without a value counts as ``no_data``, not as met).  The standard is the one asked
for, else the mapped region's default, else the national 2021 revision — the readiness view's
rule — and every area of one map is judged against that same standard.  In indicator mode the
verdicts are the dashboard's (:func:`ecociv.store.services.assessment.assess_plan`) for the
region and year asked.  A city total from its districts follows :mod:`ecociv.geo.additivity`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from ecociv.assess.values import number_of
from ecociv.expr import parse_value
from ecociv.geo.additivity import Total, district_total
from ecociv.model import Verdict, VerdictStatus
from ecociv.store.models import Region
from ecociv.store.services import assessment_cache, readiness, regions
from ecociv.store.services.assessment import (
    IndicatorAssessment,
    assess_plan,
    assess_plan_indicator,
)
from ecociv.store.services.geo import stations_in
from ecociv.store.services.indicators import find_indicator
from ecociv.store.services.plans import get_plan, get_version

READINESS_STATUSES = ("met", "not_met", "no_data", "needs_review", "in_progress")

DEFAULT_SOURCES = ("region_default", "platform_default")
"""Where the map's standard came from when the address names none (``standard_source``; the
page says which, i18n ``standard_source.*``)."""


@dataclass
class Readiness:
    """Counts of the standard verdicts of one region; ``share`` is met / applicable."""

    counts: dict[str, int] = field(default_factory=dict)
    applicable: int = 0
    not_applicable: int = 0

    @property
    def met(self) -> int:
        return self.counts.get("met", 0)

    @property
    def share(self) -> float | None:
        return self.met / self.applicable if self.applicable else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "share": self.share,
            "met": self.met,
            "applicable": self.applicable,
            "not_applicable": self.not_applicable,
            "counts": self.counts,
        }


def readiness_of(result: readiness.Readiness) -> Readiness:
    """Readiness from the readiness view's result (see the module doc)."""
    ready = Readiness(counts=dict.fromkeys(READINESS_STATUSES, 0))
    for status, n in result.counts.items():
        if status == VerdictStatus.NOT_APPLICABLE.value:
            ready.not_applicable += n
            continue
        ready.counts[status] = ready.counts.get(status, 0) + n
        ready.applicable += n
    return ready


def region_readiness(
    session: Session, plan_id: int, region_code: str, standard: str, as_of: int | None
) -> Readiness:
    """The region's readiness against *standard* (a version id), cached per data revision."""

    def compute() -> Readiness:
        return readiness_of(
            readiness.readiness(
                session, plan_id, region_code=region_code, standard=standard, as_of=as_of
            )
        )

    key = ("map_readiness", plan_id, region_code, standard, as_of)
    return assessment_cache.cached(session, key, compute)


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
    standard: str | None = None,
) -> dict[str, Any]:
    """The map of the region's child regions (the plan's region by default): readiness of each
    against *standard* (see the module doc), the chosen *indicator*'s verdicts, and the
    stations and projects with coordinates."""
    plan = get_plan(session, plan_id)
    region = regions.get_region(session, region_code) if region_code else plan.region
    choice = readiness.choose_standard(region, standard)
    chosen = find_indicator(session, plan_id, indicator) if indicator else None
    areas = []
    for child in regions.children(session, region.code):
        row = None
        if chosen is not None:
            row = assess_plan_indicator(
                session, plan_id, chosen.code, region_code=child.code, as_of=as_of
            )
        ready = region_readiness(session, plan_id, child.code, choice.id, as_of)
        areas.append(
            {
                **_region(child),
                "readiness": ready.as_dict(),
                "indicator": _indicator_view(row),
            }
        )
    own = assess_plan(session, plan_id, region_code=region.code, as_of=as_of)
    ready = region_readiness(session, plan_id, region.code, choice.id, as_of)
    version = get_version(session, plan_id)
    return {
        "plan": {"id": plan.id, "name": plan.name, "region_code": plan.region.code},
        "region": _region(region),
        "as_of": as_of,
        "standard": asdict(choice),
        "standard_source": (
            "requested" if standard else DEFAULT_SOURCES[0 if region.default_standard else 1]
        ),
        "standard_choices": [asdict(s) for s in readiness.standard_choices()],
        "readiness": ready.as_dict(),
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
