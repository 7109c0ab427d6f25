"""The report endpoints of ``/api/v1`` (评估报告): the kinds, generate and keep a version,
its history, one version, its file (``docs/reports.md``).  Thin: the work is
:mod:`ecociv.report.history`."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import FastAPI, Path, Query, Response

from ecociv.report import history
from ecociv.report.api import FORMATS
from ecociv.report.registry import registry
from ecociv.web.api_models import CODE_PATTERN
from ecociv.web.deps import AppSettings, CurrentUser, DbSession, Writer
from ecociv.web.offload import HeavySlot
from ecociv.web.report_models import ReportIn, ReportKindOut, ReportOut, report_dict

MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
PlanId = Annotated[int, Path(ge=1, le=2**31 - 1)]
ReportId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def kinds_list() -> list[dict[str, Any]]:
    found = registry()
    return [
        {
            "key": kind.key,
            "title_zh": kind.zh,
            "title_en": kind.en,
            "sections_zh": [s.zh for s in kind.sections],
            "sections_en": [s.en for s in kind.sections],
            "narratives": [
                {
                    "key": key,
                    "title_zh": found.narratives[key]["zh"],
                    "title_en": found.narratives[key]["en"],
                }
                for key in dict.fromkeys(kind.narratives)
            ],
            "formats": list(FORMATS),
        }
        for kind in found.kinds.values()
    ]


def file_response(row: Any, content: bytes) -> Response:
    """A stored report's bytes, named after its title (ASCII fallback first)."""
    ascii_name = f"ecociv-{row.kind}-{row.region.code}-{row.year}-{row.id}.{row.fmt}"
    disposition = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(row.title)}.{row.fmt}"
    )
    headers = {"Content-Disposition": disposition, "X-Ecociv-Data-Revision": row.data_revision}
    return Response(content, media_type=MEDIA_TYPES[row.fmt], headers=headers)


def add_report_routes(api: FastAPI) -> None:
    @api.get("/report-kinds", response_model=list[ReportKindOut], tags=["reports"])
    def report_kinds(user: CurrentUser) -> list[dict[str, Any]]:
        """The kinds of report, their sections and editable sections."""
        return kinds_list()

    @api.post(
        "/plans/{plan_id}/reports", response_model=ReportOut, status_code=201, tags=["reports"]
    )
    def generate_report(
        _slot: HeavySlot,
        plan_id: PlanId,
        body: ReportIn,
        db: DbSession,
        user: Writer,
        settings: AppSettings,
    ) -> dict[str, Any]:
        """Generate a report with the default template and keep it (who, when, data
        revision); the answer has its id and links.  Reading only: no data changes."""
        request = history.Request(
            kind=body.kind,
            year=body.year,
            region_code=body.region,
            fmt=body.format,
            lang=body.lang,
            standard=body.standard,
            texts=body.narratives,
        )
        row = history.generate(db, user, settings.data_dir, plan_id, request)
        return report_dict(row)

    @api.get("/plans/{plan_id}/reports", response_model=list[ReportOut], tags=["reports"])
    def list_reports(
        plan_id: PlanId,
        db: DbSession,
        user: CurrentUser,
        region: Annotated[str | None, Query(max_length=32, pattern=CODE_PATTERN)] = None,
    ) -> list[dict[str, Any]]:
        """The plan's generated versions, newest first (for one region when given)."""
        return [report_dict(r) for r in history.list_reports(db, plan_id, region)]

    @api.get("/reports/{report_id}", response_model=ReportOut, tags=["reports"])
    def get_report(report_id: ReportId, db: DbSession, user: CurrentUser) -> dict[str, Any]:
        return report_dict(history.get_report(db, report_id))

    @api.get(
        "/reports/{report_id}/file",
        tags=["reports"],
        response_class=Response,
        responses={
            200: {
                "description": "the stored file / 报告文件",
                "content": {
                    media: {"schema": {"type": "string", "format": "binary"}}
                    for media in MEDIA_TYPES.values()
                },
            }
        },
    )
    def download_report(
        report_id: ReportId, db: DbSession, user: CurrentUser, settings: AppSettings
    ) -> Response:
        """The stored file, exactly as generated (its SHA-256 is in the report's record)."""
        row = history.get_report(db, report_id)
        content = history.report_file(settings.data_dir, row).read_bytes()
        return file_response(row, content)
