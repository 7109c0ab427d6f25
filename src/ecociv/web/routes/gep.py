"""A region's GEP page (生态产品总值核算): the stored account table with each cell's
provenance, GEP/GDP, the change at constant prices, charts, the regions below, the upload form
(compute and store a new version), and the downloads (.xlsx result, the uploaded workbook)."""

from __future__ import annotations

from io import BytesIO
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import RedirectResponse, Response

from ecociv.gep.catalog import DEFAULT_METHOD, load_method_set, method_codes
from ecociv.gep.output import write_result_data_xlsx
from ecociv.gep.prices import DEFAULT_PRICE_SET, load_price_set, packaged_price_sets
from ecociv.store.errors import NotFound, ValidationError
from ecociv.store.services import gep_accounts, regions
from ecociv.store.services.access import can_edit
from ecociv.web.deps import CurrentUser, DbSession, ViewDep, Writer
from ecociv.web.gep_data import account_dict, charts, child_dict, choices
from ecociv.web.limits import SHEET_KINDS, read_upload
from ecociv.web.offload import HeavySlot
from ecociv.web.pages import attachment, page
from ecociv.web.present import region_dict

router = APIRouter()
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
YearQuery = Annotated[int | None, Query(ge=1949, le=2100)]
MethodQuery = Annotated[str | None, Query(max_length=100, pattern=r"^[A-Za-z0-9_.\-]+$")]
VersionQuery = Annotated[int | None, Query(ge=1, le=2**31 - 1)]


@page(router, "/regions/{code}/gep", "gep.html")
def gep_page(
    code: str,
    db: DbSession,
    user: CurrentUser,
    view: ViewDep,
    year: YearQuery = None,
    method: MethodQuery = None,
    version: VersionQuery = None,
) -> dict[str, Any]:
    region = regions.get_region(db, code)
    stored = gep_accounts.list_accounts(db, code)
    account = (
        gep_accounts.get_account(db, code, year, method_code=method, version=version)
        if stored or year or method or version
        else None
    )
    data = account_dict(account, view.lang) if account else None
    children = (
        [child_dict(r, a) for r, a in gep_accounts.children_accounts(db, code, account.year, None)]
        if account
        else []
    )
    return {
        "region": region_dict(region),
        "ancestors": [region_dict(r) for r in regions.ancestors(db, region)],
        "account": data,
        "accounts": [gep_accounts.summary(a) for a in stored],
        "children": children,
        "charts": charts(data, children, view.lang) if data else {},
        "editable": can_edit(user, region),
        **choices(view.lang),
    }


@router.post("/regions/{code}/gep", name="gep_upload")
def upload_gep(
    _slot: HeavySlot,
    code: str,
    db: DbSession,
    user: Writer,
    file: Annotated[UploadFile, File()],
    year: Annotated[int, Form(ge=1949, le=2100)],
    method: Annotated[str, Form(max_length=100)] = DEFAULT_METHOD,
    prices: Annotated[str, Form(max_length=100)] = DEFAULT_PRICE_SET,
) -> Response:
    """Compute the GEP from the uploaded workbook and store it as a new version."""
    account = store_upload(db, user, code, file, year, method, prices)
    return RedirectResponse(
        f"/regions/{code}/gep?year={account.year}&method={account.method_code}"
        f"&version={account.version}",
        status_code=303,
    )


def store_upload(db, user, code: str, file: UploadFile, year: int, method: str, prices: str):
    """The upload computed and stored (shared with the API): packaged sets only."""
    methods, price_sets = method_codes(), packaged_price_sets()
    if method not in methods or prices not in price_sets:
        raise ValidationError(
            f"方法集或价格集不存在：{method} / {prices}（可选：{methods} / {price_sets}）",
            f"unknown method set or price set: {method} / {prices} "
            f"(known: {methods} / {price_sets})",
            where="method" if method not in methods else "prices",
        )
    _, content = read_upload(file, SHEET_KINDS)
    return gep_accounts.compute_and_store(
        db,
        user,
        region_code=code,
        content=content,
        filename=file.filename or "gep.xlsx",
        year=year,
        method=load_method_set(method),
        prices=load_price_set(prices),
    )


@router.get("/regions/{code}/gep/result.xlsx", name="gep_result_xlsx")
def result_xlsx(
    code: str,
    db: DbSession,
    user: CurrentUser,
    year: YearQuery = None,
    method: MethodQuery = None,
    version: VersionQuery = None,
) -> Response:
    account = gep_accounts.get_account(db, code, year, method_code=method, version=version)
    buffer = BytesIO()
    write_result_data_xlsx(account.result, buffer)
    name = f"ecociv-gep-{code}-{account.year}-{account.method_code}-v{account.version}.xlsx"
    return Response(buffer.getvalue(), media_type=XLSX_TYPE, headers=attachment(name))


@router.get("/regions/{code}/gep/input.xlsx", name="gep_input_xlsx")
def input_xlsx(
    code: str,
    db: DbSession,
    user: CurrentUser,
    year: YearQuery = None,
    method: MethodQuery = None,
    version: VersionQuery = None,
) -> Response:
    """The workbook the account was computed from, as uploaded."""
    account = gep_accounts.get_account(db, code, year, method_code=method, version=version)
    content = gep_accounts.stored_workbook(db, account)
    if not content:
        raise NotFound("未保存填报表", "no stored workbook", where=code)
    return Response(content, media_type=XLSX_TYPE, headers=attachment(account.input_filename))
