"""A plan's key projects (重点项目) with investment by category, year and lead unit."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from ecociv.store.services import plans, projects
from ecociv.web.charts import bar_chart
from ecociv.web.deps import CurrentUser, DbSession
from ecociv.web.pages import page
from ecociv.web.present import plan_dict, project_dict

router = APIRouter()
GROUPINGS = ("category", "year", "lead_unit")


@page(router, "/plans/{plan_id}/projects", "projects.html")
def project_list(plan_id: int, db: DbSession, user: CurrentUser) -> dict[str, Any]:
    plan = plans.get_plan(db, plan_id)
    summaries = {}
    for by in GROUPINGS:
        groups = projects.investment_summary(db, plan_id, by)
        summaries[by] = {
            "groups": [
                {
                    "key": g.key,
                    "total_wan_yuan": g.total_wan_yuan,
                    "projects": g.projects,
                    "unpriced": g.unpriced,
                }
                for g in groups
            ],
            "chart": bar_chart(
                "", [g.key for g in groups], [g.total_wan_yuan for g in groups], "万元"
            ),
        }
    rows = [project_dict(p) for p in projects.list_projects(db, plan_id)]
    priced = [r["investment_wan_yuan"] for r in rows if r["investment_wan_yuan"] is not None]
    return {
        "plan": plan_dict(plan),
        "projects": rows,
        "total_wan_yuan": round(sum(priced), 4),
        "unpriced": len(rows) - len(priced),
        "summaries": summaries,
    }
