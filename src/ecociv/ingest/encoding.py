"""Detect the encoding of a text export: UTF-8 (with or without BOM) or GB18030.

Detected, never assumed: a UTF-8 BOM wins; otherwise strict UTF-8; otherwise strict
GB18030 (a superset of GBK and GB2312).  Anything else is an :class:`InputError` that
names the first offending byte offset, so a user can find it.
"""

from __future__ import annotations

import codecs

from ecociv.errors import InputError

_CANDIDATES = ("utf-8", "gb18030")


def decode_text(data: bytes, *, where: str | None = None) -> tuple[str, str]:
    """Return ``(text, encoding)`` for the bytes of a text file."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise _undecodable(exc, where) from exc
    first_error: UnicodeDecodeError | None = None
    for encoding in _CANDIDATES:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            first_error = first_error or exc
    assert first_error is not None
    raise _undecodable(first_error, where)


def _undecodable(exc: UnicodeDecodeError, where: str | None) -> InputError:
    return InputError(
        f"无法识别文本编码（既不是 UTF-8 也不是 GB18030），第 {exc.start} 字节处出错；"
        "请另存为 UTF-8 后重试",
        f"cannot decode the text as UTF-8 or GB18030 (first bad byte at offset {exc.start}); "
        "save it as UTF-8 and try again",
        where=where,
    )
