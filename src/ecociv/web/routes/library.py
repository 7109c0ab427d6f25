"""The project library pages (项目库): the list with investment completion, the lagging list
and the timeline; one project with its steps, 调度 reports, change requests and files.
Writes go through ``/api/v1/projects`` (``static/work.js``)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from fastapi import APIRouter

from ecociv.projects import changes, performance, records, summary
from ecociv.projects.indicator_set import indicator_set
from ecociv.projects.vocab import change_fields, funding_sources
from ecociv.store.services import plans
from ecociv.web.deps import CurrentUser, DbSession
from ecociv.web.pages import page
from ecociv.web.present import plan_dict
from ecociv.web.work_charts import completion_chart, timeline_chart
from ecociv.web.work_present import evaluation_dict, record_detail, record_dict

router = APIRouter()


@page(router, "/plans/{plan_id}/library", "library.html")
def library(plan_id: int, db: DbSession, user: CurrentUser) -> dict[str, Any]:
    plan = plans.get_plan(db, plan_id)
    found = records.list_records(db, plan_id=plan.id)
    charts = {}
    for by in summary.GROUPINGS:
        groups = [
            {**asdict(g), "rate": g.rate} for g in summary.completion(db, by, plan_id=plan.id)
        ]
        charts[by] = {"groups": groups, "chart": completion_chart(groups, "万元")}
    lagging = summary.lagging_list(db, date.today(), plan_id=plan.id)
    rows = [
        {
            **record_dict(r),
            "milestones": [
                {"name": m.name, "planned": m.planned, "actual": m.actual} for m in r.milestones
            ],
        }
        for r in found
    ]
    return {
        "plan": plan_dict(plan),
        "projects": [record_dict(r) for r in found],
        "enrolled": len(found),
        "in_plan": len(plans.get_version(db, plan.id).projects),
        "completion": charts,
        "lagging": [
            {
                "id": item.record.id,
                "name": item.record.project.name,
                "period": item.report.period if item.report else None,
                "lags": [{"kind": lag.kind, "zh": lag.zh, "en": lag.en} for lag in item.lags],
            }
            for item in lagging
        ],
        "timeline": timeline_chart(rows),
    }


@page(router, "/library/{record_id}", "library_project.html")
def project(record_id: int, db: DbSession, user: CurrentUser) -> dict[str, Any]:
    record = records.get_record(db, record_id)
    return {
        **record_detail(db, record, user, changes.list_changes(db, record.id)),
        "plan": plan_dict(record.plan),
        "change_fields": [
            {"code": f.code, "zh": f.zh, "en": f.en, "kind": f.kind}
            for f in change_fields().values()
        ],
        "funding_sources": [
            {"code": f.code, "zh": f.zh, "en": f.en} for f in funding_sources().values()
        ],
        "can_approve": "approver" in _roles(user, record),
        "evaluations": [evaluation_dict(e) for e in performance.list_evaluations(db, record.id)],
        "indicator_set": asdict(indicator_set()),
        "indicator_names": {c: i.zh for c, i in indicator_set().indicators.items()},
    }


def _roles(user: Any, record: Any) -> frozenset[str]:
    from ecociv.projects.roles import roles_for

    return roles_for(user, record.region)
