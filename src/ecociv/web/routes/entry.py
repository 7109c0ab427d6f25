"""Bulk yearly entry (批量填报) through the .xlsx template the store generates."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import Response

from ecociv.store.errors import ValidationError
from ecociv.store.services import entry_template, plans, regions
from ecociv.store.services.access import can_edit
from ecociv.store.services.value_check import last_observed_year
from ecociv.web.deps import CurrentUser, DbSession, ViewDep, Writer, require_region_edit
from ecociv.web.limits import SHEET_KINDS, read_upload
from ecociv.web.offload import HeavySlot
from ecociv.web.pages import attachment, json_response, page
from ecociv.web.present import plan_dict, region_dict

router = APIRouter()
RegionQuery = Annotated[str | None, Query(max_length=32)]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def template_years(plan_start: int | None, plan_end: int | None) -> list[int]:
    """The years a template offers: the plan's whole period (:func:`entry_template.plan_years`)."""
    return entry_template.plan_years(plan_start, plan_end, last_observed_year())


@page(router, "/plans/{plan_id}/entry", "bulk.html")
def bulk_page(
    plan_id: int, db: DbSession, user: CurrentUser, region: RegionQuery = None
) -> dict[str, Any]:
    plan = plans.get_plan(db, plan_id)
    target = regions.get_region(db, region) if region else plan.region
    return {
        "plan": plan_dict(plan),
        "region": region_dict(target),
        "years": template_years(plan.period_start, plan.period_end),
        "editable": can_edit(user, target),
        "result": None,
    }


@router.get("/plans/{plan_id}/entry/template.xlsx", name="entry_template")
def download_template(
    plan_id: int, db: DbSession, user: CurrentUser, region: RegionQuery = None
) -> Response:
    plan = plans.get_plan(db, plan_id)
    code = region or plan.region.code
    content = entry_template.entry_template(
        db, plan_id, template_years(plan.period_start, plan.period_end), code
    )
    filename = f"ecociv-entry-{plan_id}-{code}.xlsx"
    return Response(
        content,
        media_type=XLSX_TYPE,
        headers=attachment(filename),
    )


@router.post("/plans/{plan_id}/entry", name="bulk_entry")
def upload_template(
    _slot: HeavySlot,
    request: Request,
    plan_id: int,
    db: DbSession,
    user: Writer,
    view: ViewDep,
    file: Annotated[UploadFile, File()],
    region: Annotated[str | None, Form(max_length=32)] = None,
) -> Response:
    """Check the whole workbook first; save all of it or nothing (the store's rule)."""
    _, content = read_upload(file, SHEET_KINDS)
    checked = entry_template.read_entry_template(db, user, content, apply=False)
    target = regions.get_region(db, checked.region_code)
    require_region_edit(user, target)
    plan = plans.get_plan(db, plan_id)
    if checked.plan_id != plan.id:
        raise ValidationError(
            f"该模板属于规划 {checked.plan_id}，不是本规划（{plan.id}）",
            f"this template belongs to plan {checked.plan_id}, not to plan {plan.id}",
            where=file.filename,
        )
    result = entry_template.read_entry_template(db, user, content, apply=not checked.problems)
    if not result.applied:
        db.rollback()
    names = {i.code: i.name for i in plans.get_version(db, plan.id).indicators}
    data = {
        "plan": plan_dict(plan),
        "region": region_dict(target),
        "years": template_years(plan.period_start, plan.period_end),
        "editable": True,
        "result": {
            "applied": result.applied,
            "counts": result.counts(),
            "problems": len(result.problems),
            "cells": [
                {
                    "cell": c.cell,
                    "indicator_code": c.indicator_code,
                    "indicator_name": names.get(c.indicator_code),
                    "year": c.year,
                    "status": c.status,
                    "value": c.value,
                    "text": c.text,
                    "messages": c.messages,
                }
                for c in result.cells
            ],
        },
    }
    if "application/json" in request.headers.get("accept", ""):
        return json_response(data, status_code=200 if result.applied else 422)
    templates = request.app.state.templates
    return templates.TemplateResponse(
        request, "bulk.html", view.context(data), status_code=200 if result.applied else 422
    )
