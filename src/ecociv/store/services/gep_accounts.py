"""GEP accounts stored per region and year (生态产品总值核算结果入库): compute from an uploaded
input workbook (the ``ecociv gep template`` one) and keep the account with every line and its
provenance, the workbook as uploaded, and who did it (audited).

* Writing needs edit rights on the region (an editor of its subtree, or an admin), like every
  other write (:func:`ecociv.store.services.access.require_edit`).
* The upload passes the ingest package scan (:func:`scan_upload`) before openpyxl opens it; a
  bad cell is refused with the reader's location (``file sheet!cell``) as a
  :class:`~ecociv.store.errors.ValidationError` (the web answers 422); nothing is stored then.
* A workbook that names another region (基本信息 行政区划代码) is refused.
* Computing the same region, year and method set again adds the next version; nothing is
  overwritten (``docs/gep.md`` "Stored accounts").
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ecociv import __version__
from ecociv.errors import ConfigError, InputError
from ecociv.gep.catalog import MethodSet, catalog
from ecociv.gep.compute import compute
from ecociv.gep.output import result_dict
from ecociv.gep.prices import PriceSet
from ecociv.gep.workbook import read_inputs
from ecociv.store.errors import NotFound, ValidationError
from ecociv.store.models import Region
from ecociv.store.services import audit
from ecociv.store.services.access import require_edit
from ecociv.store.services.audit import Actor
from ecociv.store.services.regions import children, get_region
from ecociv.store.services.upload_scan import scan_upload
from ecociv.store.tables.gep import GepAccount, GepAccountLine

ENTITY = "gep_account"


def compute_and_store(
    session: Session,
    actor: Actor,
    *,
    region_code: str,
    content: bytes,
    filename: str,
    year: int,
    method: MethodSet,
    prices: PriceSet,
) -> GepAccount:
    """Compute the GEP of *region_code* for *year* from the workbook *content* and store it
    as the next version of (region, year, method set)."""
    region = get_region(session, region_code)
    require_edit(actor, region)
    name = _safe_name(filename)
    scan_upload(content, where=name)
    result = _computed(content, name, year, method, prices, region)
    data = result_dict(result)
    items = catalog().items
    version = (
        session.scalar(
            select(func.max(GepAccount.version)).where(
                GepAccount.region_id == region.id,
                GepAccount.year == year,
                GepAccount.method_code == method.code,
            )
        )
        or 0
    ) + 1
    account = GepAccount(
        region=region,
        year=year,
        method_code=method.code,
        method_document=method.document,
        method_verified=method.verified,
        price_set_code=prices.code,
        price_set_version=str(prices.version),
        version=version,
        inputs_sha256=hashlib.sha256(content).hexdigest(),
        input_filename=name,
        input_workbook=content,
        ecociv_version=__version__,
        gross=data["gross"],
        deduction=data["external_deduction"],
        gep=data["gep"],
        gdp=data["gdp"],
        yoy=data["yoy_change_constant_prices"],
        result=data,
        computed_by=audit.actor_name(actor),
        lines=[
            GepAccountLine(
                position=position,
                code=line["code"],
                account_code=line["account"],
                indicator=items[line["code"]].indicator,
                zh=line["zh"],
                quantity=line["quantity"],
                unit=line["unit"],
                price=line["price"],
                price_unit=line["price_unit"],
                value=line["value"],
                share=line["share"],
                valuation=line["valuation"],
                verified=line["verified"],
                provenance=line["provenance"],
            )
            for position, line in enumerate(data["lines"])
        ],
    )
    session.add(account)
    session.flush()
    audit.record(
        session,
        actor,
        "create",
        ENTITY,
        account_key(account),
        after=summary(account),
    )
    return account


def _computed(
    content: bytes, name: str, year: int, method: MethodSet, prices: PriceSet, region: Region
):
    """The computation on a private copy of the upload named as the user named it, so that a
    cell error says ``<their file> sheet!cell``; a reader or computation error becomes a 422."""
    with tempfile.TemporaryDirectory(prefix="ecociv-gep-") as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        try:
            given = read_inputs(path)
            if given.region_code and given.region_code != region.code:
                raise InputError(
                    f"填报表的行政区划代码是 {given.region_code}，不是 {region.name}（{region.code}）",
                    f"the workbook names the region {given.region_code}, not {region.code}",
                    where=f"{name} 基本信息",
                )
            return compute(method, prices, given, year)
        except (InputError, ConfigError) as error:
            raise ValidationError(error.zh, error.en, where=error.where) from None


def _safe_name(filename: str) -> str:
    """The upload's base name (no folders, no control characters), ending in .xlsx."""
    base = re.sub(r"[\x00-\x1f/\\]", "_", Path(filename or "").name).strip() or "gep.xlsx"
    base = base[-120:]
    return base if base.lower().endswith(".xlsx") else f"{base}.xlsx"


