"""What each chart of a report draws, from the assessment and the projects (pure; the
drawing is :mod:`ecociv.report.charts`).  Chart keys are those of ``data/kinds.yaml``
``charts:``; a builder returns ``None`` when there is nothing to draw, and the document then
has no figure there (never an empty one)."""

from __future__ import annotations

from collections.abc import Callable

from ecociv.model import VerdictStatus
from ecociv.report.gather import ReportInputs
from ecociv.report.model import Bars, Chart, Stack, Trend
from ecociv.report.registry import registry
from ecociv.report.rows import SUMMARY_STATUSES, label, outlook_key, project_stage
from ecociv.store.services.assessment import IndicatorAssessment

LEGEND = {
    "zh": {
        "observed": "实际值",
        "baseline": "基期值",
        "target": "目标值",
        "threshold": "标准要求",
        "projection": "趋势预计",
        "other": "其他",
        "year": "年份",
        "no_category": "（未分类）",
    },
    "en": {
        "observed": "value",
        "baseline": "baseline",
        "target": "target",
        "threshold": "standard",
        "projection": "projected",
        "other": "other",
        "year": "year",
        "no_category": "(no category)",
    },
}
OFF_TRACK = ("deterioration", "limited", "moderate")
"""Outlooks that put an indicator among the trend panels after those not met."""


def verdict_bars(inputs: ReportInputs, lang: str) -> Bars | None:
    """Indicators by domain, stacked by verdict (达标, 未达标, 无数据, 其他)."""
    counts = inputs.assessment.counts_by_domain
    if not counts:
        return None
    domains = tuple(counts)
    stacks = [
        Stack(
            label("verdict", status, lang),
            status,
            tuple(float(counts[d].get(status, 0)) for d in domains),
        )
        for status in SUMMARY_STATUSES
    ]
    other = tuple(
        float(sum(n for s, n in counts[d].items() if s not in SUMMARY_STATUSES)) for d in domains
    )
    if any(other):
        stacks.append(Stack(LEGEND[lang]["other"], "other", other))
    axis = "指标数（项）" if lang == "zh" else "Indicators (count)"
    return Bars(domains, tuple(stacks), axis)


def investment_bars(inputs: ReportInputs, lang: str) -> Bars | None:
    """Total investment of the key projects by category, stacked by where each should be by
    its 建设年限 (ecociv keeps no investment completed: ``docs/reports.md``)."""
    priced = [p for p in inputs.projects if p.investment_wan_yuan is not None]
    if not priced:
        return None
    categories: list[str] = []
    for project in priced:
        name = project.category or LEGEND[lang]["no_category"]
        if name not in categories:
            categories.append(name)
    stages = ("due", "under_way", "not_started", "unknown")
    sums = {(c, s): 0.0 for c in categories for s in stages}
    for project in priced:
        name = project.category or LEGEND[lang]["no_category"]
        sums[(name, project_stage(project, inputs.year))] += project.investment_wan_yuan or 0.0
    stacks = tuple(
        Stack(label("stage", stage, lang), stage, tuple(sums[(c, stage)] for c in categories))
        for stage in stages
        if any(sums[(c, stage)] for c in categories)
    )
    axis = "总投资（万元）" if lang == "zh" else "Investment (10⁴ yuan)"
    return Bars(tuple(categories), stacks, axis)


def trend_of(row: IndicatorAssessment) -> Trend:
    observed = tuple(
        (year, float(o["value"]))
        for year, o in sorted(row.observed.items())
        if o["value"] is not None
    )
    baseline = None
    if row.baseline_year is not None and row.baseline_value is not None:
        baseline = (row.baseline_year, row.baseline_value)
    projection: tuple[tuple[int, float], ...] = ()
    p = row.projection
    if p is not None and p.anticipated_value is not None and p.latest_year is not None:
        if p.latest_value is not None and p.target_year > p.latest_year:
            projection = ((p.latest_year, p.latest_value), (p.target_year, p.anticipated_value))
    return Trend(
        title=f"{row.seq}　{row.name}" if row.seq else row.name,
        unit=row.unit,
        observed=observed,
        baseline=baseline,
        targets=tuple(sorted(row.target_values.items())),
        threshold=row.standard_threshold,
        projection=projection,
    )


def trend_rank(row: IndicatorAssessment) -> int:
    """Not met first, then moving away or off track, then the rest (plan order within)."""
    if row.verdict.status is VerdictStatus.NOT_MET:
        return 0
    return 1 if outlook_key(row) in OFF_TRACK else 2


def trends(inputs: ReportInputs, panels: int) -> tuple[Trend, ...]:
    """At most *panels* indicators with numbers entered, those that most need a look first."""
    drawable = [
        row
        for row in inputs.assessment.indicators
        if any(o["value"] is not None for o in row.observed.values())
    ]
    drawable.sort(key=trend_rank)  # stable: plan order within a rank
    return tuple(trend_of(row) for row in drawable[:panels])


def _bars(build: Callable[[ReportInputs, str], Bars | None]) -> ChartBuilder:
    def chart(key: str, caption: str, inputs: ReportInputs, lang: str) -> Chart | None:
        bars = build(inputs, lang)
        return Chart(key, caption, bars=bars, labels=LEGEND[lang]) if bars else None

    return chart


def _trends(key: str, caption: str, inputs: ReportInputs, lang: str) -> Chart | None:
    found = trends(inputs, registry().chart_style["trend_panels"])
    return Chart(key, caption, trends=found, labels=LEGEND[lang]) if found else None


ChartBuilder = Callable[[str, str, ReportInputs, str], Chart | None]
CHART_BUILDERS: dict[str, ChartBuilder] = {
    "verdicts": _bars(verdict_bars),
    "trends": _trends,
    "investment": _bars(investment_bars),
}
"""Chart key (``data/kinds.yaml``) → its builder; :mod:`.build` checks every chart has one."""
