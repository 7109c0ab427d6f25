"""The types every text and number that comes in is read as (API bodies and page forms).

* :func:`safe_text` — text without NUL, other control characters (C0 but TAB, LF and CR; DEL;
  C1) or lone surrogates: such characters cannot be shown, printed in a report or stored in
  PostgreSQL (NUL), and nobody types them.  :func:`filled_text` also needs a visible character.
* :func:`whole_number` and :func:`number` — JSON numbers only: ``true`` is not the version 1.

Each check is published in the OpenAPI document (``pattern``) as it is enforced (the same
regular expression), so a request the document allows is never refused for its shape, and
one it refuses gets a 422 that names the field and the character.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

CONTROLS = r"\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F"
"""C0 controls except TAB (09), LF (0A) and CR (0D); DEL and the C1 controls (7F–9F)."""
SURROGATES = r"\uD800-\uDFFF"
"""UTF-16 surrogate halves, no characters on their own (Unicode 15 §3.9 D73–D75).  Python's
JSON decoder lets a lone ``\\ud800`` through; a JSON Schema pattern cannot name them (it
matches Unicode scalar values, which they are not), so the published patterns leave them out."""
SAFE_PATTERN = f"^[^{CONTROLS}]*$"
FILLED_PATTERN = rf"^[^{CONTROLS}]*[^\s{CONTROLS}][^{CONTROLS}]*$"
_FORBIDDEN_CHAR = re.compile(f"[{CONTROLS}{SURROGATES}]")
_FILLED = re.compile(FILLED_PATTERN)


def _refuse_forbidden(text: Any) -> Any:
    """Runs before pydantic's own string check, which refuses a lone surrogate unnamed."""
    found = _FORBIDDEN_CHAR.search(text) if isinstance(text, str) else None
    if found is None:
        return text
    code = f"U+{ord(found.group()):04X}"
    kind = (
        ("代理项", "a lone surrogate")
        if unicodedata.category(found.group()) == "Cs"
        else ("控制字符", "a control character")
    )
    raise PydanticCustomError(
        "forbidden_character",
        "第 {position} 个字符是{kind_zh} {code}，不能保存；请删除后重试 / "
        "character {position} is {kind_en} ({code}), which cannot be stored; remove it",
        {"position": found.start() + 1, "code": code, "kind_zh": kind[0], "kind_en": kind[1]},
    )


def is_filled(text: str | None) -> bool:
    """Whether *text* has a visible character and no control character."""
    return text is not None and _FILLED.match(text) is not None


def _require_visible(text: str) -> str:
    if not is_filled(text):
        raise PydanticCustomError(
            "blank_text", "内容不能为空白 / the text cannot be blank", {"pattern": FILLED_PATTERN}
        )
    return text


def _refuse_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise PydanticCustomError(
            "bool_not_number",
            "需要数字，收到的是布尔值 {value} / a number is needed, not the boolean {value}",
            {"value": "true" if value else "false"},
        )
    return value


def safe_text(max_length: int) -> Any:
    """Text of at most *max_length* characters, none of them a :data:`CONTROLS` character or
    a lone surrogate.

    (The length comes first: a constraint placed after a validator is checked and published
    as a generic one, not as the string's ``maxLength``.)"""
    return Annotated[
        str,
        Field(max_length=max_length),
        BeforeValidator(_refuse_forbidden),
        Field(json_schema_extra={"pattern": SAFE_PATTERN}),
    ]


def filled_text(max_length: int) -> Any:
    """:func:`safe_text` with at least one visible (non-space) character."""
    return Annotated[
        str,
        Field(max_length=max_length),
        BeforeValidator(_refuse_forbidden),
        AfterValidator(_require_visible),
        Field(json_schema_extra={"pattern": FILLED_PATTERN}),
    ]


def whole_number(ge: int, le: int) -> Any:
    """An integer in [*ge*, *le*]; a JSON ``true``/``false`` is refused, ``3.0`` is 3."""
    return Annotated[int, Field(ge=ge, le=le), BeforeValidator(_refuse_bool)]


def number(ge: float, le: float) -> Any:
    """A finite number in [*ge*, *le*]; a JSON ``true``/``false`` is refused."""
    return Annotated[float, Field(ge=ge, le=le, allow_inf_nan=False), BeforeValidator(_refuse_bool)]
