"""The dashboard's data (驾驶舱) as JSON-ready rows, from ``assessment.assess_plan``.

Shared by the dashboard page, its JSON twin, the indicator page and ``/api/v1``.  The store
judges; this module only shapes: verdicts as dicts, counts ordered, and the picture of each
indicator — an ECharts line chart (baseline, observed series, targets, the standard's
threshold, projection) when there are numbers to draw, else a timeline of the years with
what was written for each (baseline, entered value, target) and the verdict on the judged
year: a milestone (建立, 全面实施), a quota (完成上级下达任务) or a protection clause has no
series, and an empty axis says nothing.
"""

from __future__ import annotations

from typing import Any

from ecociv.model import Verdict, VerdictStatus
from ecociv.standards import catalog
from ecociv.store.services.assessment import IndicatorAssessment, PlanAssessment
from ecociv.store.services.readiness import badge_of, rounded_margin
from ecociv.web.charts import indicator_chart

STATUS_ORDER = tuple(status.value for status in VerdictStatus)
CHART_LABELS = {
    "zh": {},
    "en": {
        "observed": "observed",
        "baseline": "baseline",
        "target": "target",
        "standard": "standard",
        "projection": "projected",
    },
}


def verdict_dict(verdict: Verdict | None) -> dict[str, Any] | None:
    return None if verdict is None else verdict.model_dump(mode="json")


def projection_dict(row: IndicatorAssessment) -> dict[str, Any] | None:
    if row.projection is None:
        return None
    p = row.projection
    return {
        "status": p.status,
        "category": p.category,
        "reason_zh": p.reason_zh,
        "reason_en": p.reason_en,
        "method": p.method,
        "target_year": p.target_year,
        "target_value": p.target_value,
        "anticipated_value": p.anticipated_value,
        "progress_made": p.progress_made,
        "anticipated_progress": p.anticipated_progress,
    }


def chart_kind(row: IndicatorAssessment) -> str:
    """``line`` when a number was entered, or when nothing was entered but the baseline, a
    target or the standard gives a number to draw; ``timeline`` otherwise (text values only,
    or nothing numeric at all)."""
    entered = row.observed.values()
    if any(o.get("value") is not None for o in entered):
        return "line"
    references = (
        row.baseline_value is not None or row.target_values or row.standard_threshold is not None
    )
    return "line" if references and not entered else "timeline"


def timeline_of(row: IndicatorAssessment) -> list[dict[str, Any]]:
    """One entry per year the indicator has something for, oldest first: the baseline, the
    entered value (its text, else its number) and the target as written; ``judged`` marks the
    year the verdict is about."""
    years: dict[int, dict[str, Any]] = {}

    def at(year: int) -> dict[str, Any]:
        return years.setdefault(year, {"year": year, "judged": year == row.year})

    if row.baseline_year is not None and row.baseline_text:
        at(row.baseline_year)["baseline"] = row.baseline_text
    for year, observed in row.observed.items():
        text = observed.get("text")
        at(year)["observed"] = text if text is not None else f"{observed.get('value'):g}"
    for year, text in row.targets.items():
        at(year)["target"] = text
    return [years[year] for year in sorted(years)]


def chart_of(row: IndicatorAssessment, lang: str = "zh") -> dict[str, Any]:
    observed = [(year, o.get("value")) for year, o in sorted(row.observed.items())]
    p = row.projection
    baseline = None
    if (
        row.baseline_year is not None
        and row.baseline_value is not None
        and row.baseline_year not in row.observed
    ):
        baseline = (row.baseline_year, row.baseline_value)
    projection: list[tuple[int, float]] = []
    if (
        p is not None
        and p.anticipated_value is not None
        and p.latest_year is not None
        and p.latest_value is not None
    ):
        projection = [
            (p.latest_year, p.latest_value),
            (p.target_year, round(p.anticipated_value, 4)),
        ]
    return indicator_chart(
        title=f"{row.seq or ''} {row.name}".strip(),
        unit=row.unit,
        observed=observed,
        baseline=baseline,
        targets=sorted(row.target_values.items()),
        standard=row.standard_threshold,
        projection=projection,
        text_targets=[
            (year, text)
            for year, text in sorted(row.targets.items())
            if year not in row.target_values
        ],
        labels=CHART_LABELS.get(lang),
    )


def indicator_row(row: IndicatorAssessment, lang: str = "zh") -> dict[str, Any]:
    latest = row.observed.get(row.year) if row.year is not None else None
    target_text = row.targets.get(row.target_year) if row.target_year is not None else None
    due = row.year is not None and row.target_year is not None and row.year >= row.target_year
    return {
        "due": due,
        "badge": badge_of(row.verdict, row.projection, due),
        "margin": rounded_margin(row.verdict.margin, latest, target_text),
        "standard_margin": (
            rounded_margin(row.standard_verdict.margin, latest, None)
            if row.standard_verdict is not None
            else None
        ),
        "code": row.code,
        "seq": row.seq,
        "name": row.name,
        "domain": row.domain,
        "unit": row.unit,
        "attribute": row.attribute,
        "standard_code": row.standard_code,
        "baseline_year": row.baseline_year,
        "baseline_text": row.baseline_text,
        "baseline_value": row.baseline_value,
        "targets": [
            {"year": y, "text": t, "value": row.target_values.get(y)}
            for y, t in sorted(row.targets.items())
        ],
        "year": row.year,
        "latest": latest,
        "target_year": row.target_year,
        "target_text": row.targets.get(row.target_year) if row.target_year is not None else None,
        "target_value": (
            row.target_values.get(row.target_year) if row.target_year is not None else None
        ),
        "standard_threshold": row.standard_threshold,
        "better": row.better,
        "verdict": verdict_dict(row.verdict),
        "standard_verdict": verdict_dict(row.standard_verdict),
        "projection": projection_dict(row),
        "observed": [{"year": y, **o} for y, o in sorted(row.observed.items())],
        **_picture(row, lang),
        "plotted": bool(row.observed),
    }


def _picture(row: IndicatorAssessment, lang: str) -> dict[str, Any]:
    """The line chart's option or the timeline (the other one None), and which it is."""
    kind = chart_kind(row)
    return {
        "chart_kind": kind,
        "chart": chart_of(row, lang) if kind == "line" else None,
        "timeline": timeline_of(row) if kind == "timeline" else None,
    }


def dashboard_dict(result: PlanAssessment, lang: str = "zh") -> dict[str, Any]:
    counts = [
        {
            "domain": domain,
            "counts": {s: c[s] for s in STATUS_ORDER if s in c},
            "total": sum(c.values()),
        }
        for domain, c in result.counts_by_domain.items()
    ]
    linked = {row.standard_code.split(".", 1)[0] for row in result.indicators if row.standard_code}
    titles = [
        catalog.get_standard(v).version.title for v in sorted(linked) if v in catalog.versions()
    ]
    return {
        "version": result.version,
        "as_of": result.as_of,
        "standard_titles": titles,
        "totals": {s: result.totals[s] for s in STATUS_ORDER if s in result.totals},
        "counts_by_domain": counts,
        "indicators": [indicator_row(row, lang) for row in result.indicators],
    }
