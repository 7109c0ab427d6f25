"""Upload limits: request body size (413) and file type (415), with bilingual messages.

The size limit is enforced twice: on the declared ``Content-Length`` before anything is read,
and on the bytes actually received (a chunked request cannot slip past it).  The type check
looks at the file's extension *and* its first bytes, so a renamed binary is refused.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from fastapi import UploadFile
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ecociv.errors import EcocivError


class UploadTooLarge(EcocivError):
    """The request body exceeds ``settings.max_upload_mb``."""


class UnsupportedUpload(EcocivError):
    """The uploaded file is not one of the accepted kinds."""


class BodySizeLimitMiddleware:
    """Refuse (413) any request whose body is larger than *max_bytes*."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        received = 0
        too_large = False

        async def counting_receive() -> Message:
            # Past the limit the app is told the client left; whatever it answers to that
            # (FastAPI turns any body-parsing failure into a 400) is replaced by the 413.
            nonlocal received, too_large
            if too_large:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    too_large = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            if not too_large:
                await send(message)
            elif message["type"] == "http.response.start":
                await self._refuse(send)

        await self.app(scope, counting_receive, guarded_send)

    async def _refuse(self, send: Send) -> None:
        mb = self.max_bytes / (1024 * 1024)
        error = UploadTooLarge(
            f"上传内容超过 {mb:g} MB 的上限；请拆分文件或请管理员调整 ECOCIV_MAX_UPLOAD_MB",
            f"the upload exceeds the {mb:g} MB limit; split the file or ask an administrator "
            "to raise ECOCIV_MAX_UPLOAD_MB",
        )
        body = json.dumps({"detail": error.zh, "detail_en": error.en}, ensure_ascii=False)
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json; charset=utf-8"),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body.encode("utf-8")})


@dataclass(frozen=True)
class FileKind:
    """An accepted upload kind: its extensions and the bytes it must start with."""

    name: str
    extensions: tuple[str, ...]
    magic: bytes | None  # None: a text file, which must decode as UTF-8 or GB18030


DOCX = FileKind("docx", (".docx",), b"PK\x03\x04")
XLSX = FileKind("xlsx", (".xlsx",), b"PK\x03\x04")
TEXT = FileKind("tika", (".txt",), None)
JSON = FileKind("json", (".json",), None)
PLAN_KINDS = (DOCX, XLSX, TEXT)
EXPORT_KINDS = (JSON, XLSX)
SHEET_KINDS = (XLSX,)


def check_upload(filename: str | None, head: bytes, kinds: tuple[FileKind, ...]) -> FileKind:
    """Return the kind *filename* (starting with *head*) is, or raise :class:`UnsupportedUpload`."""
    name = (filename or "").lower()
    accepted = ", ".join(ext for kind in kinds for ext in kind.extensions)
    for kind in kinds:
        if not name.endswith(kind.extensions):
            continue
        if kind.magic is not None and head.startswith(kind.magic):
            return kind
        if kind.magic is None and _is_text(head):
            return kind
        raise UnsupportedUpload(
            f"文件 {filename} 的内容与扩展名不符（不是有效的 {kind.name} 文件）",
            f"the content of {filename} does not match its extension (not a valid {kind.name} file)",
            where=filename,
        )
    raise UnsupportedUpload(
        f"不支持的文件类型：{filename or '（无文件名）'}；可接受：{accepted}",
        f"unsupported file type: {filename or '(no name)'}; accepted: {accepted}",
        where=filename,
    )


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 4:  # a character cut by the end of the sample
                return True
    return False


def read_upload(upload: UploadFile, kinds: tuple[FileKind, ...]) -> tuple[FileKind, bytes]:
    """The upload's kind and bytes (the body size is already bounded by the middleware).

    Synchronous: the routes that take uploads run in a worker thread (:mod:`ecociv.web.offload`),
    where the spooled file is read without blocking the event loop."""
    upload.file.seek(0)
    content = upload.file.read()
    return check_upload(upload.filename, content[:4096], kinds), content
