"""Detect the encoding of a text export: UTF-8 (with or without BOM) or GB18030, or refuse.

Detected, never assumed, and never guessed silently:

1. a UTF-8 BOM wins; otherwise strict UTF-8;
2. otherwise strict GB18030 (a superset of GBK and GB2312) — but GB18030 maps almost any
   byte pair to *some* character, so Big5 or Shift-JIS bytes decode "successfully" into
   nonsense.  The decoded text is accepted only when nearly all of its non-ASCII characters
   (:data:`GB2312_SHARE`) are in GB2312, the set every mainland plan is written in; Big5
   text read this way scores about 0.4 and Shift-JIS about 0.01;
   Korean EUC-KR puts Hangul where GB2312 has common Hanzi, so it passes that test; it is
   told apart by charset-normalizer's character statistics;
3. otherwise the text is refused, naming the encoding that does decode it (Big5,
   Shift-JIS, EUC-JP, EUC-KR) when one does.

UTF-16 and UTF-32 are refused earlier, by name (:func:`ecociv.ingest.limits.wide_unicode`).
"""

from __future__ import annotations

import codecs

import charset_normalizer

from ecociv.errors import InputError

#: Share of non-ASCII characters that must be GB2312 for GB18030 bytes to count as Chinese
#: text (ecociv choice: real GBK/GB18030 plans score above 0.999, Big5 read as GBK ~0.4).
GB2312_SHARE = 0.95
_SAMPLE_CHARS = 20_000
_FEW_OUTSIDE = 3
# GB2312's dash and middle dot, as GBK maps them (Python's gb2312 codec maps them elsewhere)
_GBK_PUNCTUATION = frozenset("—·")
#: Other East Asian encodings, tried (in this order) only to name what a refused file holds.
_OTHER_ENCODINGS = (
    ("big5", "Big5（繁体中文）", "Big5 (Traditional Chinese)"),
    ("shift_jis", "Shift-JIS（日文）", "Shift-JIS (Japanese)"),
    ("euc_jp", "EUC-JP（日文）", "EUC-JP (Japanese)"),
    ("euc_kr", "EUC-KR（韩文）", "EUC-KR (Korean)"),  # last: named by :func:`_korean`
)


_KOREAN = frozenset({"euc_kr", "cp949", "johab", "iso2022_kr"})


def decode_text(data: bytes, *, where: str | None = None) -> tuple[str, str]:
    """Return ``(text, encoding)`` for the bytes of a text file."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise _undecodable(exc.start, where) from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and _reads_as_gb2312(text):
        if not _korean(data):
            return text, "gb18030"
        other: tuple[str, str, str] | None = _OTHER_ENCODINGS[-1]
    else:
        other = _other_encoding(data)
    if other is not None:
        _, name_zh, name_en = other
        raise InputError(
            f"文本似乎是 {name_zh} 编码，不是 UTF-8 或 GB18030；请另存为 UTF-8 后重试",
            f"the text appears to be {name_en} encoded, not UTF-8 or GB18030; "
            "save it as UTF-8 and try again",
            where=where,
        )
    raise _undecodable(first_bad, where)


def _reads_as_gb2312(text: str) -> bool:
    """Whether all but a few of the first non-ASCII characters of *text* are GB2312 ones
    (a few others — ㎡, ³, a rare name — are normal)."""
    wide, outside = _outside_gb2312(text)
    return outside <= max(_FEW_OUTSIDE, (1 - GB2312_SHARE) * wide)


def gb2312_share(text: str) -> float:
    """Share of the first non-ASCII characters of *text* that GB2312 holds (1.0 for none)."""
    wide, outside = _outside_gb2312(text)
    return 1.0 - outside / wide if wide else 1.0


def _outside_gb2312(text: str) -> tuple[int, int]:
    """How many of the first non-ASCII characters of *text* were sampled, and how many of
    them GB2312 (or its dash variant) does not hold."""
    wide = [c for c in text[: _SAMPLE_CHARS * 4] if ord(c) > 127][:_SAMPLE_CHARS]
    outside = 0
    for char in wide:
        try:
            char.encode("gbk" if char in _GBK_PUNCTUATION else "gb2312")
        except UnicodeEncodeError:
            outside += 1
    return len(wide), outside


def _korean(data: bytes) -> bool:
    """Whether charset-normalizer reads a sample of *data* as Korean first.

    EUC-KR puts Hangul on the byte pairs where GB2312 has common Hanzi, so Korean text
    passes :func:`gb2312_share`; the character statistics tell them apart.
    """
    best = charset_normalizer.from_bytes(data[:_SAMPLE_CHARS]).best()
    return best is not None and best.encoding in _KOREAN


def _other_encoding(data: bytes) -> tuple[str, str, str] | None:
    """The first of :data:`_OTHER_ENCODINGS` that decodes a sample of *data* strictly."""
    sample = data[: _SAMPLE_CHARS * 2]
    for encoding in _OTHER_ENCODINGS:
        try:
            codecs.getincrementaldecoder(encoding[0])().decode(sample, final=False)
        except UnicodeDecodeError:
            continue
        return encoding
    return None


def _undecodable(offset: int, where: str | None) -> InputError:
    return InputError(
        f"无法识别文本编码（既不是 UTF-8 也不是 GB18030），第 {offset} 字节处出错；请另存为 UTF-8 后重试",
        f"cannot decode the text as UTF-8 or GB18030 (first bad byte at offset {offset}); "
        "save it as UTF-8 and try again",
        where=where,
    )
