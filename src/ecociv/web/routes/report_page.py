"""The report page of a plan and region (评估报告): choose the kind, year, standard, language
and template; preview the pre-filled editable sections and edit them; generate and keep a
version; download it; the history of versions with who and when (``docs/reports.md``)."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import RedirectResponse, Response

from ecociv.report import history
from ecociv.report.api import FORMATS
from ecociv.report.model import Report
from ecociv.report.registry import kind_spec
from ecociv.report.template_writer import template_path
from ecociv.standards import catalog
from ecociv.store.services import plans, regions
from ecociv.store.services.access import can_edit
from ecociv.store.services.standards import DEFAULT_MATCH_VERSION
from ecociv.web.deps import AppSettings, CurrentUser, DbSession, ViewDep, Writer
from ecociv.web.limits import DOCX, read_upload
from ecociv.web.offload import HeavySlot
from ecociv.web.pages import attachment, page
from ecociv.web.present import plan_dict, region_dict
from ecociv.web.report_api import MEDIA_TYPES, kinds_list
from ecociv.web.report_models import report_dict

router = APIRouter()
Code = Annotated[str | None, Query(max_length=32)]
Kind = Annotated[str | None, Query(max_length=32)]
Year = Annotated[int | None, Query(ge=1949, le=2100)]
Lang = Annotated[str | None, Query(max_length=2)]
Standard = Annotated[str, Query(max_length=32)]


@page(router, "/plans/{plan_id}/reports", "reports.html")
def report_page(
    plan_id: int,
    db: DbSession,
    user: CurrentUser,
    view: ViewDep,
    region: Code = None,
    kind: Kind = None,
    year: Year = None,
    report_lang: Lang = None,
    standard: Standard = DEFAULT_MATCH_VERSION,
) -> dict[str, Any]:
    plan = plans.get_plan(db, plan_id)
    target = history.region_of(db, plan, region)
    lang = report_lang or view.lang
    chosen = {
        "kind": kind,
        "year": year or history.latest_year(db, target.id),
        "report_lang": lang,
        "standard": standard,
    }
    preview = None
    if kind and year:
        request = history.Request(
            kind=kind, year=year, region_code=target.code, lang=lang, standard=standard
        )
        preview = preview_dict(history.preview(db, plan_id, request))
    return {
        "plan": plan_dict(plan),
        "region": region_dict(target),
        "regions": [region_dict(r) for r in regions.subtree(db, plan.region.code)],
        "editable": can_edit(user, target),
        "kinds": kinds_list(),
        "standards": [
            {"key": v, "label": view.t(f"reports.standard_{v}")} for v in catalog.versions()
        ],
        "formats": [{"key": f, "label": view.t(f"reports.format_{f}")} for f in FORMATS],
        "chosen": chosen,
        "preview": preview,
        "history": [report_dict(r) for r in history.list_reports(db, plan_id, target.code)],
    }


def preview_dict(report: Report) -> dict[str, Any]:
    """What the page shows of a report before it is generated: its sections with their
    facts, table and figure captions, and the editable texts with the facts behind them."""
    return {
        "title": report.title,
        "data_revision": report.data_revision,
        "sections": [
            {
                "heading": f"{s.number}{s.title}",
                "facts": s.facts,
                "table": (
                    {"caption": s.table.caption, "rows": len(s.table.rows)} if s.table else None
                ),
                "chart": s.chart.caption if s.chart else None,
                "narrative": (
                    {"key": s.narrative.key, "text": s.narrative.text, "facts": s.narrative.facts}
                    if s.narrative
                    else None
                ),
            }
            for s in report.sections
        ],
    }


@router.post("/plans/{plan_id}/reports", name="generate_report_page")
def generate_report(
    _slot: HeavySlot,
    plan_id: int,
    db: DbSession,
    user: Writer,
    settings: AppSettings,
    kind: Annotated[str, Form(max_length=32)],
    year: Annotated[int, Form(ge=1949, le=2100)],
    region: Annotated[str, Form(max_length=32)],
    format: Annotated[str, Form(max_length=8)] = "docx",
    report_lang: Annotated[str, Form(max_length=2)] = "zh",
    standard: Annotated[str, Form(max_length=32)] = DEFAULT_MATCH_VERSION,
    narrative_key: Annotated[list[str] | None, Form()] = None,
    narrative_text: Annotated[list[str] | None, Form()] = None,
    template: Annotated[UploadFile | None, File()] = None,
) -> RedirectResponse:
    keys, texts = narrative_key or [], narrative_text or []
    if len(keys) != len(texts):
        keys = texts = []  # a tampered form: keep the stored texts rather than guess
    uploaded = None
    if template is not None and template.filename:
        _, content = read_upload(template, (DOCX,))
        uploaded = history.Template(template.filename, content)
    request = history.Request(
        kind=kind,
        year=year,
        region_code=region,
        fmt=format,
        lang=report_lang,
        standard=standard,
        texts=dict(zip(keys, (t.replace("\r\n", "\n") for t in texts), strict=True)),
    )
    history.generate(db, user, settings.data_dir, plan_id, request, uploaded)
    query = urlencode(
        {"region": region, "kind": kind, "year": year, "report_lang": report_lang,
         "standard": standard}
    )  # fmt: skip
    return RedirectResponse(f"/plans/{plan_id}/reports?{query}#history", status_code=303)


@router.get("/plans/{plan_id}/report-template", name="report_template")
def default_template(
    plan_id: int,
    db: DbSession,
    user: CurrentUser,
    kind: Annotated[str, Query(max_length=32)],
    report_lang: Annotated[Literal["zh", "en"], Query()] = "zh",
) -> Response:
    """The kind's default Word template, to start a bureau's own from (as
    ``ecociv report-template``)."""
    plans.get_plan(db, plan_id)
    kind_spec(kind)
    content = template_path(kind, report_lang).read_bytes()
    return Response(
        content,
        media_type=MEDIA_TYPES["docx"],
        headers=attachment(f"ecociv-template-{kind}.{report_lang}.docx"),
    )
