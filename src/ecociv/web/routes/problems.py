"""The problem pages (问题整改): the list with statistics, a map and the form of a new problem;
one problem with its steps, files and record.  Writes go through ``/api/v1/problems``."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from fastapi import APIRouter

from ecociv.problems import records, stats
from ecociv.problems.vocab import categories, severities, sources
from ecociv.store.services import departments, regions
from ecociv.web.deps import CurrentUser, DbSession
from ecociv.web.pages import page
from ecociv.web.work_present import problem_detail, problem_dict

router = APIRouter()


def _terms(vocabulary: dict) -> list[dict[str, str]]:
    return [{"code": t.code, "zh": t.zh, "en": t.en} for t in vocabulary.values()]


@page(router, "/problems", "problems.html")
def problem_list(db: DbSession, user: CurrentUser) -> dict[str, Any]:
    today = date.today()
    found = [problem_dict(p, today) for p in records.list_problems(db)]
    return {
        "problems": found,
        "stats": {
            by: [
                {**asdict(r), "completion_rate": r.completion_rate, "on_time_rate": r.on_time_rate}
                for r in stats.rates(db, by, today)
            ]
            for by in stats.GROUPINGS
        },
        "map": _map(found),
        "sources": _terms(sources()),
        "categories": _terms(categories()),
        "severities": _terms(severities()),
        "regions": [{"code": r.code, "name": r.name} for r in regions.list_regions(db)],
        "departments": [{"code": d.code, "name": d.name} for d in departments.list_departments(db)],
        "unit_names": {d.code: d.name for d in departments.list_departments(db)},
    }


@page(router, "/problems/{problem_id}", "problem.html")
def problem(problem_id: int, db: DbSession, user: CurrentUser) -> dict[str, Any]:
    return problem_detail(db, records.get_problem(db, problem_id), user)


def _map(found: list[dict[str, Any]]) -> dict[str, Any]:
    """Problems with coordinates on a longitude–latitude plane (no base map is shipped)."""
    points = [
        {"value": [p["longitude"], p["latitude"]], "name": p["title"], "overdue": p["overdue"]}
        for p in found
        if p["longitude"] is not None and p["latitude"] is not None
    ]
    return {
        "tooltip": {"trigger": "item", "formatter": "{b}"},
        "xAxis": {"type": "value", "name": "经度", "scale": True},
        "yAxis": {"type": "value", "name": "纬度", "scale": True},
        "series": [
            {
                "type": "scatter",
                "symbolSize": 12,
                "data": [
                    {"value": p["value"], "name": p["name"]} for p in points if not p["overdue"]
                ],
                "itemStyle": {"color": "#2f6f4f"},
            },
            {
                "type": "scatter",
                "symbolSize": 14,
                "data": [{"value": p["value"], "name": p["name"]} for p in points if p["overdue"]],
                "itemStyle": {"color": "#c53030"},
            },
        ],
    }
