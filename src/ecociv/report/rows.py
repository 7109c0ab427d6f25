"""The rows of each report table, from the assessment the store returns (pure).

Values are the stored ones: a number stays a number (for .xlsx), a text value (``暂无数据``,
``全面实施``) stays its text; margins are the verdicts' (``docs/verdicts.md``: positive is good).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from ecociv.assess.context import Context
from ecociv.assess.standard_check import choose_threshold, judge_standard
from ecociv.expr import parse_value
from ecociv.model import Verdict, VerdictStatus
from ecociv.report.gather import ProjectInfo, ReportInputs
from ecociv.report.model import Cell, number
from ecociv.report.registry import registry
from ecociv.standards import catalog, matcher
from ecociv.store.services.assessment import NO_DOMAIN, IndicatorAssessment

Row = dict[str, Cell]
MATCH_CONFIDENCE = 0.8
"""The store links a plan row to a standard indicator at this confidence (``docs/store.md``)."""


def label(group: str, key: str, lang: str) -> str:
    return registry().label(group, key, lang)


def reason(verdict: Verdict | None, lang: str) -> str | None:
    if verdict is None:
        return None
    return verdict.reason_zh if lang == "zh" else verdict.reason_en


def value_of(row: IndicatorAssessment) -> Cell:
    """The judged year's value: its number when it has one, else its text."""
    if row.year is None:
        return None
    observed = row.observed[row.year]
    return number(observed["value"]) if observed["value"] is not None else observed["text"]


def baseline_of(row: IndicatorAssessment) -> Cell:
    return number(row.baseline_value) if row.baseline_value is not None else row.baseline_text


def target_of(row: IndicatorAssessment) -> str | None:
    return row.targets.get(row.target_year) if row.target_year is not None else None


def outlook_key(row: IndicatorAssessment) -> str:
    projection = row.projection
    if projection is None:
        return "none"
    if projection.status == "off_track":
        return projection.category
    return projection.status


SUMMARY_STATUSES = ("met", "not_met", "no_data")
"""The verdicts counted in their own columns; the rest are counted as 其他."""


def summary_rows(inputs: ReportInputs, lang: str) -> list[Row]:
    rows: list[Row] = []
    counts = inputs.assessment.counts_by_domain
    for domain, by_status in [*counts.items(), ("", inputs.assessment.totals)]:
        row: Row = {
            "domain": domain or ("合计" if lang == "zh" else "Total"),
            "total": sum(by_status.values()),
        }
        row.update({status: by_status.get(status, 0) for status in SUMMARY_STATUSES})
        row["other"] = sum(n for s, n in by_status.items() if s not in SUMMARY_STATUSES)
        rows.append(row)
    return rows


def plan_target_rows(inputs: ReportInputs, lang: str) -> list[Row]:
    return [
        {
            "seq": row.seq,
            "domain": row.domain or NO_DOMAIN,
            "name": row.name,
            "unit": row.unit,
            "baseline": baseline_of(row),
            "target_year": row.target_year,
            "target": target_of(row),
            "value": value_of(row),
            "verdict": label("verdict", row.verdict.status.value, lang),
            "margin": number(row.verdict.margin),
            "reason": reason(row.verdict, lang),
        }
        for row in inputs.assessment.indicators
    ]


def standard_check_rows(inputs: ReportInputs, lang: str) -> list[Row]:
    """Plan rows linked to a standard indicator, judged against it for the region's class."""
    rows = []
    for row in inputs.assessment.indicators:
        if row.standard_code is None or row.standard_code != row.code:
            continue
        verdict = row.standard_verdict
        rows.append(
            {
                "seq": row.seq,
                "name": row.name,
                "unit": row.unit,
                "requirement": requirement_text(row.standard_code, region_classes(inputs), lang),
                "value": value_of(row),
                "verdict": label("verdict", verdict.status.value, lang) if verdict else None,
                "margin": number(verdict.margin) if verdict else None,
                "reason": reason(verdict, lang),
            }
        )
    return rows


