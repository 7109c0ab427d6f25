"""Plan import (导入规划): upload → preview with every diagnostic → confirm.

When a plan of the same name already exists in the region, the preview also shows what the
import would change against its current version (``plans.import_diff``, a dry run: nothing is
written before the confirmation).

The uploaded file waits in ``<data_dir>/uploads/<token>/`` between the two steps; the token is
bound to the uploader's session, so nobody else can confirm it.  A preview nobody confirms is
removed after ``ECOCIV_UPLOAD_TTL_HOURS`` (each preview sweeps the folder); a failed write
leaves nothing behind.  Confirming reads the file
again through ``ecociv.ingest.api.load_plan`` and stores it with ``plans.import_plan`` (a
re-import of a plan with the same name becomes its next version, with the differences).
"""

from __future__ import annotations

import re
import secrets
import shutil
import time
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from ecociv import model
from ecociv.store.errors import NotFound, StorageFault, ValidationError
from ecociv.store.services import plan_reading, plans, regions
from ecociv.store.services.access import can_edit
from ecociv.store.services.plan_content import plan_content
from ecociv.web.api_types import safe_text
from ecociv.web.deps import (
    AppSettings,
    CurrentUser,
    DbSession,
    ViewDep,
    Writer,
    require_region_edit,
)
from ecociv.web.import_review import (
    ROLE_CHOICES,
    YEAR_ROLES,
    column_tables,
    with_role,
)
from ecociv.web.limits import PLAN_KINDS, read_upload
from ecociv.web.offload import HeavySlot
from ecociv.web.pages import json_response, page
from ecociv.web.present import region_dict

router = APIRouter()
PlanName = safe_text(300)
PENDING = "pending_import"
_UNSAFE = re.compile(r"[^\w.\-（）()\u4e00-\u9fff]+")


def upload_dir(settings: AppSettings, token: str) -> Path:
    return Path(settings.data_dir) / "uploads" / token


def safe_filename(name: str | None, suffix: str) -> str:
    stem = _UNSAFE.sub("_", Path(name or "plan").stem)[:80] or "plan"
    return f"{stem}{suffix}"


@page(router, "/import", "import.html")
def import_page(db: DbSession, user: CurrentUser) -> dict[str, Any]:
    return {
        "regions": [region_dict(r) for r in regions.list_regions(db) if can_edit(user, r)],
        "preview": None,
    }


def plan_preview(plan: model.Plan) -> dict[str, Any]:
    """What the user checks before confirming: tables found, counts, every diagnostic."""
    tables = []
    indicators = projects = 0
    for table in plan.tables:
        rows = len(table.rows)
        if table.kind in ("indicator", "review"):
            indicators += rows
        elif table.kind == "project":
            projects += rows
        tables.append(
            {"index": table.index, "kind": table.kind, "caption": table.caption, "rows": rows}
        )
    return {
        "indicators": indicator_preview(plan),
        "metadata": plan.metadata.model_dump(),
        "source": {
            "format": plan.source.format,
            "sha256": plan.source.sha256,
            "size_bytes": plan.source.size_bytes,
        },
        "tables": tables,
        "indicator_rows": indicators,
        "project_rows": projects,
        "diagnostics": [d.model_dump() for d in plan.diagnostics],
    }


def indicator_preview(plan: model.Plan) -> list[dict[str, Any]]:
    """The indicators as they would be stored (``plan_content``): name, unit, the baseline
    and the targets by year, as parsed from the document."""
    return [
        {
            "seq": spec.seq,
            "domain": spec.domain,
            "name": spec.name,
            "unit": spec.unit,
            "attribute": spec.attribute,
            "sub_item": spec.parent_code is not None,
            "baseline_year": spec.baseline_year,
            "baseline_text": spec.baseline_text,
            "targets": [
                {"year": year, "text": text} for year, text in sorted(spec.targets.items())
            ],
        }
        for spec in plan_content(plan).indicators
    ]


@router.post("/import/preview", name="import_preview")
def preview(
    _slot: HeavySlot,
    request: Request,
    db: DbSession,
    user: Writer,
    view: ViewDep,
    settings: AppSettings,
    file: Annotated[UploadFile, File()],
    region: Annotated[str, Form(max_length=32)],
    name: Annotated[PlanName | None, Form()] = None,
) -> Response:
    target = regions.get_region(db, region)
    require_region_edit(user, target)
    kind, content = read_upload(file, PLAN_KINDS)
    _discard(request, settings)
    sweep_uploads(settings)
    token = secrets.token_urlsafe(16)
    folder = upload_dir(settings, token)
    path = folder / safe_filename(file.filename, Path(file.filename or "").suffix.lower() or ".txt")
    try:
        write_upload(path, content)
        reading = plan_reading.read_for_import(db, path, target.code, name or None, None)
        plan, review, column_map = reading.plan, reading.shown, reading.column_map
        diff = plans.import_diff(db, plan, region_code=target.code, name=name or None)
    except Exception:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    request.session[PENDING] = {
        "token": token,
        "region": region,
        "name": (name or "").strip(),
        "file": path.name,
        "filename": file.filename,
        "kind": kind.name,
        "columns": column_map,
        "columns_reused": reading.reused,
    }
    data = preview_data(request.session[PENDING], target, plan, review, diff)
    if "application/json" in request.headers.get("accept", ""):
        return json_response(data)
    return request.app.state.templates.TemplateResponse(request, "import.html", view.context(data))


