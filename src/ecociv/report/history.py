"""Reports generated on the platform and kept (报告版本记录): preview, generate, list, find.

Each generated file is written under ``<data_dir>/reports/<plan id>/`` and recorded in the
``generated_report`` table (:mod:`ecociv.store.tables.reports`) with who made it and when, the
data revision it was built from, the narrative texts it printed and the template used (an
uploaded template is kept beside the file).  Generating writes that row, the file and one audit
entry, and nothing else: no indicator, target or value changes (``tests/report``).

The editable sections of a new version start from the texts of the newest stored version of
the same kind, region, plan and year, so an edit is never lost between versions.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ecociv.errors import InputError
from ecociv.ingest.limits import check_input
from ecociv.report.api import FORMATS, LANGS, choose, render
from ecociv.report.build import build_report
from ecociv.report.gather import gather
from ecociv.report.model import Report
from ecociv.report.registry import kind_spec
from ecociv.store.errors import NotFound, ValidationError
from ecociv.store.models import Observation, Plan, Region
from ecociv.store.services import audit, plans, regions
from ecociv.store.services.access import require_edit
from ecociv.store.services.standards import DEFAULT_MATCH_VERSION
from ecociv.store.tables.reports import GeneratedReport

FOLDER = "reports"
MAX_TEXT = 20_000
"""Longest editable section accepted (characters): some pages of text, far above a real one."""


@dataclass(frozen=True)
class Request:
    """What to generate: the kind, the region (the plan's own by default), the year, the
    format, the language and the standard; *texts* are edited sections (key → text)."""

    kind: str
    year: int
    region_code: str | None = None
    fmt: str = "docx"
    lang: str = "zh"
    standard: str = DEFAULT_MATCH_VERSION
    texts: Mapping[str, str] | None = None


@dataclass(frozen=True)
class Template:
    """An uploaded Word template: its file name and bytes."""

    name: str
    content: bytes


def region_of(session: Session, plan: Plan, region_code: str | None) -> Region:
    """The plan's region, or one inside it (a district reported against its city's plan)."""
    if not region_code:
        return plan.region
    region = regions.get_region(session, region_code)
    if not region.path.startswith(plan.region.path):
        raise ValidationError(
            f"行政区 {region.name}（{region.code}）不在规划《{plan.name}》所属的 "
            f"{plan.region.name} 范围内",
            f"region {region.name} ({region.code}) is not within {plan.region.name}, the "
            f"region of plan {plan.name}",
            where=region.code,
        )
    return region


def preview(session: Session, plan_id: int, request: Request) -> Report:
    """The report as it would be generated now (not stored), with the editable sections
    pre-filled: the given texts, else those of the newest stored version, else the facts."""
    kind_spec(request.kind)
    choose(request.lang, LANGS, "lang")
    plan = plans.get_plan(session, plan_id)
    region = region_of(session, plan, request.region_code)
    texts = {**latest_texts(session, plan.id, region.id, request.kind, request.year)}
    texts.update(_checked_texts(request))
    inputs = gather(
        session,
        plan_id,
        region_code=region.code,
        year=request.year,
        standard=request.standard,
        kind=request.kind,
    )
    return build_report(request.kind, inputs, lang=request.lang, texts=texts)


def generate(
    session: Session,
    actor: audit.Actor,
    data_dir: Path,
    plan_id: int,
    request: Request,
    template: Template | None = None,
) -> GeneratedReport:
    """Build, render and keep one version (the user must be allowed to edit the region)."""
    choose(request.fmt, FORMATS, "format")
    plan = plans.get_plan(session, plan_id)
    region = region_of(session, plan, request.region_code)
    require_edit(actor, region)
    if template is not None and request.fmt == "xlsx":
        raise ValidationError(
            "Word 模板只用于 .docx 和 .pdf 报告，.xlsx 不使用模板",
            "a Word template applies to .docx and .pdf reports only, not to .xlsx",
            where=template.name,
        )
    report = preview(session, plan_id, request)
    folder = data_dir / FOLDER / str(plan.id)
    folder.mkdir(parents=True, exist_ok=True)
    stem = uuid.uuid4().hex
    template_file = None
    with tempfile.TemporaryDirectory(prefix="ecociv-report-") as work:
        template_path = None
        if template is not None:
            template_path = _checked_template(Path(work), template)
        made = Path(work) / f"report.{request.fmt}"
        try:
            render(report, request.fmt, made, template_path)
        except InputError as error:  # the uploaded template's placeholders or syntax
            if template is None:
                raise
            raise ValidationError(error.zh, error.en, where=template.name) from None
        if template_path is not None:
            template_file = f"{stem}.template.docx"
            shutil.copyfile(template_path, folder / template_file)
        content = made.read_bytes()
    file_name = f"{stem}.{request.fmt}"
    (folder / file_name).write_bytes(content)
    row = GeneratedReport(
        plan_id=plan.id,
        region_id=region.id,
        kind=request.kind,
        year=request.year,
        fmt=request.fmt,
        lang=request.lang,
        standard=request.standard,
        title=report.title,
        plan_version=report.plan_version,
        data_revision=report.data_revision,
        narratives={
            key: {"title": n.title, "text": n.text} for key, n in report.narratives.items()
        },
        template_name=template.name if template else None,
        template_file=f"{plan.id}/{template_file}" if template_file else None,
        file_name=f"{plan.id}/{file_name}",
        file_sha256=hashlib.sha256(content).hexdigest(),
        size_bytes=len(content),
        created_by=audit.actor_name(actor),
    )
    session.add(row)
    session.flush()
    after = audit.snapshot(row)
    after.pop("narratives")
    audit.record(
        session, actor, "generate", "report", f"{region.code}/{plan.name}/{row.id}", after=after
    )
    return row


def list_reports(
    session: Session, plan_id: int, region_code: str | None = None
) -> list[GeneratedReport]:
    """The plan's stored versions for the region (every region when None), newest first."""
    plan = plans.get_plan(session, plan_id)
    query = select(GeneratedReport).where(GeneratedReport.plan_id == plan.id)
    if region_code:
        query = query.where(GeneratedReport.region_id == region_of(session, plan, region_code).id)
    return list(session.scalars(query.order_by(GeneratedReport.id.desc())))


