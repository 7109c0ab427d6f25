"""ECharts option objects, built from page data (pure functions; the browser only draws them).

Each function returns the ``option`` dict given to ``echarts.setOption``; the page embeds it as
JSON next to the chart's ``<div>`` and ``static/app.js`` draws it.  Colours follow the verdict
chips of ``static/app.css``.
"""

from __future__ import annotations

from collections.abc import Sequence
from math import ceil, floor, log10
from typing import Any

OBSERVED = "#2f6f4f"
TARGET = "#c05621"
STANDARD = "#6b46c1"
PROJECTION = "#718096"
BASELINE = "#2b6cb0"


def bar_chart(
    title: str, labels: Sequence[str], values: Sequence[float], unit: str
) -> dict[str, Any]:
    """A horizontal bar per label (long Chinese labels read better on the y axis); the unit
    under the value axis, a few value labels that never overlap, and the bar values rounded
    to what the amounts need (whole numbers from 1000 up)."""
    places = 0 if values and max(abs(v) for v in values) >= 1000 else 2
    return {
        "title": {"text": title, "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": {"left": 8, "right": 56, "top": 36, "bottom": 30, "containLabel": True},
        "xAxis": {
            "type": "value",
            "name": unit,
            "nameLocation": "middle",
            "nameGap": 24,
            "axisLabel": {"hideOverlap": True},
            "splitNumber": 3,
        },
        "yAxis": {
            "type": "category",
            "data": list(labels)[::-1],
            "axisLabel": {"width": 160, "overflow": "truncate"},
        },
        "series": [
            {
                "type": "bar",
                "data": [round(v, places) + 0 for v in list(values)[::-1]],
                "itemStyle": {"color": OBSERVED},
                "label": {"show": True, "position": "right"},
            }
        ],
        "animation": False,
    }


def indicator_chart(
    *,
    title: str,
    unit: str | None,
    observed: Sequence[tuple[int, float | None]],
    baseline: tuple[int, float] | None = None,
    targets: Sequence[tuple[int, float]] = (),
    standard: float | None = None,
    projection: Sequence[tuple[int, float]] = (),
    text_targets: Sequence[tuple[int, str]] = (),
    labels: dict[str, str] | None = None,
) -> dict[str, Any]:
    """One indicator over the years: baseline point, observed line, target points, the
    standard's threshold as a dotted line of its own in the legend (a label on the line would
    sit on the data points), the projection as a dashed line, and each target written in words
    (完成上级下达任务) as a vertical marker at its year with the words in the tooltip-free label.

    The unit is the y axis's name, left-aligned at the axis so it is never clipped."""
    names = {
        "observed": "实测值",
        "baseline": "基准值",
        "target": "目标值",
        "standard": "标准要求",
        "projection": "预计值",
        **(labels or {}),
    }
    known = (
        {y for y, _ in observed}
        | {y for y, _ in targets}
        | {y for y, _ in text_targets}
        | {y for y, _ in projection}
        | ({baseline[0]} if baseline else set())
    )
    years = list(range(min(known), max(known) + 1)) if known else []
    series: list[dict[str, Any]] = [
        {
            "name": names["observed"],
            "type": "line",
            "data": [[str(y), v] for y, v in observed],
            "itemStyle": {"color": OBSERVED},
            "connectNulls": False,
            "symbolSize": 7,
        }
    ]
    if baseline is not None:
        series.append(
            {
                "name": names["baseline"],
                "type": "scatter",
                "data": [[str(baseline[0]), baseline[1]]],
                "itemStyle": {"color": BASELINE},
                "symbol": "diamond",
                "symbolSize": 12,
            }
        )
    if targets:
        series.append(
            {
                "name": names["target"],
                "type": "scatter",
                "data": [[str(y), v] for y, v in targets],
                "itemStyle": {"color": TARGET},
                "symbol": "triangle",
                "symbolSize": 13,
            }
        )
    if projection:
        series.append(
            {
                "name": names["projection"],
                "type": "line",
                "data": [[str(y), v] for y, v in projection],
                "lineStyle": {"type": "dashed", "color": PROJECTION},
                "itemStyle": {"color": PROJECTION},
                "symbol": "none",
            }
        )
    if standard is not None:
        series.append(
            {
                "name": f"{names['standard']} {standard:g}",
                "type": "line",
                "data": [[str(y), standard] for y in years],
                "lineStyle": {"color": STANDARD, "type": "dotted", "width": 2},
                "itemStyle": {"color": STANDARD},
                "symbol": "none",
                "silent": True,
            }
        )
    if text_targets:
        series[0]["markLine"] = {
            "silent": True,
            "symbol": "none",
            "lineStyle": {"color": TARGET, "type": "dashed"},
            "label": {"position": "insideEndTop", "color": TARGET, "fontSize": 11},
            "data": [
                {"xAxis": str(y), "label": {"formatter": f"{names['target']}：{_short(text)}"}}
                for y, text in text_targets
            ],
        }
    return {
        "title": {"text": title, "textStyle": {"fontSize": 13}, "left": 0},
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0, "textStyle": {"fontSize": 11}},
        "grid": {"left": 8, "right": 16, "top": 56, "bottom": 36, "containLabel": True},
        "xAxis": {"type": "category", "data": [str(y) for y in years], "boundaryGap": False},
        "yAxis": {
            "type": "value",
            "name": unit or "",
            "nameTextStyle": {"align": "left"},
            "scale": True,
            **_bounds(observed, baseline, targets, standard, projection),
        },
        "series": series,
        "animation": False,
    }


def _short(text: str, limit: int = 10) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _bounds(
    observed: Sequence[tuple[int, float | None]],
    baseline: tuple[int, float] | None,
    targets: Sequence[tuple[int, float]],
    standard: float | None,
    projection: Sequence[tuple[int, float]],
) -> dict[str, float]:
    """Axis limits on a tidy step (1, 2 or 5 × 10ⁿ) that keep every drawn value in view — the
    standard's line included, which ECharts would otherwise leave off-scale."""
    values = [v for _, v in observed if v is not None]
    values += [v for _, v in targets] + [v for _, v in projection]
    values += [baseline[1]] if baseline else []
    values += [standard] if standard is not None else []
    if not values:
        return {}
    low, high = min(values), max(values)
    step = _nice_step((high - low) / 4 or abs(high) / 20 or 1.0)
    bottom, top = floor(low / step) * step, ceil(high / step) * step
    if top == high:
        top += step
    if bottom == low and low != 0:
        bottom -= step
    return {"min": round(bottom, 10), "max": round(top, 10), "interval": step}


def _nice_step(raw: float) -> float:
    """The smallest of 1, 2, 5 × 10ⁿ not below *raw*."""
    unit = 10 ** floor(log10(raw))
    return next(m * unit for m in (1, 2, 5, 10) if m * unit >= raw)
