"""An indicator of a plan for one region: values, edit history, chart, and yearly entry.

Entry gives immediate feedback: while the editor types, htmx asks ``…/check`` (a GET, no
write) and shows what ``ecociv.expr`` read, the problems that block a save and the warnings
that do not.  Saving posts the form; a second editor saving from a stale version is told
(409) and shown the stored value instead of overwriting it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from ecociv.store.errors import Conflict, ValidationError
from ecociv.store.services import indicators, observations, plans, regions
from ecociv.store.services.access import can_edit
from ecociv.web.api_types import safe_text
from ecociv.web.deps import CurrentUser, DbSession, ViewDep, Writer, require_region_edit
from ecociv.web.indicator_data import indicator_detail
from ecociv.web.pages import AsOf, page

router = APIRouter()
RegionQuery = Annotated[str | None, Query(max_length=32)]
EntryText = safe_text(2000)
TextField = Annotated[EntryText, Form()]
OptionalText = Annotated[EntryText | None, Form()]


@page(router, "/plans/{plan_id}/indicators/{code}", "indicator.html")
def indicator_page(
    plan_id: int,
    code: str,
    db: DbSession,
    user: CurrentUser,
    view: ViewDep,
    region: RegionQuery = None,
    as_of: AsOf = None,
) -> dict[str, Any]:
    data = indicator_detail(db, plan_id, code, region, view.lang, as_of)
    data["editable"] = can_edit(user, regions.get_region(db, data["region"]["code"]))
    data["targets_editable"] = can_edit(user, plans.get_plan(db, plan_id).region)
    return data


@page(router, "/plans/{plan_id}/indicators/{code}/check", "_check.html")
def check_entry(
    plan_id: int,
    code: str,
    db: DbSession,
    user: CurrentUser,
    region: Annotated[str, Query(max_length=32)],
    year: Annotated[int, Query(ge=1, le=9999)],
    text: Annotated[EntryText, Query()] = "",
    expected_version: Annotated[str, Query(max_length=12, pattern=r"^\d*$")] = "",
) -> dict[str, Any]:
    """What would be stored for this entry, and what blocks it (no write)."""
    indicators.find_indicator(db, plan_id, code)
    check = observations.check_observation(
        db,
        region_code=region,
        indicator_code=code,
        year=year,
        text=text or None,
        expected_version=int(expected_version) if expected_version else None,
    )
    return {
        "ok": check.ok,
        "outlier": check.outlier.as_dict() if check.outlier else None,
        "value": check.value,
        "text": check.text,
        "unit": check.unit,
        "expected_unit": check.expected_unit,
        "reading": check.reading,
        "problems": [p.as_dict() for p in check.problems],
        "warnings": [w.as_dict() for w in check.warnings],
    }


@router.post("/plans/{plan_id}/indicators/{code}/observations", name="save_observation")
def save_entry(
    request: Request,
    plan_id: int,
    code: str,
    db: DbSession,
    user: Writer,
    view: ViewDep,
    region: Annotated[str, Form(max_length=32)],
    year: Annotated[int, Form(ge=1, le=9999)],
    text: TextField,
    source: OptionalText = None,
    note: OptionalText = None,
    confirmation: OptionalText = None,
    expected_version: Annotated[int | None, Form(ge=1)] = None,
) -> Response:
    target_region = regions.get_region(db, region)
    require_region_edit(user, target_region)
    plan = plans.get_plan(db, plan_id)
    indicators.find_indicator(db, plan.id, code)
    back = f"/plans/{plan_id}/indicators/{code}?region={region}"
    try:
        observations.save_observation(
            db,
            user,
            region_code=region,
            indicator_code=code,
            year=year,
            text=text,
            source=source or None,
            note=note or None,
            confirmation=confirmation or None,
            expected_version=expected_version,
        )
    except (Conflict, ValidationError) as error:
        db.rollback()  # nothing of the refused save may be committed with the request
        if request.headers.get("hx-request"):
            status = 409 if isinstance(error, Conflict) else 422
            current = error.current if isinstance(error, Conflict) else None
            data = {"error": error.zh if view.lang == "zh" else error.en, "current": current}
            templates = request.app.state.templates
            return templates.TemplateResponse(
                request, "_save_error.html", view.context(data), status_code=status
            )
        raise
    if request.headers.get("hx-request"):
        return Response(status_code=204, headers={"HX-Redirect": back})
    return RedirectResponse(back, status_code=303)


@router.post("/plans/{plan_id}/indicators/{code}/targets", name="save_target")
def save_target(
    plan_id: int,
    code: str,
    db: DbSession,
    user: Writer,
    year: Annotated[int, Form(ge=1949, le=2100)],
    text: TextField,
    region: Annotated[str | None, Form(max_length=32)] = None,
    expected_version: Annotated[int | None, Form(ge=1)] = None,
) -> Response:
    """Set the plan's target for a year (the plan's region decides who may); the previous text
    is kept in the target's history."""
    plan = plans.get_plan(db, plan_id)
    require_region_edit(user, plan.region)
    indicator = indicators.find_indicator(db, plan_id, code)
    indicators.set_target(
        db, user, indicator.id, year=year, text=text, expected_version=expected_version
    )
    back = f"/plans/{plan_id}/indicators/{code}" + (f"?region={region}" if region else "")
    return RedirectResponse(back, status_code=303)
