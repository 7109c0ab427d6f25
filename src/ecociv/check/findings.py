"""The findings of ``ecociv check``: what disagrees with what, where, and how to fix it.

A finding's ``id`` is stable across versions of a plan: it hashes the kind, the locations
*without* their line numbers (table caption, row name, column key, the quoted text) and the
values compared, so a reviewer who accepts a finding does not see it again after the plan's
pages move.  The JSON form is public (``docs/check-json.md``).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Severity = Literal["error", "warning", "note"]
CHECK_SCHEMA_VERSION = "1.0"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Location(_Model):
    """One place a finding involves: a table cell, a table row, a box, or lines of prose.

    ``table`` is the plan's table index (``Plan.tables[].index``), ``row`` the index in that
    table's ``rows``, ``seq`` the row's 序号 (``"7.2"`` for a sub-item), ``column`` the column
    key (``baseline``, ``target_2025``, ``nature`` …).  ``line_start``/``line_end`` are the
    1-based lines of a text input; ``paragraph`` the 0-based paragraph of a .docx.
    """

    file: str | None = None
    line_start: int | None = None
    line_end: int | None = None
    paragraph: int | None = None
    table: int | None = None
    caption: str | None = None
    row: int | None = None
    seq: str | None = None
    name: str | None = None
    column: str | None = None
    text: str | None = None

    def identity(self) -> list[Any]:
        """What identifies this place across versions (no line or paragraph numbers)."""
        return [_fold(self.caption), _fold(self.name), self.column, _fold(self.text)]


class Finding(_Model):
    """A contradiction (or a likely one) found in a plan."""

    id: str
    kind: str
    severity: Severity
    message_zh: str
    message_en: str
    locations: list[Location]
    values: dict[str, Any] = Field(default_factory=dict)
    cause_zh: str | None = None
    cause_en: str | None = None
    suggestion_zh: str
    suggestion_en: str


class CheckReport(_Model):
    """What ``ecociv check --json`` prints."""

    schema_version: str = CHECK_SCHEMA_VERSION
    source: str
    findings: list[Finding]
    accepted: list[str] = Field(default_factory=list)
    counts: dict[str, int] = Field(default_factory=dict)


def _fold(text: str | None) -> str | None:
    if text is None:
        return None
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def finding_id(kind: str, locations: list[Location], values: dict[str, Any]) -> str:
    """``<kind>:<12 hex>`` — sha256 of the kind, the locations' identities and the values."""
    payload = json.dumps(
        [kind, [loc.identity() for loc in locations], values],
        ensure_ascii=False,
        sort_keys=True,
        default=str,
    )
    return f"{kind}:{hashlib.sha256(payload.encode('utf-8')).hexdigest()[:12]}"
