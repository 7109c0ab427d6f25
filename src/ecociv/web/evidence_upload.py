"""An evidence file (佐证材料) uploaded to a record of the plan's life through the API: a
project, a problem, a task's assignment.  The routes differ only in the record they load;
the upload's form fields, storage (:func:`ecociv.store.services.evidence.store_attachment`)
and answer are the same, and live here."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import File, Form, UploadFile
from sqlalchemy.orm import Session

from ecociv.settings import Settings
from ecociv.store.models import User
from ecociv.store.services import evidence
from ecociv.web.work_present import attachment_dict

EvidenceFile = Annotated[UploadFile, File()]
EvidenceNote = Annotated[str, Form(max_length=500)]


def attach(
    db: Session,
    settings: Settings,
    user: User,
    file: UploadFile,
    note: str,
    *,
    owner_kind: str,
    owner_key: str,
    region_code: str,
) -> dict[str, Any]:
    """Store *file* as evidence of the owner (checked, audited) and answer its description."""
    row = evidence.store_attachment(
        db,
        settings,
        user,
        owner_kind=owner_kind,
        owner_key=owner_key,
        region_code=region_code,
        filename=file.filename or "",
        data=file.file.read(),
        note=note,
    )
    return attachment_dict(row)