def get_report(session: Session, report_id: int) -> GeneratedReport:
    found = session.get(GeneratedReport, report_id)
    if found is None:
        raise NotFound(
            f"报告 {report_id} 不存在", f"report {report_id} does not exist", where=str(report_id)
        )
    return found


def report_file(data_dir: Path, row: GeneratedReport) -> Path:
    """The stored file of *row* (NotFound when it was removed from the data folder)."""
    path = data_dir / FOLDER / row.file_name
    if not path.is_file():
        raise NotFound(
            f"报告 {row.id} 的文件已不在数据目录中（{row.file_name}）",
            f"the file of report {row.id} is no longer in the data folder ({row.file_name})",
            where=str(row.id),
        )
    return path


def latest_texts(
    session: Session, plan_id: int, region_id: int, kind: str, year: int
) -> dict[str, str]:
    """The narrative texts of the newest stored version of this kind, region, plan and year."""
    row = session.scalar(
        select(GeneratedReport)
        .where(
            GeneratedReport.plan_id == plan_id,
            GeneratedReport.region_id == region_id,
            GeneratedReport.kind == kind,
            GeneratedReport.year == year,
        )
        .order_by(GeneratedReport.id.desc())
        .limit(1)
    )
    if row is None:
        return {}
    return {key: section["text"] for key, section in row.narratives.items()}


def latest_year(session: Session, region_id: int) -> int | None:
    """The latest year the region has a value for (the page's default year)."""
    return session.scalar(
        select(func.max(Observation.year)).where(Observation.region_id == region_id)
    )


def _checked_texts(request: Request) -> dict[str, str]:
    allowed = kind_spec(request.kind).narratives
    texts = dict(request.texts or {})
    for key, text in texts.items():
        if key not in allowed:
            raise ValidationError(
                f"报告类型 {request.kind} 没有可编辑章节 {key}，可编辑：{'、'.join(allowed) or '无'}",
                f"report kind {request.kind} has no editable section {key}; it has: "
                f"{', '.join(allowed) or 'none'}",
                where=f"narratives.{key}",
            )
        if len(text) > MAX_TEXT:
            raise ValidationError(
                f"章节 {key} 超过 {MAX_TEXT} 字",
                f"section {key} is longer than {MAX_TEXT} characters",
                where=f"narratives.{key}",
            )
    return texts


def _checked_template(work: Path, template: Template) -> Path:
    """The uploaded template as a file, after the package scan every uploaded Office file
    passes; its placeholders are checked when the report is rendered through it."""
    path = work / "template.docx"
    path.write_bytes(template.content)
    try:
        if check_input(path) != "docx":
            raise InputError("不是 Word 文件（.docx）", "not a Word file (.docx)")
    except InputError as error:
        raise ValidationError(error.zh, error.en, where=template.name) from None
    return path