def progress_rows(inputs: ReportInputs, lang: str) -> list[Row]:
    rows = []
    for row in inputs.assessment.indicators:
        projection = row.projection
        rows.append(
            {
                "seq": row.seq,
                "name": row.name,
                "unit": row.unit,
                "value": value_of(row),
                "target": target_of(row),
                "target_year": row.target_year,
                "anticipated": number(projection.anticipated_value) if projection else None,
                "progress_made": _percent(projection.progress_made) if projection else None,
                "anticipated_progress": _percent(projection.anticipated_progress)
                if projection
                else None,
                "outlook": label("outlook", outlook_key(row), lang),
                "required_change": required_change(row),
                "required_rate": required_rate(row),
            }
        )
    return rows


def required_change(row: IndicatorAssessment) -> float | None:
    """The change a year still needed to reach the numeric target by its year, linear:
    (target − value) / (target year − year); None without a number, or at or after the year."""
    span = _span(row)
    if span is None:
        return None
    value, target, years = span
    return number((target - value) / years)


def required_rate(row: IndicatorAssessment) -> float | None:
    """The compound rate a year still needed, in percent: ((target / value)^(1/years) − 1)·100;
    None when either is not positive."""
    span = _span(row)
    if span is None:
        return None
    value, target, years = span
    if value <= 0 or target <= 0:
        return None
    return number((math.pow(target / value, 1 / years) - 1) * 100, 2)


def _span(row: IndicatorAssessment) -> tuple[float, float, int] | None:
    if row.year is None or row.target_year is None or row.target_year <= row.year:
        return None
    value = row.observed[row.year]["value"]
    target = row.target_values.get(row.target_year)
    if value is None or target is None:
        return None
    return value, target, row.target_year - row.year


def gap_rows(inputs: ReportInputs, lang: str) -> list[Row]:
    """Indicators that are not met, or met today but moving away from the target."""
    rows = []
    for row in inputs.assessment.indicators:
        status = row.verdict.status
        off = status is VerdictStatus.NOT_MET or outlook_key(row) == "deterioration"
        if not off:
            continue
        rows.append(
            {
                "seq": row.seq,
                "name": row.name,
                "unit": row.unit,
                "value": value_of(row),
                "target": target_of(row),
                "margin": number(row.verdict.margin),
                "reason": reason(row.verdict, lang),
                "outlook": label("outlook", outlook_key(row), lang),
            }
        )
    return rows


def completion_rows(inputs: ReportInputs, lang: str) -> list[Row]:
    """The seeds' review layout (002 专栏1): 指标, 单位, 基期值, 目标值, 实际值, 完成情况."""
    return [
        {
            "seq": row.seq,
            "name": row.name,
            "unit": row.unit,
            "baseline": baseline_of(row),
            "target": target_of(row),
            "actual": value_of(row),
            "done": label("done", row.verdict.status.value, lang),
        }
        for row in inputs.assessment.indicators
    ]


def project_rows(inputs: ReportInputs, lang: str) -> list[Row]:
    return [
        {
            "seq": project.seq,
            "name": project.name,
            "category": project.category,
            "period": project.period_text,
            "investment": number(project.investment_wan_yuan),
            "lead": "、".join(project.lead_units) or None,
            "stage": label("stage", project_stage(project, inputs.year), lang),
        }
        for project in inputs.projects
    ]


def project_stage(project: ProjectInfo, year: int) -> str:
    """Where the project should be in *year* by its 建设年限 (the store has no progress reports)."""
    start, end = project.period_start, project.period_end or project.period_start
    if start is None or end is None:
        return "unknown"
    if year < start:
        return "not_started"
    return "due" if year >= end else "under_way"


