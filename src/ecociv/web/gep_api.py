"""The GEP endpoints of ``/api/v1`` (stored accounts; compute-and-store from a workbook).

:func:`add_gep_routes` is called by :func:`ecociv.web.api.create_api`; the routes are thin:
they call :mod:`ecociv.store.services.gep_accounts` and shape the answer with the models below.
"""

from typing import Annotated, Any

from fastapi import FastAPI, File, Form, Path, Query, UploadFile
from pydantic import BaseModel, ConfigDict

from ecociv.gep.catalog import DEFAULT_METHOD
from ecociv.gep.prices import DEFAULT_PRICE_SET
from ecociv.store.errors import ValidationError
from ecociv.store.services import gep_accounts
from ecociv.web.api_models import CODE_PATTERN
from ecociv.web.deps import CurrentUser, DbSession, Writer
from ecociv.web.gep_data import account_dict
from ecociv.web.limits import UnsupportedUpload
from ecociv.web.routes.gep import store_upload

# No "from __future__ import annotations": FastAPI reads these annotations at import.

RegionCode = Annotated[str, Path(max_length=32, pattern=CODE_PATTERN)]
AccountYear = Annotated[int, Path(ge=1949, le=2100)]


class _Out(BaseModel):
    model_config = ConfigDict(extra="ignore")


class GepSummaryOut(_Out):
    region: str
    year: int
    method: str
    method_verified: bool
    price_set: str
    price_set_version: str
    version: int
    inputs_sha256: str
    input_filename: str
    ecociv_version: str
    gross: float
    external_deduction: float
    gep: float
    gdp: float | None
    gep_gdp_ratio: float | None
    yoy_change_constant_prices: float | None
    computed_by: str | None
    computed_at: str | None


class GepLineOut(_Out):
    code: str
    name: str
    quantity: float
    unit: str
    price: float | None
    price_unit: str | None
    value: float
    share: float
    valuation: str
    verified: bool
    provenance: dict[str, Any]


class GepIndicatorOut(_Out):
    code: str
    name: str
    lines: list[GepLineOut]


class GepAccountGroupOut(_Out):
    code: str
    name: str
    value: float
    share: float
    indicators: list[GepIndicatorOut]


class GepAccountOut(GepSummaryOut):
    method_document: str
    unverified_items: list[str]
    notices: list[str]
    accounts: list[GepAccountGroupOut]
    prices_used: list[dict[str, Any]]
    constant_price_series: dict[str, float | None]


def add_gep_routes(api: FastAPI) -> None:
    @api.get("/regions/{code}/gep", response_model=list[GepSummaryOut], tags=["gep"])
    def list_gep(code: RegionCode, db: DbSession, user: CurrentUser) -> list[dict]:
        """Every stored GEP account of the region (newest year first, every version)."""
        return [gep_accounts.summary(a) for a in gep_accounts.list_accounts(db, code)]

    @api.get("/regions/{code}/gep/{year}", response_model=GepAccountOut, tags=["gep"])
    def get_gep(
        code: RegionCode,
        year: AccountYear,
        db: DbSession,
        user: CurrentUser,
        method: Annotated[str | None, Query(max_length=100, pattern=CODE_PATTERN)] = None,
        version: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
        lang: Annotated[str, Query(pattern="^(zh|en)$")] = "zh",
    ) -> dict:
        """The account of *year* (the newest version, of *method* when given), every line
        with its provenance (inputs, formula, coefficients, price and its source)."""
        account = gep_accounts.get_account(db, code, year, method_code=method, version=version)
        return account_dict(account, lang)

    @api.post(
        "/regions/{code}/gep/{year}",
        response_model=GepAccountOut,
        status_code=201,
        tags=["gep"],
    )
    def post_gep(
        code: RegionCode,
        year: AccountYear,
        db: DbSession,
        user: Writer,
        file: Annotated[UploadFile, File(description="填好的 GEP 填报表 / filled input workbook")],
        method: Annotated[str, Form(max_length=100)] = DEFAULT_METHOD,
        prices: Annotated[str, Form(max_length=100)] = DEFAULT_PRICE_SET,
    ) -> dict:
        """Compute the GEP of *year* from the workbook and store it as a new version
        (editors of the region's subtree); a bad cell is a 422 naming ``file sheet!cell``, and
        so is a file that is no .xlsx workbook (the API reads the bytes, not the name)."""
        try:
            account = store_upload(db, user, code, file, year, method, prices)
        except UnsupportedUpload as error:
            raise ValidationError(error.zh, error.en, where=error.where) from None
        return account_dict(account)
