"""Report downloads (评估报告下载): ``/plans/{id}/report?kind=&region=&year=&format=&lang=``
returns the .docx, .xlsx or .pdf of ``ecociv report`` with the pre-filled editable sections
(``docs/reports.md``).  Reading only: a report never changes data."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query
from fastapi.responses import Response

from ecociv.report.api import render
from ecociv.report.build import build_report
from ecociv.report.gather import gather
from ecociv.report.registry import kind_spec
from ecociv.web.deps import CurrentUser, DbSession

router = APIRouter()
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@router.get("/plans/{plan_id}/report", name="download_report")
def download_report(
    plan_id: int,
    db: DbSession,
    user: CurrentUser,
    kind: Annotated[str, Query()],
    year: Annotated[int, Query(ge=1949, le=2200)],
    region: Annotated[str | None, Query()] = None,
    format: Annotated[Literal["docx", "xlsx", "pdf"], Query()] = "docx",
    lang: Annotated[Literal["zh", "en"], Query()] = "zh",
) -> Response:
    kind_spec(kind)
    report = build_report(
        kind, gather(db, plan_id, region_code=region, year=year, kind=kind), lang=lang
    )
    with tempfile.TemporaryDirectory(prefix="ecociv-web-report-") as folder:
        out = Path(folder) / f"report.{format}"
        render(report, format, out)
        body = out.read_bytes()
    ascii_name = f"ecociv-{kind}-{report.region_code}-{year}.{format}"
    disposition = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(report.title)}.{format}"
    )
    headers = {
        "Content-Disposition": disposition,
        "X-Ecociv-Data-Revision": report.data_revision,
    }
    return Response(body, media_type=MEDIA_TYPES[format], headers=headers)
