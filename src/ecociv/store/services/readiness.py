"""Readiness for the demonstration-zone title (创建): a region's values judged against one
standard version, counted and ranked into a gap list — and the plan's own targets beside it,
with the projection's at-risk badge so that a target not yet due is not shown as failed.

One row per indicator of the standard that carries a requirement (a composite indicator's
①②③ items stand for it, as in the standard's table).  Where the value comes from:

* the plan indicator linked to that standard code (``standard_code``, set at import), else the
  plan indicator whose name the matcher (:mod:`ecociv.standards.matcher`) ties to it;
* else values entered under the standard code itself;
* the value judged is the latest one up to *as_of* (all years when None).

A row without a source says so (``no_data``, "本规划未包含该指标") and differs from a row whose
indicator is in the plan but has no value yet ("已纳入规划，尚无数据"): the two used to look the
same.

Ranking (the gap list): ``not_met`` first, the largest relative gap |margin| / |threshold|
first; then ``needs_review``, ``no_data``, ``in_progress``, ``met`` (the narrowest margin
first: those are the ones to watch) and ``not_applicable``.

Margins are rounded to the decimals written in the value or the threshold (whichever has
more), so a value of one decimal gets a margin of one decimal.

Each row names the responsible department (数据责任单位) of the plan indicator that supplies
its value, as the reporting cycle assigns it (:mod:`ecociv.cycle.ownership`); ``None`` when
no department is assigned (the pages say so in words).

:func:`readiness` is the one computation; the readiness page, its JSON twin, its .xlsx
export and the big screen all call it, and it is cached by :mod:`.assessment_cache`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecociv.assess.context import Context
from ecociv.assess.direction import infer_direction
from ecociv.assess.standard_check import choose_threshold, judge_standard, requirement_of
from ecociv.cycle.ownership import responsible_departments
from ecociv.expr import Comparison, Number
from ecociv.model import Verdict, VerdictStatus
from ecociv.standards import catalog, matcher
from ecociv.standards.catalog import Indicator, UnknownStandardError
from ecociv.store.models import Observation, PlanIndicator, Region
from ecociv.store.services import audit
from ecociv.store.services.access import require_admin
from ecociv.store.services.assessment import (
    PlanAssessment,
    _value_of,
    assess_plan,
    region_context,
)
from ecociv.store.services.audit import Actor
from ecociv.store.services.plans import get_plan, get_version
from ecociv.store.services.regions import get_region

DEFAULT_STANDARD = "nat2021"
"""The standard judged when neither the request nor the region names one (国家 2021 修订版)."""

MATCH_CONFIDENCE = 0.8
"""A plan indicator stands for a standard indicator of another version only when the matcher
is at least this sure (exact names, aliases and names without qualifiers; not resemblance)."""

GAP_ORDER = ("not_met", "needs_review", "no_data", "in_progress", "met", "not_applicable")

#: Plan-target badges from the projection (Open SDG's progress statuses): a target not yet
#: due is judged by where the trend leads, not by this year's value.
BADGE_OF_CATEGORY = {
    "achieved": "target_met",
    "substantial": "on_track",
    "moderate": "at_risk",
    "limited": "off_track",
    "deterioration": "deteriorating",
    "not_available": "insufficient_data",
}
BADGE_ORDER = (
    "due_not_met",
    "deteriorating",
    "off_track",
    "at_risk",
    "insufficient_data",
    "no_data",
    "needs_review",
    "on_track",
    "target_met",
    "met",
    "not_applicable",
    "in_progress",
)


@dataclass(frozen=True)
class StandardChoice:
    id: str
    title: str
    document_no: str
    jurisdiction: str


@dataclass
class GapRow:
    """One standard indicator judged for the region (see the module doc)."""

    standard_code: str
    seq: str
    name: str
    domain: str | None
    attribute: str | None
    unit: str | None
    status: str
    reason_zh: str
    reason_en: str
    source: str
    """``plan`` (a plan indicator), ``entered`` (values under the standard code), ``none``."""
    plan_indicator: str | None = None
    year: int | None = None
    value: float | None = None
    value_text: str | None = None
    requirement: str | None = None
    threshold: float | None = None
    margin: float | None = None
    margin_pct: float | None = None
    relative_gap: float | None = None
    missing_zh: list[str] = field(default_factory=list)
    missing_en: list[str] = field(default_factory=list)
    department: str | None = None
    """The responsible department's name (None: none assigned)."""
    department_code: str | None = None


@dataclass
class Readiness:
    plan_id: int
    plan_name: str
    version: int
    region_code: str
    region_name: str
    standard: StandardChoice
    as_of: int | None
    counts: dict[str, int]
    rows: list[GapRow]
    unmatched_plan_indicators: int


