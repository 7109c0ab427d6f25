"""Evidence files (佐证材料): checked, stored by checksum under the data directory, read back
only by those who may see the record's region.

What is accepted is data (``store/data/evidence.yaml``): a file's kind is recognised from its
first bytes (and, for ZIP packages, from the parts they hold), and its name must carry one of
that kind's extensions.  The size limit is the platform's upload limit
(``ECOCIV_MAX_UPLOAD_MB``).  The bytes are written before the row, under a name that is their
SHA-256, so a rolled-back transaction leaves at most an unreferenced file and never a row
without its file; a file changed on disk is refused when read.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import zipfile
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path, PurePath

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from ecociv.settings import Settings
from ecociv.store.errors import NotFound, StorageFault, ValidationError
from ecociv.store.services import audit
from ecociv.store.services.access import require_edit, require_see
from ecociv.store.services.audit import Actor
from ecociv.store.services.regions import get_region
from ecociv.store.tables.evidence import Attachment

FILENAME_MAX = 255
NOTE_MAX = 500
_SIGNATURES = {
    "pdf": b"%PDF-",
    "png": b"\x89PNG\r\n\x1a\n",
    "jpeg": b"\xff\xd8\xff",
    "ole2": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
}
_ZIP_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "ofd": "OFD.xml"}


@dataclass(frozen=True)
class Kind:
    key: str
    media_type: str
    extensions: tuple[str, ...]
    zh: str
    en: str


@cache
def kinds() -> dict[str, Kind]:
    """The accepted kinds of evidence file, from ``store/data/evidence.yaml``."""
    text = (resources.files("ecociv.store") / "data" / "evidence.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)["kinds"]
    return {
        key: Kind(key, spec["media_type"], tuple(spec["extensions"]), spec["zh"], spec["en"])
        for key, spec in raw.items()
    }


def sniff(data: bytes) -> str | None:
    """The kind of *data* by its content, or ``None`` when it is none of the accepted kinds."""
    for key, signature in _SIGNATURES.items():
        if data.startswith(signature):
            return key
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                names = set(package.namelist())
        except (zipfile.BadZipFile, ValueError, NotImplementedError):
            return None
        for key, part in _ZIP_PARTS.items():
            if part in names:
                return key
    return None


def store_attachment(
    session: Session,
    settings: Settings,
    actor: Actor,
    *,
    owner_kind: str,
    owner_key: str,
    region_code: str,
    filename: str,
    data: bytes,
    note: str = "",
) -> Attachment:
    """Check and keep one file for the record ``owner_kind``/``owner_key`` of a region the
    actor may edit; the new row (audited), or :class:`ValidationError` saying what is wrong."""
    region = get_region(session, region_code)
    require_edit(actor, region)
    name = PurePath(filename.replace("\\", "/")).name.strip()
    where = name or "(未命名)"
    if not name or len(name) > FILENAME_MAX:
        raise ValidationError(
            f"文件名须为 1–{FILENAME_MAX} 个字符",
            f"a file name must be 1–{FILENAME_MAX} characters",
        )
    if len(note) > NOTE_MAX:
        raise ValidationError(
            f"说明不超过 {NOTE_MAX} 个字符",
            f"the note must be at most {NOTE_MAX} characters",
            where=where,
        )
    if not data:
        raise ValidationError("文件是空的", "the file is empty", where=where)
    if len(data) > settings.max_upload_bytes:
        raise ValidationError(
            f"文件大小 {len(data) / 1048576:.1f} MB，超过上限 {settings.max_upload_mb} MB",
            f"the file is {len(data) / 1048576:.1f} MB, over the {settings.max_upload_mb} MB limit",
            where=where,
        )
    kind_key = sniff(data)
    accepted = kinds()
    if kind_key is None:
        listed_zh = "、".join(k.zh for k in accepted.values())
        listed_en = ", ".join(k.en for k in accepted.values())
        raise ValidationError(
            f"文件内容不是可接受的佐证材料类型（可接受：{listed_zh}）",
            f"the file's content is not an accepted kind of evidence (accepted: {listed_en})",
            where=where,
        )
    kind = accepted[kind_key]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in kind.extensions:
        raise ValidationError(
            f"文件内容是{kind.zh}，但扩展名为 .{extension or '（无）'}；"
            f"请使用 .{' 或 .'.join(kind.extensions)}",
            f"the content is a {kind.en} but the name ends in .{extension or '(none)'}; "
            f"use .{' or .'.join(kind.extensions)}",
            where=where,
        )
    digest = hashlib.sha256(data).hexdigest()
    _write_blob(settings, digest, data)
    attachment = Attachment(
        owner_kind=owner_kind,
        owner_key=owner_key,
        region=region,
        filename=name,
        media_type=kind.media_type,
        size=len(data),
        sha256=digest,
        note=note.strip(),
        uploaded_by=audit.actor_name(actor),
    )
    session.add(attachment)
    session.flush()
    audit.record(
        session,
        actor,
        "attach",
        owner_kind,
        owner_key,
        after={"attachment": attachment.id, "filename": name, "sha256": digest, "size": len(data)},
    )
    return attachment


def list_attachments(session: Session, owner_kind: str, owner_key: str) -> list[Attachment]:
    """The files of one record, oldest first."""
    query = select(Attachment).where(
        Attachment.owner_kind == owner_kind, Attachment.owner_key == owner_key
    )
    return list(session.scalars(query.order_by(Attachment.id)))


def read_attachment(
    session: Session, settings: Settings, actor: Actor, attachment_id: int
) -> tuple[Attachment, bytes]:
    """The row and the bytes of one file, for an actor who may see its region."""
    attachment = session.get(Attachment, attachment_id)
    if attachment is None:
        raise NotFound(
            f"佐证材料 {attachment_id} 不存在",
            f"evidence file {attachment_id} does not exist",
            where=str(attachment_id),
        )
    require_see(actor, attachment.region)
    path = blob_path(settings, attachment.sha256)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StorageFault(
            f"佐证材料 {attachment.filename} 的文件无法读取：{exc.strerror}",
            f"the file of evidence {attachment.filename} cannot be read: {exc.strerror}",
            where=str(attachment_id),
        ) from None
    if hashlib.sha256(data).hexdigest() != attachment.sha256:
        raise StorageFault(
            f"佐证材料 {attachment.filename} 的文件已被改动（校验和不符），不予提供",
            f"the file of evidence {attachment.filename} was changed on disk (checksum mismatch)",
            where=str(attachment_id),
        )
    return attachment, data


def blob_path(settings: Settings, digest: str) -> Path:
    return settings.data_dir / "evidence" / digest[:2] / digest


def _write_blob(settings: Settings, digest: str, data: bytes) -> None:
    """Write the bytes once (same content, same name), atomically via a temporary file."""
    path = blob_path(settings, digest)
    if path.exists():
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, partial = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except OSError as exc:
        raise StorageFault(
            f"佐证材料无法写入数据目录：{exc.strerror}",
            f"the evidence file cannot be written to the data directory: {exc.strerror}",
        ) from None
