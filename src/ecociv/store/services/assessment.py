"""The dashboard's data (驾驶舱): each indicator of a plan judged against its target and its
standard with :mod:`ecociv.assess`, projected to the target year, and counted by domain.

Which requirement judges which value:

* the judged year is the latest year with an observation (up to ``as_of``);
* the plan target is the one for the first target year at or after the judged year (else the
  last one) — the plan's "are we on course for 2025" question;
* the standard verdict uses the standard indicator the plan row is linked to, with the
  region's classes (市/县, terrain, city size, coastal);
* the projection (``ecociv.assess.progress.project``) needs a numeric target, a known better
  side and at least two years of values (the baseline counts as one).

Besides the verdicts, each row carries the numbers a chart draws: the baseline value and year,
the numeric target of each target year (a plain number or a one-sided bound such as ``≤28``;
none for qualitative targets) and the standard's threshold for the region's class when it is
numeric (withheld when the standard does not apply to the region).

:func:`assess_plan` judges every row of a plan; :func:`assess_plan_indicator` judges one row
(the indicator page) with the same rules, through :func:`region_context` and
:func:`assess_indicator`.

The dashboard reads a plan's indicators, targets and observations as plain column rows, one
query per table: building ORM objects for them (identity map, change tracking) cost more than
all the verdicts, and nothing here changes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from ecociv.assess.context import Context
from ecociv.assess.direction import infer_direction
from ecociv.assess.progress import Projection, project
from ecociv.assess.standard_check import choose_threshold, judge_standard, requirement_of
from ecociv.assess.values import number_of
from ecociv.assess.verdict import evaluate
from ecociv.expr import Comparison, Number, parse, parse_value
from ecociv.expr.ast import Expr
from ecociv.expr.codec import from_json, parser_stamp
from ecociv.model import Verdict, VerdictStatus
from ecociv.standards.catalog import UnknownStandardError
from ecociv.store.models import Observation, PlanIndicator, Region, Target
from ecociv.store.services.indicators import find_indicator
from ecociv.store.services.plans import get_plan, get_version
from ecociv.store.services.regions import get_region

NO_DOMAIN = "（未分领域）"

INDICATOR_COLUMNS = (
    PlanIndicator.id,
    PlanIndicator.code,
    PlanIndicator.seq,
    PlanIndicator.name,
    PlanIndicator.domain,
    PlanIndicator.unit,
    PlanIndicator.attribute,
    PlanIndicator.applicable,
    PlanIndicator.baseline_year,
    PlanIndicator.baseline_text,
    PlanIndicator.standard_code,
)
OBSERVATION_COLUMNS = (
    Observation.indicator_code,
    Observation.year,
    Observation.value,
    Observation.text,
    Observation.unit,
    Observation.version,
    Observation.updated_by,
    Observation.updated_at,
)
IndicatorLike = PlanIndicator | Row[Any]
"""A plan indicator, or a row of its :data:`INDICATOR_COLUMNS` (the same attribute names)."""
ObservedRow = Row[Any]
"""A row of :data:`OBSERVATION_COLUMNS`."""


@dataclass
class IndicatorAssessment:
    """One row of the dashboard: the indicator, its values, verdicts and projection."""

    indicator_id: int
    code: str
    seq: str | None
    name: str
    domain: str | None
    unit: str | None
    attribute: str | None
    standard_code: str | None
    baseline_year: int | None
    baseline_text: str | None
    targets: dict[int, str]
    observed: dict[int, dict[str, Any]]
    year: int | None
    target_year: int | None
    verdict: Verdict
    standard_verdict: Verdict | None = None
    projection: Projection | None = None
    better: str | None = None
    baseline_value: float | None = None
    target_values: dict[int, float] = field(default_factory=dict)
    standard_threshold: float | None = None


@dataclass
class PlanAssessment:
    plan_id: int
    plan_name: str
    version: int
    region_code: str
    as_of: int | None
    indicators: list[IndicatorAssessment]
    counts_by_domain: dict[str, dict[str, int]] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)


def assess_plan(
    session: Session, plan_id: int, *, region_code: str | None = None, as_of: int | None = None
) -> PlanAssessment:
    """Judge every indicator of the plan's current version for the region (the plan's own by
    default) with the values up to *as_of* (all by default)."""
    plan = get_plan(session, plan_id)
    version = get_version(session, plan_id)
    region = get_region(session, region_code) if region_code else plan.region
    indicator_rows = session.execute(
        select(*INDICATOR_COLUMNS)
        .where(PlanIndicator.plan_version_id == version.id)
        .order_by(PlanIndicator.position)
    ).all()
    targets = _targets(session, version.id)
    observations = _observations(session, region, [row.code for row in indicator_rows], as_of)
    base = region_context(region, plan.base_year)
    own_baseline = region.id != plan.region_id
    rows = [
        assess_indicator(
            row,
            targets.get(row.id, {}),
            observations.get(row.code, {}),
            base,
            own_baseline=own_baseline,
        )
        for row in indicator_rows
        if row.applicable
    ]
    result = PlanAssessment(
        plan_id=plan.id,
        plan_name=plan.name,
        version=version.version,
        region_code=region.code,
        as_of=as_of,
        indicators=rows,
    )
    for row in rows:
        domain = result.counts_by_domain.setdefault(row.domain or NO_DOMAIN, {})
        status = row.verdict.status.value
        domain[status] = domain.get(status, 0) + 1
        result.totals[status] = result.totals.get(status, 0) + 1
    return result


def assess_plan_indicator(
    session: Session,
    plan_id: int,
    code: str,
    *,
    region_code: str | None = None,
    as_of: int | None = None,
) -> IndicatorAssessment | None:
    """One indicator of the plan's current version judged as :func:`assess_plan` judges it;
    None when the plan marks it not applicable (the dashboard leaves such rows out)."""
    plan = get_plan(session, plan_id)
    region = get_region(session, region_code) if region_code else plan.region
    row = find_indicator(session, plan_id, code)
    if not row.applicable:
        return None
    observed = _observations(session, region, [code], as_of).get(code, {})
    targets = {target.year: target.text for target in row.targets}
    return assess_indicator(
        row,
        targets,
        observed,
        region_context(region, plan.base_year),
        own_baseline=region.id != plan.region_id,
    )


def assess_indicator(
    row: IndicatorLike,
    targets: dict[int, str],
    observed: dict[int, ObservedRow],
    base: Context,
    *,
    own_baseline: bool = False,
) -> IndicatorAssessment:
    """One indicator: plan verdict, standard verdict and projection (see the module doc).

    *targets* maps target years to the plan's texts, oldest first; *observed* maps years to
    the region's observations of this indicator; *base* is the region's context from
    :func:`region_context`.  With *own_baseline* (a region below the plan's, e.g. a
    district of a city plan) the baseline is the region's own value of the baseline year,
    not the plan's (the city's); none when the region has no value for that year.
    """
    direction = infer_direction(row.name)
    baseline_text = row.baseline_text
    if own_baseline:
        own = observed.get(row.baseline_year) if row.baseline_year is not None else None
        baseline_text = None if own is None else _observed_text(own)
    target_values = {
        year: number
        for year, text in sorted(targets.items())
        if (number := _threshold(text)) is not None
    }
    series = {year: o.value for year, o in observed.items() if o.value is not None}
    baseline = _baseline_number(baseline_text)
    if baseline is not None and row.baseline_year is not None:
        series.setdefault(row.baseline_year, baseline)
    year = max(observed) if observed else None
    context = Context(
        indicator=row.name,
        better=direction.better,
        share=direction.share,
        unit=row.unit,
        classes=base.classes,
        coastal=base.coastal,
        year=year,
        base_year=base.base_year or row.baseline_year,
        series=series,
    )
    target_year = _target_year(targets, year)
    value = _value_of(observed[year]) if year is not None else None
    assessment = IndicatorAssessment(
        indicator_id=row.id,
        code=row.code,
        seq=row.seq,
        name=row.name,
        domain=row.domain,
        unit=row.unit,
        attribute=row.attribute,
        standard_code=row.standard_code,
        baseline_year=row.baseline_year,
        baseline_text=baseline_text,
        targets=targets,
        observed={y: _observed_dict(o) for y, o in sorted(observed.items())},
        year=year,
        target_year=target_year,
        verdict=_plan_verdict(targets, target_year, value, context),
        better=direction.better,
        baseline_value=baseline,
        target_values=target_values,
    )
    if row.standard_code is not None and row.standard_code == row.code:
        _judge_standard(assessment, row.standard_code, value, context)
    if target_year is not None and direction.better is not None:
        threshold = target_values.get(target_year)
        if threshold is not None and series:
            assessment.projection = project(
                series,
                target_value=threshold,
                target_year=target_year,
                better=direction.better,
                base_year=context.base_year,
            )
    return assessment


def _judge_standard(
    assessment: IndicatorAssessment, code: str, value: Expr | float | None, context: Context
) -> None:
    """The standard verdict (once a value exists) and the standard's numeric threshold for the
    region's class, unless the verdict says the standard does not apply here."""
    try:
        if value is not None:
            assessment.standard_verdict = judge_standard(code, value, context)
        chosen = choose_threshold(code, context)
    except UnknownStandardError:
        return
    verdict = assessment.standard_verdict
    if isinstance(chosen, Verdict) or (
        verdict is not None and verdict.status is VerdictStatus.NOT_APPLICABLE
    ):
        return
    assessment.standard_threshold = _number_required(requirement_of(chosen.requirement))