def account_key(account: GepAccount) -> str:
    return f"{account.region.code}/{account.year}/{account.method_code}/v{account.version}"


def summary(account: GepAccount) -> dict[str, Any]:
    """What the audit log and the lists show of an account (no lines, no workbook)."""
    return {
        "region": account.region.code,
        "year": account.year,
        "method": account.method_code,
        "method_verified": account.method_verified,
        "price_set": account.price_set_code,
        "price_set_version": account.price_set_version,
        "version": account.version,
        "inputs_sha256": account.inputs_sha256,
        "input_filename": account.input_filename,
        "ecociv_version": account.ecociv_version,
        "gross": account.gross,
        "external_deduction": account.deduction,
        "gep": account.gep,
        "gdp": account.gdp,
        "gep_gdp_ratio": account.gep / account.gdp if account.gdp else None,
        "yoy_change_constant_prices": account.yoy,
        "computed_by": account.computed_by,
        "computed_at": account.computed_at.isoformat() if account.computed_at else None,
    }


def list_accounts(session: Session, region_code: str) -> list[GepAccount]:
    """Every stored account of the region, newest year first, then method, then version."""
    region = get_region(session, region_code)
    return list(
        session.scalars(
            select(GepAccount)
            .where(GepAccount.region_id == region.id)
            .order_by(GepAccount.year.desc(), GepAccount.method_code, GepAccount.version.desc())
        )
    )


def get_account(
    session: Session,
    region_code: str,
    year: int | None = None,
    *,
    method_code: str | None = None,
    version: int | None = None,
) -> GepAccount:
    """The account asked for: by default the latest year, and within it the newest version
    (of *method_code* when given)."""
    region = get_region(session, region_code)
    query = select(GepAccount).where(GepAccount.region_id == region.id)
    if year is not None:
        query = query.where(GepAccount.year == year)
    if method_code is not None:
        query = query.where(GepAccount.method_code == method_code)
    if version is not None:
        query = query.where(GepAccount.version == version)
    found = session.scalars(
        query.order_by(GepAccount.year.desc(), GepAccount.computed_at.desc(), GepAccount.id.desc())
    ).first()
    if found is None:
        asked = "/".join(str(p) for p in (region_code, year, method_code, version) if p)
        raise NotFound(
            f"{region.name}（{region.code}）没有该 GEP 核算结果（{asked}）",
            f"no stored GEP account for {asked}",
            where=asked,
        )
    return found


def find_account(
    session: Session, region: Region, year: int, method_code: str | None = None
) -> GepAccount | None:
    """The newest account of *region* for *year* (of *method_code* when given), or None."""
    query = select(GepAccount).where(GepAccount.region_id == region.id, GepAccount.year == year)
    if method_code is not None:
        query = query.where(GepAccount.method_code == method_code)
    return session.scalars(
        query.order_by(GepAccount.computed_at.desc(), GepAccount.id.desc())
    ).first()


def children_accounts(
    session: Session, region_code: str, year: int, method_code: str | None
) -> list[tuple[Region, GepAccount | None]]:
    """The region's children, each with its newest account of *year* (drill-down)."""
    return [
        (child, find_account(session, child, year, method_code))
        for child in children(session, region_code)
    ]


def report_data(session: Session, region_code: str, year: int) -> dict[str, Any] | None:
    """What the GEP chapter of a report shows (:mod:`ecociv.report.chapters.gep`): the newest
    stored account of *region_code* and *year*, ``{"version": …, "result": …}``, or None when
    none is stored (the report then leaves the chapter out).  Reads only."""
    account = find_account(session, get_region(session, region_code), year, None)
    return {"version": account.version, "result": account.result} if account else None


def stored_workbook(session: Session, account: GepAccount) -> bytes:
    """The uploaded workbook of *account* (loaded only when asked for)."""
    session.refresh(account, ["input_workbook"])
    return account.input_workbook