@dataclass
class TargetRow:
    """One plan target with its verdict and, when not yet due, the projection's badge."""

    code: str
    seq: str | None
    name: str
    domain: str | None
    unit: str | None
    year: int | None
    value: float | None
    value_text: str | None
    target_year: int | None
    target_text: str | None
    due: bool
    status: str
    badge: str
    reason_zh: str
    reason_en: str
    margin: float | None
    anticipated_value: float | None
    missing_zh: list[str] = field(default_factory=list)
    missing_en: list[str] = field(default_factory=list)
    department: str | None = None
    """The responsible department's name (None: none assigned)."""
    department_code: str | None = None


def standard_choices() -> list[StandardChoice]:
    """Every standard version the catalog holds (national 2019, its 2021 revision, Zhejiang…)."""
    return [
        StandardChoice(
            id=s.version.id,
            title=s.version.title,
            document_no=s.version.document_no,
            jurisdiction=s.version.jurisdiction,
        )
        for s in sorted(catalog.versions().values(), key=lambda s: s.version.id)
    ]


def choose_standard(region: Region, requested: str | None) -> StandardChoice:
    """The requested version, else the region's default (set by an admin), else
    :data:`DEFAULT_STANDARD`; an unknown id is a clear error."""
    wanted = requested or region.default_standard or DEFAULT_STANDARD
    standard = catalog.get_standard(wanted)
    return StandardChoice(
        id=standard.version.id,
        title=standard.version.title,
        document_no=standard.version.document_no,
        jurisdiction=standard.version.jurisdiction,
    )


def set_default_standard(session: Session, actor: Actor, region_code: str, standard: str) -> Region:
    """An admin names the standard version the region's readiness view opens with."""
    require_admin(actor)
    catalog.get_standard(standard)
    region = get_region(session, region_code)
    before = region.default_standard
    region.default_standard = standard
    session.flush()
    audit.record(
        session,
        actor,
        "update",
        "region",
        region_code,
        before={"default_standard": before},
        after={"default_standard": standard},
    )
    return region


def split_missing(items: list[str]) -> tuple[list[str], list[str]]:
    """The Chinese and English halves of each ``"中文 / English"`` item of a verdict's
    ``missing`` list (an item without a half is kept whole in both)."""
    zh, en = [], []
    for item in items:
        left, sep, right = item.partition(" / ")
        zh.append(left.strip() if sep else item)
        en.append(right.strip() if sep else item)
    return zh, en


def readiness(
    session: Session,
    plan_id: int,
    *,
    region_code: str | None = None,
    standard: str | None = None,
    as_of: int | None = None,
) -> Readiness:
    """Judge the region's values (up to *as_of*) against every requirement of *standard*."""
    plan = get_plan(session, plan_id)
    version = get_version(session, plan_id)
    region = get_region(session, region_code) if region_code else plan.region
    choice = choose_standard(region, standard)
    indicators = session.execute(
        select(PlanIndicator.code, PlanIndicator.name, PlanIndicator.standard_code)
        .where(PlanIndicator.plan_version_id == version.id)
        .where(PlanIndicator.applicable.is_(True))
        .order_by(PlanIndicator.position)
    ).all()
    source_of = _sources(choice.id, indicators)
    codes = sorted({*source_of.values(), *_requirement_codes(choice.id)})
    observed = _observations(session, region.id, codes, as_of)
    context = region_context(region, plan.base_year)
    owners = responsible_departments(session, plan.id)
    rows = [
        _judge(item, source_of.get(item.code), observed, context)
        for item in catalog.get_standard(choice.id).walk()
        if not item.items
    ]
    for row in rows:
        row.department_code, row.department = owners.get(
            row.plan_indicator or row.standard_code, (None, None)
        )
    rows.sort(key=_gap_key)
    counts = {status: 0 for status in GAP_ORDER}
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    used = set(source_of.values())
    return Readiness(
        plan_id=plan.id,
        plan_name=plan.name,
        version=version.version,
        region_code=region.code,
        region_name=region.name,
        standard=choice,
        as_of=as_of,
        counts=counts,
        rows=rows,
        unmatched_plan_indicators=sum(1 for i in indicators if i.code not in used),
    )


def _requirement_codes(version: str) -> list[str]:
    return [item.code for item in catalog.get_standard(version).walk() if not item.items]


def _sources(version: str, indicators: Sequence[Any]) -> dict[str, str]:
    """Standard code → the plan indicator code that supplies its value."""
    found: dict[str, str] = {}
    for row in indicators:
        code = row.standard_code if (row.standard_code or "").startswith(version + ".") else None
        if code is None:
            hit = matcher.match(row.name, version)
            if hit.indicator is not None and hit.confidence >= MATCH_CONFIDENCE:
                code = hit.indicator.code
        if code is not None and code not in found:
            found[code] = row.code
    return found