def _plan_verdict(
    targets: dict[int, str], target_year: int | None, value: Expr | float | None, context: Context
) -> Verdict:
    if target_year is None:
        return Verdict(
            status=VerdictStatus.NEEDS_REVIEW,
            reason_zh="规划未给出该指标的目标值",
            reason_en="the plan gives no target for this indicator",
            missing=["target"],
        )
    if value is None:
        return Verdict(
            status=VerdictStatus.NO_DATA,
            reason_zh="尚未录入任何年份的数据",
            reason_en="no value has been entered for any year",
            clause=targets[target_year],
        )
    verdict = evaluate(_requirement(targets[target_year]), value, context)
    verdict.inputs = {**verdict.inputs, "target_year": target_year, "year": context.year}
    return verdict


def _target_year(targets: dict[int, str], year: int | None) -> int | None:
    if not targets:
        return None
    later = [t for t in sorted(targets) if year is None or t >= year]
    return later[0] if later else max(targets)


def _threshold(text: str) -> float | None:
    return _number_required(_requirement(text))


def _number_required(requirement: Expr) -> float | None:
    """The number a plain numeric requirement names (``28``, ``≤28``); None for the rest."""
    if isinstance(requirement, Number | Comparison):
        return float(requirement.value)
    return None


def _baseline_number(text: str | None) -> float | None:
    if not text:
        return None
    return number_of(_value_expr(text))


