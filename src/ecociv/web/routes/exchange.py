"""A region's whole data out (JSON or .xlsx) and back in (导出/导入), through the store's
exchange services; an import that names an existing region is refused, never merged."""

from __future__ import annotations

import json
from io import BytesIO
from typing import Annotated, Literal

from fastapi import APIRouter, File, Query, UploadFile
from fastapi.responses import RedirectResponse, Response

from ecociv.store.errors import ValidationError
from ecociv.store.services import exchange, exchange_xlsx
from ecociv.web.deps import CurrentUser, DbSession, Writer
from ecociv.web.limits import EXPORT_KINDS, read_upload
from ecociv.web.offload import HeavySlot
from ecociv.web.pages import attachment

router = APIRouter()
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/regions/{code}/export", name="export_region")
def export_region(
    code: str,
    db: DbSession,
    user: CurrentUser,
    format: Annotated[Literal["json", "xlsx"], Query()] = "json",
) -> Response:
    data = exchange.export_region(db, code)
    filename = f"ecociv-{code}.{format}"
    headers = attachment(filename)
    if format == "xlsx":
        buffer = BytesIO()
        exchange_xlsx.write_export_xlsx(data, buffer)
        return Response(buffer.getvalue(), media_type=XLSX_TYPE, headers=headers)
    body = json.dumps(data, ensure_ascii=False, indent=1)
    return Response(body, media_type="application/json; charset=utf-8", headers=headers)


@router.post("/exchange/import", name="import_export")
def import_export(
    _slot: HeavySlot, db: DbSession, user: Writer, file: Annotated[UploadFile, File()]
) -> Response:
    kind, content = read_upload(file, EXPORT_KINDS)
    if kind.name == "xlsx":
        data = exchange_xlsx.read_export_xlsx(BytesIO(content))
    else:
        try:
            data = json.loads(content.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValidationError(
                f"导出文件不是有效的 JSON：{exc}",
                f"the export is not valid JSON: {exc}",
                where=file.filename,
            ) from None
    exchange.import_region(db, user, data, where=file.filename)
    return RedirectResponse(f"/regions/{data['region']}", status_code=303)