@router.post("/import/confirm", name="import_confirm")
def confirm(
    _slot: HeavySlot,
    request: Request,
    db: DbSession,
    user: Writer,
    settings: AppSettings,
    token: Annotated[str, Form(max_length=64)],
) -> Response:
    pending, target, path = pending_upload(request, db, user, settings, token)
    plan, findings = plan_reading.read_upload_plan(path, pending.get("columns"))
    version = plans.import_plan(
        db,
        user,
        plan,
        region_code=target.code,
        name=pending["name"] or None,
        column_map=pending.get("columns"),
        findings=findings,
    )
    _discard(request, settings)
    return RedirectResponse(f"/plans/{version.plan_id}?region={target.code}", status_code=303)


@router.post("/import/columns", name="import_columns")
def set_column_role(
    _slot: HeavySlot,  # the upload is read again, like a preview
    request: Request,
    db: DbSession,
    user: Writer,
    view: ViewDep,
    settings: AppSettings,
    token: Annotated[str, Form(max_length=64)],
    table: Annotated[int, Form(ge=0, le=10_000)],
    column: Annotated[int, Form(ge=0, le=10_000)],
    role: Annotated[str, Form(max_length=32)],
    year: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """Set one column's role (and the year of a baseline or target column) in the waiting
    import and read the upload again with it."""
    pending, target, path = pending_upload(request, db, user, settings, token)
    if role not in ROLE_CHOICES:
        raise ValidationError(
            f"列的作用须为 {'、'.join(ROLE_CHOICES)} 之一，收到“{role}”",
            f"a column's role must be one of {', '.join(ROLE_CHOICES)}, got '{role}'",
            where=f"table {table}, column {column}",
        )
    column_map = with_role(pending.get("columns"), table, column, role, column_year(year, role))
    name = pending["name"] or None
    reading = plan_reading.read_for_import(db, path, target.code, name, column_map)
    plan, review, column_map = reading.plan, reading.shown, reading.column_map
    diff = plans.import_diff(db, plan, region_code=target.code, name=name)
    pending = {**pending, "columns": column_map}
    request.session[PENDING] = pending
    data = preview_data(pending, target, plan, review, diff)
    if "application/json" in request.headers.get("accept", ""):
        return json_response(data)
    return request.app.state.templates.TemplateResponse(request, "import.html", view.context(data))


def column_year(text: str, role: str) -> int | None:
    """The year given for a baseline or target column (empty: none); other roles have none."""
    text = text.strip()
    if not text or role not in YEAR_ROLES:
        return None
    if not text.isdigit() or not 1949 <= int(text) <= 2100:
        raise ValidationError(
            f"列的年份须为 1949–2100 之间的整数，收到“{text}”",
            f"a column's year must be a whole year from 1949 to 2100, got '{text}'",
        )
    return int(text)


def preview_data(
    pending: dict[str, Any],
    target: Any,
    plan: model.Plan,
    review: dict[str, Any],
    diff: dict[str, Any] | None,
) -> dict[str, Any]:
    return {
        "regions": [region_dict(target)],
        "roles": ROLE_CHOICES,
        "year_roles": sorted(YEAR_ROLES),
        "preview": {
            "token": pending["token"],
            "region": region_dict(target),
            "name": plans.plan_name_of(plan, pending["name"] or None),
            "name_from_document": plan.metadata.name,
            "filename": pending["filename"],
            "kind": pending["kind"],
            **plan_preview(plan),
            "columns": column_tables(plan, pending.get("columns")),
            "columns_reused": pending.get("columns_reused", False),
            "check": review,
            "diff": diff,
        },
    }


def pending_upload(
    request: Request, db: DbSession, user: Writer, settings: AppSettings, token: str
) -> tuple[dict[str, Any], Any, Path]:
    """The session's waiting import named by *token*, its region (which the user must be
    allowed to edit) and the uploaded file."""
    pending = request.session.get(PENDING)
    if not pending or not secrets.compare_digest(pending.get("token", ""), token):
        raise NotFound(
            "没有待确认的导入（可能已确认或已过期），请重新上传",
            "there is no import waiting for confirmation (done or expired); upload again",
        )
    target = regions.get_region(db, pending["region"])
    require_region_edit(user, target)
    path = upload_dir(settings, token) / pending["file"]
    if not path.is_file():
        raise ValidationError(
            "上传的文件已被清理，请重新上传", "the uploaded file is gone; upload again"
        )
    return pending, target, path


def write_upload(path: Path, content: bytes) -> None:
    """Keep the upload until it is confirmed (owner-only folder); a full or read-only disk is
    a :class:`StorageFault` (the caller removes whatever part was written)."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.write_bytes(content)
    except OSError as exc:
        raise StorageFault(
            f"无法保存上传的文件（{exc.strerror}），未保存任何数据；请联系管理员检查磁盘空间",
            f"cannot keep the uploaded file ({exc.strerror}); nothing was saved. Ask an "
            "administrator to check the disk space",
        ) from None


def sweep_uploads(settings: AppSettings) -> list[str]:
    """Remove the uploads nobody confirmed within ``upload_ttl_hours`` (abandoned previews);
    returns the tokens removed."""
    root = Path(settings.data_dir) / "uploads"
    if not root.is_dir():
        return []
    oldest = time.time() - settings.upload_ttl_hours * 3600
    removed = []
    for folder in root.iterdir():
        try:
            if folder.is_dir() and folder.stat().st_mtime < oldest:
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder.name)
        except OSError:  # removed meanwhile by another worker
            continue
    return removed


def _discard(request: Request, settings: AppSettings) -> None:
    """Forget the session's previous pending upload and remove its file."""
    pending = request.session.pop(PENDING, None)
    if pending and re.fullmatch(r"[\w\-]+", pending.get("token", "")):
        shutil.rmtree(upload_dir(settings, pending["token"]), ignore_errors=True)
