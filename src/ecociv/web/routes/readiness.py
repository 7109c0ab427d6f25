"""The readiness view (创建研判): gap list against a chosen standard and the plan's targets with
at-risk badges, for a region and an as-of year; its .xlsx export; the region's default standard
(admins); and the big screen (大屏) for a meeting-room display."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Query
from fastapi.responses import RedirectResponse, Response
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from sqlalchemy.orm import Session

from ecociv.store.services import readiness
from ecociv.store.services.access import require_admin
from ecociv.web.deps import CurrentUser, DbSession, View, ViewDep, Writer
from ecociv.web.pages import AsOf, attachment, page
from ecociv.web.readiness_data import readiness_page, screen_data
from ecociv.web.readiness_table import Filters
from ecociv.web.routes.map import StandardQuery, map_page_data

router = APIRouter()
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RegionQuery = Annotated[str | None, Query(max_length=32)]
ViewQuery = Annotated[Literal["standard", "targets"], Query()]
FilterQuery = Annotated[str | None, Query(max_length=100)]
REFRESH_SECONDS = 60


@dataclass(frozen=True)
class Question:
    """What a readiness page and its .xlsx export are asked: region, standard, year, tab and
    the gap list's filters (one set of query parameters for both)."""

    region: str | None
    standard: str | None
    as_of: int | None
    show: str
    filters: Filters


def question(
    region: RegionQuery = None,
    standard: StandardQuery = None,
    as_of: AsOf = None,
    show: ViewQuery = "standard",
    status: FilterQuery = None,
    domain: FilterQuery = None,
    attribute: FilterQuery = None,
    department: FilterQuery = None,
) -> Question:
    return Question(
        region=region,
        standard=standard,
        as_of=as_of,
        show=show,
        filters=Filters(
            status=status or None,
            domain=domain or None,
            attribute=attribute or None,
            department=department or None,
        ),
    )


QuestionDep = Annotated[Question, Depends(question)]


def _answer(db: Session, view: View, plan_id: int, asked: Question) -> dict[str, Any]:
    return readiness_page(
        db,
        view.request.app.state.catalogs,
        view.lang,
        plan_id,
        region_code=asked.region,
        standard=asked.standard,
        as_of=asked.as_of,
        view=asked.show,
        filters=asked.filters,
    )


@page(router, "/plans/{plan_id}/readiness", "readiness.html", cache=True)
def readiness_view(
    plan_id: int, db: DbSession, user: CurrentUser, view: ViewDep, asked: QuestionDep
) -> dict[str, Any]:
    data = _answer(db, view, plan_id, asked)
    data["is_admin"] = user.role == "admin"
    return data


@router.get("/plans/{plan_id}/readiness.xlsx", name="readiness_xlsx")
def readiness_xlsx(
    plan_id: int, db: DbSession, user: CurrentUser, view: ViewDep, asked: QuestionDep
) -> Response:
    """The table the page shows for the same query, as a workbook (one sheet, same cells)."""
    data = _answer(db, view, plan_id, asked)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = view.t("readiness.sheet")
    year = str(data["as_of"]) if data["as_of"] else view.t("readiness.latest")
    title = f"{data['region']['name']} · {data['standard']['title']} · {year}"
    if data["department"]:
        title += f" · {view.t('readiness.department')}：{data['department']}"
    sheet.append([title])
    sheet.append(data["table"]["headers"])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in data["table"]["rows"]:
        sheet.append(row["cells"])
    for column in sheet.iter_cols(min_row=3):
        for cell in column:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = BytesIO()
    workbook.save(buffer)
    name = f"readiness-{data['region']['code']}-{data['standard']['id']}-{year}.xlsx"
    return Response(buffer.getvalue(), media_type=XLSX_TYPE, headers=attachment(name))


@router.post("/regions/{code}/default-standard", name="set_default_standard")
def set_default_standard(
    code: str,
    db: DbSession,
    user: Writer,
    standard: Annotated[str, Form(max_length=32)],
    plan: Annotated[int | None, Form()] = None,
) -> Response:
    """An admin sets the standard a region's readiness view opens with."""
    require_admin(user)
    readiness.set_default_standard(db, user, code, standard)
    target = f"/plans/{plan}/readiness?region={code}" if plan else f"/regions/{code}"
    return RedirectResponse(target, status_code=303)


@page(router, "/plans/{plan_id}/screen", "screen.html", cache=True)
def big_screen(
    plan_id: int,
    db: DbSession,
    user: CurrentUser,
    view: ViewDep,
    region: RegionQuery = None,
    standard: StandardQuery = None,
    as_of: AsOf = None,
) -> dict[str, Any]:
    """The meeting-room display; the page reloads its data every :data:`REFRESH_SECONDS`."""
    data = screen_data(
        db,
        view.request.app.state.catalogs,
        view.lang,
        plan_id,
        region_code=region,
        standard=standard,
        as_of=as_of,
    )
    data["refresh_seconds"] = REFRESH_SECONDS
    data["map"] = map_page_data(db, plan_id, region, data["as_of"], standard=data["standard"]["id"])
    return data
