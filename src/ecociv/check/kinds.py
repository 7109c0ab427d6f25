"""The registry of finding kinds (``data/kinds.yaml``) and the one way to build a finding."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ecociv.check.findings import Finding, Location, Severity, finding_id
from ecociv.errors import ConfigError


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    severity: Severity
    rule: str
    zh: str
    en: str


@cache
def kinds() -> dict[str, Kind]:
    """Every kind, by name, as the data file defines it."""
    raw = yaml.safe_load(
        resources.files("ecociv.check").joinpath("data/kinds.yaml").read_text("utf-8")
    )
    table: dict[str, Kind] = {}
    for name, entry in raw["kinds"].items():
        if entry.get("severity") not in ("error", "warning", "note"):
            raise ConfigError(
                f"kinds.yaml：{name} 的严重程度无效", f"kinds.yaml: {name} has an invalid severity"
            )
        table[name] = Kind(name, entry["severity"], entry["rule"], entry["zh"], entry["en"])
    return table


def finding(
    kind: str,
    locations: list[Location],
    values: dict[str, Any],
    *,
    zh: str,
    en: str,
    fix_zh: str,
    fix_en: str,
    severity: Severity | None = None,
    cause: tuple[str, str] | None = None,
) -> Finding:
    """A :class:`Finding` of a registered *kind* (its default severity unless *severity*)."""
    spec = kinds()[kind]
    return Finding(
        id=finding_id(kind, locations, values),
        kind=kind,
        severity=severity or spec.severity,
        message_zh=zh,
        message_en=en,
        locations=locations,
        values=values,
        cause_zh=cause[0] if cause else None,
        cause_en=cause[1] if cause else None,
        suggestion_zh=fix_zh,
        suggestion_en=fix_en,
    )