def _observations(
    session: Session, region_id: int, codes: list[str], as_of: int | None
) -> dict[str, dict[int, Any]]:
    """Indicator code → year → observation row, up to *as_of*, oldest year first."""
    query = (
        select(Observation.indicator_code, Observation.year, Observation.value, Observation.text)
        .where(Observation.region_id == region_id, Observation.indicator_code.in_(codes))
        .order_by(Observation.year)
    )
    if as_of is not None:
        query = query.where(Observation.year <= as_of)
    found: dict[str, dict[int, Any]] = {}
    for row in session.execute(query):
        found.setdefault(row.indicator_code, {})[row.year] = row
    return found


def _judge(
    item: Indicator, plan_code: str | None, found: dict[str, dict[int, Any]], base: Context
) -> GapRow:
    parent = catalog.get_standard(item.code.split(".", 1)[0]).parent_of.get(item.code)
    head = parent or item
    seq = f"{head.seq or ''}{item.mark or ''}" if parent else str(item.seq or "")
    years = found.get(plan_code, {}) if plan_code else {}
    source = "plan" if plan_code else "none"
    if not years and found.get(item.code):
        years, source = found[item.code], "entered"
    observed = years[max(years)] if years else None
    series = {year: o.value for year, o in years.items() if o.value is not None}
    direction = infer_direction(item.name)
    context = Context(
        indicator=item.name,
        better=item.direction or direction.better,
        share=direction.share,
        unit=item.unit,
        classes=base.classes,
        coastal=base.coastal,
        year=observed.year if observed is not None else None,
        base_year=base.base_year,
        series=series,
    )
    row = GapRow(
        standard_code=item.code,
        seq=seq,
        name=item.name if not parent else f"{parent.name}：{item.name}",
        domain=head.domain,
        attribute=head.attribute,
        unit=item.unit,
        status="",
        reason_zh="",
        reason_en="",
        source=source,
        plan_indicator=plan_code,
    )
    try:
        chosen = choose_threshold(item.code, context)
    except UnknownStandardError:  # pragma: no cover - codes come from the catalog itself
        chosen = None
    if chosen is not None and not isinstance(chosen, Verdict):
        row.requirement = chosen.requirement
        row.threshold = _number(chosen.requirement)
    if observed is None:
        verdict = _no_value(item, plan_code, context)
    else:
        row.year, row.value_text = observed.year, observed.text
        row.value = observed.value
        verdict = judge_standard(item.code, _value_of(observed), context)
    _fill(row, verdict)
    return row


def _no_value(item: Indicator, plan_code: str | None, context: Context) -> Verdict:
    """Without a value: the standard's own verdict when it needs no value (not applicable, a
    threshold unknown), else no_data saying whether the plan holds the indicator at all."""
    blocked = judge_standard(item.code, None, context)
    if blocked.status in (VerdictStatus.NOT_APPLICABLE, VerdictStatus.NEEDS_REVIEW) and (
        blocked.missing or blocked.status is VerdictStatus.NOT_APPLICABLE
    ):
        return blocked
    if plan_code is None:
        return Verdict(
            status=VerdictStatus.NO_DATA,
            reason_zh="本规划未包含该指标，也未录入该指标的数据",
            reason_en="the plan does not hold this indicator and no value was entered for it",
            missing=["该指标的数值 / a value of this indicator"],
        )
    return Verdict(
        status=VerdictStatus.NO_DATA,
        reason_zh="已纳入规划，尚未录入所选年份及以前的数据",
        reason_en="in the plan, but no value has been entered up to the chosen year",
        missing=["该指标的数值 / a value of this indicator"],
    )


def _fill(row: GapRow, verdict: Verdict) -> None:
    row.status = verdict.status.value
    row.reason_zh, row.reason_en = verdict.reason_zh, verdict.reason_en
    if verdict.status is VerdictStatus.NEEDS_REVIEW or verdict.status is VerdictStatus.NO_DATA:
        row.missing_zh, row.missing_en = split_missing(verdict.missing)
    if verdict.margin is None:
        return
    places = max(decimals(row.value_text or _plain(row.value)), decimals(row.requirement))
    row.margin = round(verdict.margin, places) + 0.0
    if row.threshold not in (None, 0.0):
        assert row.threshold is not None
        ratio = verdict.margin / abs(row.threshold)
        row.margin_pct = round(100 * ratio, 1) + 0.0
        row.relative_gap = abs(ratio) if verdict.margin < 0 else 0.0


