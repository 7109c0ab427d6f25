"""ECharts options of the project library: planned against completed investment, and the
timeline (Gantt) of construction periods and milestones.  Pure: page data in, option out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from ecociv.web.charts import OBSERVED, TARGET

PLANNED = "#a0aec0"


def completion_chart(groups: Sequence[dict[str, Any]], unit: str) -> dict[str, Any]:
    """Two bars per group: planned and completed investment."""
    labels = [g["key"] for g in groups][::-1]
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"data": ["计划投资", "完成投资"], "top": 0},
        "grid": {"left": 8, "right": 48, "top": 28, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "value", "name": unit},
        "yAxis": {
            "type": "category",
            "data": labels,
            "axisLabel": {"width": 140, "overflow": "truncate"},
        },
        "series": [
            {
                "name": "计划投资",
                "type": "bar",
                "data": [round(g["planned_wan_yuan"], 2) for g in groups][::-1],
                "itemStyle": {"color": PLANNED},
            },
            {
                "name": "完成投资",
                "type": "bar",
                "data": [round(g["completed_wan_yuan"], 2) for g in groups][::-1],
                "itemStyle": {"color": OBSERVED},
            },
        ],
    }


def timeline_chart(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """One thick line per project over its construction period (1 January of the first year
    to 31 December of the last) on a time axis, with milestones as points: planned (hollow)
    and reached (filled)."""
    names = [r["name"] for r in rows][::-1]
    periods, planned, reached = [], [], []
    for row in rows:
        start, end = row["period_start"], row["period_end"] or row["period_start"]
        if start is not None and end is not None and end >= start:
            periods.append(
                {
                    "name": "建设期",
                    "type": "line",
                    "symbol": "none",
                    "lineStyle": {"width": 14, "color": PLANNED, "cap": "butt"},
                    "data": [
                        [date(start, 1, 1).isoformat(), row["name"]],
                        [date(end, 12, 31).isoformat(), row["name"]],
                    ],
                }
            )
        for milestone in row["milestones"]:
            planned.append([milestone["planned"].isoformat(), row["name"], milestone["name"]])
            if milestone["actual"]:
                reached.append([milestone["actual"].isoformat(), row["name"], milestone["name"]])
    return {
        "tooltip": {"trigger": "item"},
        "legend": {"data": ["计划节点", "实际完成"], "top": 0},
        "grid": {"left": 8, "right": 24, "top": 28, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "time"},
        "yAxis": {
            "type": "category",
            "data": names,
            "axisLabel": {"width": 160, "overflow": "truncate"},
        },
        "series": [
            *periods,
            {
                "name": "计划节点",
                "type": "scatter",
                "data": planned,
                "symbol": "emptyCircle",
                "symbolSize": 12,
                "itemStyle": {"color": TARGET},
                "z": 3,
            },
            {
                "name": "实际完成",
                "type": "scatter",
                "data": reached,
                "symbol": "circle",
                "symbolSize": 8,
                "itemStyle": {"color": OBSERVED},
                "z": 4,
            },
        ],
    }