def _observed_text(observation: ObservedRow) -> str | None:
    if observation.text is not None:
        return str(observation.text)
    return None if observation.value is None else f"{observation.value:g}"


def _value_of(observation: ObservedRow) -> Expr | float:
    if observation.text is not None:
        return _value_expr(observation.text)
    assert observation.value is not None
    return observation.value


@lru_cache(maxsize=4096)
def _requirement(text: str) -> Expr:
    """The requirement of a target text: its stored parse when one was read, else parsed."""
    stored = _STORED.get(text)
    return stored if stored is not None else parse(text).expr


@lru_cache(maxsize=4096)
def _value_expr(text: str) -> Expr:
    return parse_value(text).expr


def _observed_dict(observation: ObservedRow) -> dict[str, Any]:
    return {
        "value": observation.value,
        "text": observation.text,
        "unit": observation.unit,
        "version": observation.version,
        "updated_by": observation.updated_by,
        "updated_at": observation.updated_at.isoformat(),
    }


def region_context(region: Region, base_year: int | None) -> Context:
    """The region's classes (市/县 level, terrain, city size), coastal flag and the plan's base
    year: what the standards' thresholds and the verdicts depend on."""
    classes = {
        "level": region.admin_class,
        "terrain": region.terrain,
        "city_size": region.city_size,
    }
    return Context(
        classes={key: value for key, value in classes.items() if value is not None},
        coastal=region.coastal,
        base_year=base_year,
    )


def _targets(session: Session, version_id: int) -> dict[int, dict[int, str]]:
    """Each indicator's targets in the plan version (indicator id → year → text), oldest
    first, in one query; the parse stored with each text (``Target.parsed``, made by this
    parser) is taken instead of parsing the text again."""
    query = (
        select(Target.indicator_id, Target.year, Target.text, Target.parsed)
        .join(PlanIndicator, Target.indicator_id == PlanIndicator.id)
        .where(PlanIndicator.plan_version_id == version_id)
        .order_by(Target.indicator_id, Target.year)
    )
    found: dict[int, dict[int, str]] = {}
    for indicator_id, year, text, parsed in session.execute(query):
        found.setdefault(indicator_id, {})[year] = text
        _remember_parse(text, parsed)
    return found


_STORED: dict[str, Expr] = {}
MAX_STORED = 8192


def _remember_parse(text: str, parsed: dict[str, Any] | None) -> None:
    """Keep a stored parse of *text* for :func:`_requirement` (when its stamp is this
    parser's; another stamp means another parser made it, and the text is parsed afresh)."""
    if parsed is None or text in _STORED or parsed.get("stamp") != parser_stamp():
        return
    if len(_STORED) >= MAX_STORED:
        _STORED.clear()
    _STORED[text] = from_json(parsed["expr"])


def _observations(
    session: Session, region: Region, codes: list[str], as_of: int | None
) -> dict[str, dict[int, ObservedRow]]:
    query = select(*OBSERVATION_COLUMNS).where(
        Observation.region_id == region.id, Observation.indicator_code.in_(codes)
    )
    if as_of is not None:
        query = query.where(Observation.year <= as_of)
    found: dict[str, dict[int, ObservedRow]] = {}
    for observation in session.execute(query):
        found.setdefault(observation.indicator_code, {})[observation.year] = observation
    return found