def _gap_key(row: GapRow) -> tuple[int, float, int, str]:
    rank = GAP_ORDER.index(row.status) if row.status in GAP_ORDER else len(GAP_ORDER)
    if row.status == "not_met":
        size = -(row.relative_gap if row.relative_gap is not None else math.inf)
    elif row.status == "met":
        size = row.margin_pct if row.margin_pct is not None else math.inf
    else:
        size = 0.0
    return rank, size, _seq_number(row.seq), row.seq


def _seq_number(seq: str) -> int:
    """The number a sequence label starts with (``8①`` → 8, ``12`` → 12): 2 before 10."""
    return int("".join(c for c in seq if c in "0123456789") or 0)


def _number(requirement: str) -> float | None:
    if requirement == catalog.UNKNOWN:
        return None
    expr = requirement_of(requirement)
    return float(expr.value) if isinstance(expr, Number | Comparison) else None


def rounded_margin(
    margin: float | None, latest: dict[str, Any] | None, target: str | None
) -> float | None:
    """*margin* rounded to the decimals of the value or the target as written."""
    if margin is None:
        return None
    written = (latest or {}).get("text") or _plain((latest or {}).get("value"))
    return round(margin, max(decimals(written), decimals(target))) + 0.0


def _plain(value: float | None) -> str | None:
    return None if value is None else repr(value)


def decimals(text: str | None) -> int:
    """Decimals written in the first number of *text* (``72.5`` → 1, ``≥18`` → 0)."""
    if not text:
        return 0
    digits = ""
    for char in text:
        if char.isdigit() or (char == "." and digits and "." not in digits):
            digits += char
        elif digits:
            break
    return len(digits.split(".", 1)[1]) if "." in digits else 0


# --------------------------------------------------------------------------- plan targets


def target_rows(
    result: PlanAssessment, owners: dict[str, tuple[str, str]] | None = None
) -> list[TargetRow]:
    """The plan's targets for the judged year, each with a badge: the verdict when the target
    year has come (``due_not_met`` for a miss), the projection's category when it has not;
    and the responsible department from *owners* (indicator code → department code, name)."""
    rows = []
    for row in result.indicators:
        department_code, department = (owners or {}).get(row.code, (None, None))
        verdict = row.verdict
        latest = row.observed.get(row.year) if row.year is not None else None
        due = row.year is not None and row.target_year is not None and row.year >= row.target_year
        badge = badge_of(verdict, row.projection, due)
        reason_zh, reason_en = verdict.reason_zh, verdict.reason_en
        if not due and row.projection is not None and verdict.status is VerdictStatus.NOT_MET:
            reason_zh = f"{row.target_year}年目标尚未到期；{row.projection.reason_zh}"
            reason_en = f"the {row.target_year} target is not yet due; {row.projection.reason_en}"
        missing_zh, missing_en = split_missing(verdict.missing)
        rows.append(
            TargetRow(
                code=row.code,
                seq=row.seq,
                name=row.name,
                domain=row.domain,
                unit=row.unit,
                year=row.year,
                value=latest.get("value") if latest else None,
                value_text=latest.get("text") if latest else None,
                target_year=row.target_year,
                target_text=row.targets.get(row.target_year) if row.target_year else None,
                due=due,
                status=verdict.status.value,
                badge=badge,
                reason_zh=reason_zh,
                reason_en=reason_en,
                margin=rounded_margin(
                    verdict.margin, latest, row.targets.get(row.target_year or 0)
                ),
                anticipated_value=(
                    float(f"{row.projection.anticipated_value:.4g}")
                    if row.projection is not None and row.projection.anticipated_value is not None
                    else None
                ),
                missing_zh=missing_zh,
                missing_en=missing_en,
                department=department,
                department_code=department_code,
            )
        )
    rows.sort(key=lambda r: (BADGE_ORDER.index(r.badge), _seq_number(r.seq or ""), r.code))
    return rows


def badge_of(verdict: Verdict, projection: Any, due: bool) -> str:
    """The plan-target badge: ``met``; ``due_not_met`` once the target year has come; else,
    for a value that misses a target not yet due (or no value), the projection's category
    (on track, at risk, off track, deteriorating); the verdict's status otherwise."""
    status = verdict.status.value
    if status == "met":
        return "met"
    if status == "not_met" and due:
        return "due_not_met"
    if projection is not None and status in ("not_met", "no_data"):
        return BADGE_OF_CATEGORY.get(projection.category, "insufficient_data")
    if status == "not_met":
        return "insufficient_data"
    return status


def plan_targets(
    session: Session, plan_id: int, *, region_code: str | None = None, as_of: int | None = None
) -> tuple[PlanAssessment, list[TargetRow]]:
    result = assess_plan(session, plan_id, region_code=region_code, as_of=as_of)
    return result, target_rows(result, responsible_departments(session, plan_id))
