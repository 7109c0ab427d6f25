"""Manual inputs and evidence (佐证材料) in the browser:

* ``/plans/{id}/manual`` — the indicators the engine cannot decide (需人工判定) for a region,
  with the forms for the quota handed down from above and a reasoned judgement;
* form actions that store a quota, a judgement, or a file attached to a value, a quota or a
  judgement (through the evidence service: type, size and checksum are its rules; downloads
  go through its ``/evidence/{id}``, refused unless the reader may see the region).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import RedirectResponse

from ecociv.cycle import locks, manual
from ecociv.model import VerdictStatus
from ecociv.store.errors import ValidationError
from ecociv.store.services import assessment, audit, evidence, observations, plans, regions
from ecociv.store.services.access import require_entry
from ecociv.web.api_types import safe_text
from ecociv.web.deps import AppSettings, CurrentUser, DbSession
from ecociv.web.pages import page
from ecociv.web.present import plan_dict, region_dict

router = APIRouter()
if TYPE_CHECKING:  # a checked, limited str (mypy cannot read the factory's Annotated)
    Text = str
else:
    Text = safe_text(2000)
RegionForm = Annotated[str, Form(max_length=32)]
CodeForm = Annotated[str, Form(max_length=100)]
YearForm = Annotated[int, Form(ge=1949, le=2100)]
Upload = Annotated[UploadFile | None, File()]
OWNER_KINDS = ("observation", "quota", "manual_judgement")
"""What evidence may be attached to (``attachment.owner_kind``), keyed ``region/code/year``."""


def owner_key(region_code: str, indicator_code: str, year: int) -> str:
    return f"{region_code}/{indicator_code}/{year}"


@page(router, "/plans/{plan_id}/manual", "cycle_manual.html")
def manual_page(
    plan_id: int,
    db: DbSession,
    user: CurrentUser,
    region: Annotated[str | None, Query(max_length=32)] = None,
) -> dict[str, Any]:
    """Every indicator whose verdict needs review or rests on a manual input, for the region."""
    plan = plans.get_plan(db, plan_id)
    target = regions.get_region(db, region) if region else plan.region
    result = assessment.assess_plan(db, plan_id, region_code=target.code)
    codes = [row.code for row in result.indicators]
    quotas = manual.quotas_for(db, target, codes)
    judgements = manual.judgements_for(db, target, codes)
    rows = []
    for row in result.indicators:
        year = row.year
        quota = quotas.get((row.code, year)) if year else None
        judgement = judgements.get((row.code, year)) if year else None
        manual_source = row.verdict.inputs.get("source") == "manual_judgement"
        if row.verdict.status is not VerdictStatus.NEEDS_REVIEW and not (
            quota or judgement or manual_source
        ):
            continue
        key = owner_key(target.code, row.code, year) if year else None
        rows.append(
            {
                "code": row.code,
                "name": row.name,
                "year": year,
                "verdict": row.verdict.model_dump(mode="json"),
                "quota": _quota_dict(quota),
                "judgement": _judgement_dict(judgement),
                "evidence": {
                    kind: [_attachment_dict(a) for a in evidence.list_attachments(db, kind, key)]
                    for kind in OWNER_KINDS
                }
                if key
                else {},
            }
        )
    return {
        "plan": plan_dict(plan),
        "region": region_dict(target),
        "editable": _may_judge(user, target),
        "statuses": {status: label for status, label in manual.STATUS_ZH.items()},
        "rows": rows,
    }


def _may_judge(user: Any, region: Any) -> bool:
    try:
        manual.require_judge(user, region)
    except Exception:  # Forbidden: the page only hides the forms; the action checks again
        return False
    return True


def _quota_dict(quota: Any) -> dict[str, Any] | None:
    if quota is None:
        return None
    return {
        "text": quota.text,
        "source": quota.source,
        "version": quota.version,
        "updated_by": quota.updated_by,
    }


def _judgement_dict(judgement: Any) -> dict[str, Any] | None:
    if judgement is None:
        return None
    return {
        "status": judgement.status,
        "reason": judgement.reason,
        "version": judgement.version,
        "updated_by": judgement.updated_by,
    }


def _attachment_dict(attachment: Any) -> dict[str, Any]:
    return {
        "id": attachment.id,
        "filename": attachment.filename,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "note": attachment.note,
        "uploaded_by": attachment.uploaded_by,
    }


@router.post("/plans/{plan_id}/quotas", name="set_quota")
def set_quota(
    plan_id: int,
    db: DbSession,
    settings: AppSettings,
    user: CurrentUser,
    region: RegionForm,
    indicator_code: CodeForm,
    year: YearForm,
    text: Annotated[Text, Form()],
    source: Annotated[Text, Form()],
    expected_version: Annotated[int | None, Form(ge=1)] = None,
    file: Upload = None,
) -> RedirectResponse:
    plans.get_plan(db, plan_id)
    manual.set_quota(
        db,
        user,
        region_code=region,
        indicator_code=indicator_code,
        year=year,
        text=text,
        source=source,
        expected_version=expected_version,
    )
    _attach(db, settings, user, "quota", region, indicator_code, year, file, source)
    return RedirectResponse(f"/plans/{plan_id}/manual?region={region}", status_code=303)


@router.post("/plans/{plan_id}/judgements", name="set_judgement")
def set_judgement(
    plan_id: int,
    db: DbSession,
    settings: AppSettings,
    user: CurrentUser,
    region: RegionForm,
    indicator_code: CodeForm,
    year: YearForm,
    status: Annotated[str, Form(max_length=16)],
    reason: Annotated[Text, Form()],
    expected_version: Annotated[int | None, Form(ge=1)] = None,
    file: Upload = None,
) -> RedirectResponse:
    plans.get_plan(db, plan_id)
    manual.set_judgement(
        db,
        user,
        region_code=region,
        indicator_code=indicator_code,
        year=year,
        status=status,
        reason=reason,
        expected_version=expected_version,
    )
    _attach(db, settings, user, "manual_judgement", region, indicator_code, year, file, "")
    return RedirectResponse(f"/plans/{plan_id}/manual?region={region}", status_code=303)


@router.post("/reports/{report_id}/evidence", name="value_evidence")
def value_evidence(
    report_id: int,
    db: DbSession,
    settings: AppSettings,
    user: CurrentUser,
    indicator_code: CodeForm,
    file: Annotated[UploadFile, File()],
    note: Annotated[Text | None, Form()] = None,
) -> RedirectResponse:
    """Attach a file to a value of the report (while its values may change: evidence is part
    of what is approved)."""
    from ecociv.cycle.periods import get_report

    report = get_report(db, report_id)
    region, year = report.region, report.period.year
    require_entry(user, region)
    observations.get_observation(db, region.code, indicator_code, year)
    locks.require_writable(db, user, region, indicator_code, year)
    _attach(db, settings, user, "observation", region.code, indicator_code, year, file, note or "")
    return RedirectResponse(f"/reports/{report_id}#line-{indicator_code}", status_code=303)


def _attach(
    db: Any,
    settings: Any,
    user: Any,
    kind: str,
    region_code: str,
    indicator_code: str,
    year: int,
    file: UploadFile | None,
    note: str,
) -> None:
    """Keep *file* as evidence of the record.  The caller has authorised *user* by the cycle's
    rules (a filler for their value, an approver for a quota); the evidence service's own
    check is an editor's, so it is called with the user's name as a vouched-for actor and
    records the upload under that name."""
    if file is None or not file.filename:
        return
    data = file.file.read()
    if not data:
        raise ValidationError(
            f"文件 {file.filename} 为空", f"the file {file.filename} is empty", where=file.filename
        )
    evidence.store_attachment(
        db,
        settings,
        audit.actor_name(user),
        owner_kind=kind,
        owner_key=owner_key(region_code, indicator_code, year),
        region_code=region_code,
        filename=file.filename,
        data=data,
        note=note,
    )