def self_assessment_rows(inputs: ReportInputs, lang: str) -> list[Row]:
    """One row per indicator (and ①②③ item) of the standard: its value for the region's class,
    the region's value of the year, the verdict, and the source of the value as evidence."""
    standard = catalog.get_standard(inputs.standard)
    classes = region_classes(inputs)
    linked = _linked_rows(inputs)
    rows = []
    for indicator in standard.walk():
        plan_row = linked.get(indicator.code)
        verdict = _standard_verdict(indicator.code, plan_row, inputs)
        rows.append(
            {
                "seq": indicator.mark or indicator.seq,
                "domain": indicator.domain,
                "name": indicator.name,
                "unit": indicator.unit,
                "requirement": requirement_text(indicator.code, classes, lang),
                "value": value_of(plan_row) if plan_row else None,
                "verdict": label("verdict", verdict.status.value, lang),
                "margin": number(verdict.margin),
                "note": reason(verdict, lang),
                "evidence": inputs.sources.get(plan_row.code) if plan_row else None,
            }
        )
    return rows


def _linked_rows(inputs: ReportInputs) -> dict[str, IndicatorAssessment]:
    """Standard code → the plan row that is that indicator: the store's link for the standard
    plans are linked to, else the name matcher at the store's confidence."""
    linked = {}
    for row in inputs.assessment.indicators:
        if row.code.startswith(inputs.standard + "."):
            linked[row.code] = row
            continue
        found = matcher.match(row.name, inputs.standard)
        if found.indicator is not None and found.confidence >= MATCH_CONFIDENCE:
            linked.setdefault(found.indicator.code, row)
    return linked


def _standard_verdict(code: str, row: IndicatorAssessment | None, inputs: ReportInputs) -> Verdict:
    if row is not None and row.code == code and row.standard_verdict is not None:
        return row.standard_verdict
    context = _context(inputs, row)
    value = _value_expr(row) if row is not None else None
    if value is None:
        blocked = judge_standard(code, parse_value("暂无数据").expr, context)
        if blocked.status is not VerdictStatus.NO_DATA:
            return blocked
        return Verdict(
            status=VerdictStatus.NO_DATA,
            reason_zh="规划未设该指标或未录入现状值",
            reason_en="the plan has no such indicator or no value was entered",
        )
    return judge_standard(code, value, context)


def _value_expr(row: IndicatorAssessment):
    if row.year is None:
        return None
    observed = row.observed[row.year]
    if observed["text"] is not None:
        return parse_value(observed["text"]).expr
    return observed["value"]


def _context(inputs: ReportInputs, row: IndicatorAssessment | None) -> Context:
    series: dict[int, float] = {}
    if row is not None:
        series = {y: o["value"] for y, o in row.observed.items() if o["value"] is not None}
    return Context(
        classes=region_classes(inputs),
        coastal=inputs.region.coastal,
        year=row.year if row is not None else inputs.year,
        base_year=inputs.plan.base_year,
        series=series,
    )


def region_classes(inputs: ReportInputs) -> dict[str, str]:
    region = inputs.region
    classes = {
        "level": region.admin_class,
        "terrain": region.terrain,
        "city_size": region.city_size,
    }
    return {key: value for key, value in classes.items() if value is not None}


def requirement_text(code: str, classes: dict[str, str], lang: str) -> str | None:
    """The standard's requirement for the region's class, or why none can be chosen."""
    chosen = choose_threshold(code, Context(classes=classes))
    if isinstance(chosen, Verdict):
        return reason(chosen, lang)
    return chosen.requirement


def _percent(share: float | None) -> float | None:
    return number(share * 100, 1) if share is not None else None


ROW_BUILDERS: dict[str, Callable[[ReportInputs, str], list[Row]]] = {
    "summary": summary_rows,
    "plan_targets": plan_target_rows,
    "standard_check": standard_check_rows,
    "progress": progress_rows,
    "progress_rates": progress_rows,
    "gaps": gap_rows,
    "completion": completion_rows,
    "projects": project_rows,
    "self_assessment": self_assessment_rows,
}
"""Table key (``data/kinds.yaml``) → its rows; :mod:`.build` checks every table has one."""
