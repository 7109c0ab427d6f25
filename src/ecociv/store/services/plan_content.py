"""What the store keeps of a :class:`ecociv.model.Plan`, and the difference between two imports.

Pure functions (no database): a plan becomes a list of indicator specs (with their targets per
year) and a list of project specs; :func:`diff_contents` compares two such contents.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ecociv import model

INDICATOR_TABLE_KINDS = ("indicator", "review")
LINK_CONFIDENCE = 0.8
"""A standard match at least this sure gives the indicator the standard's code (its identity
for observations); a weaker one is only recorded as a suggestion (``standard_code`` and
``match_confidence``) beside a plan-local code."""
TARGET_ROLE = "target"
BASELINE_ROLE = "baseline"
INDICATOR_FIELDS = (
    "parent_code",
    "seq",
    "domain",
    "task",
    "name",
    "unit",
    "attribute",
    "applicable",
    "baseline_year",
    "baseline_text",
    "standard_code",
)
DIFF_IGNORED = frozenset({"seq"})
"""Renumbering (序号) alone is not a change worth showing."""
PROJECT_FIELDS = (
    "seq",
    "category",
    "subcategory",
    "name",
    "content",
    "nature",
    "period_text",
    "period_start",
    "period_end",
    "investment_wan_yuan",
    "investment_text",
    "investment_note",
    "lead_units",
    "implementing_units",
)


@dataclass
class IndicatorSpec:
    code: str
    name: str
    parent_code: str | None = None
    seq: str | None = None
    domain: str | None = None
    task: str | None = None
    unit: str | None = None
    attribute: str | None = None
    applicable: bool = True
    baseline_year: int | None = None
    baseline_text: str | None = None
    standard_code: str | None = None
    match_confidence: float | None = None
    cells: dict[str, str] = field(default_factory=dict)
    targets: dict[int, str] = field(default_factory=dict)


@dataclass
class PlanContent:
    indicators: list[IndicatorSpec]
    projects: list[dict[str, Any]]


StandardMatcher = Callable[[str, str | None], tuple[str, float] | None]
"""``(name, unit) -> (standard_code, confidence) | None``; see :mod:`.standards`."""


def plan_content(plan: model.Plan, match: StandardMatcher | None = None) -> PlanContent:
    """Indicators (deduplicated by code, first table wins, later tables add missing targets)
    and projects of *plan*."""
    by_code: dict[str, IndicatorSpec] = {}
    projects: list[dict[str, Any]] = []
    for table in plan.tables:
        columns = {column.key: column for column in table.columns}
        for row in table.rows:
            if table.kind in INDICATOR_TABLE_KINDS and isinstance(row, model.IndicatorRow):
                _add_indicator(by_code, row, columns, match, parent=None)
            elif table.kind == "project" and isinstance(row, model.ProjectRow):
                projects.append({name: getattr(row, name) for name in PROJECT_FIELDS})
    return PlanContent(indicators=list(by_code.values()), projects=projects)


def _add_indicator(
    by_code: dict[str, IndicatorSpec],
    row: model.IndicatorRow,
    columns: dict[str, model.Column],
    match: StandardMatcher | None,
    parent: IndicatorSpec | None,
) -> None:
    """Add the row (then its sub-items): the same indicator seen again (same name) only adds
    what was missing; a different row matched to an already-claimed standard code gets a
    local code of its own, so no row is ever lost."""
    matched = match(row.name, row.unit) if match is not None else None
    parent_code = parent.code if parent else None
    linked = matched is not None and matched[1] >= LINK_CONFIDENCE
    spec = IndicatorSpec(
        code=matched[0] if linked and matched else local_code(row.name, row.unit, parent_code),
        name=row.name,
        parent_code=parent_code,
        seq=row.seq,
        domain=row.domain or (parent.domain if parent else None),
        task=row.task or (parent.task if parent else None),
        unit=row.unit or (parent.unit if parent else None),
        attribute=row.attribute or (parent.attribute if parent else None),
        applicable=row.applicable,
        standard_code=matched[0] if matched else None,
        match_confidence=matched[1] if matched else None,
        cells={key: cell.text for key, cell in row.cells.items()},
    )
    for key, cell in row.cells.items():
        column = columns.get(key)
        if column is None or not cell.text.strip():
            continue
        if column.role == TARGET_ROLE and column.year is not None:
            spec.targets.setdefault(column.year, cell.text)
        elif column.role == BASELINE_ROLE and spec.baseline_text is None:
            spec.baseline_year, spec.baseline_text = column.year, cell.text
    existing = by_code.get(spec.code)
    if existing is not None and _normalise(existing.name) != _normalise(spec.name):
        spec.code = local_code(spec.name, spec.unit, parent_code)
        existing = by_code.get(spec.code)
    if existing is None:
        by_code[spec.code] = spec
    else:
        _fill_missing(existing, spec)
    for sub in row.subitems:
        _add_indicator(by_code, sub, columns, match, parent=by_code[spec.code])


def _fill_missing(existing: IndicatorSpec, spec: IndicatorSpec) -> None:
    for year, text in spec.targets.items():
        existing.targets.setdefault(year, text)
    if existing.baseline_text is None:
        existing.baseline_year, existing.baseline_text = spec.baseline_year, spec.baseline_text
    for key, text in spec.cells.items():
        existing.cells.setdefault(key, text)


def local_code(name: str, unit: str | None, parent_code: str | None = None) -> str:
    """A stable plan-local code for an indicator no standard matched: ``plan.<10 hex>``.

    Built from the normalised name and unit (NFKC, no whitespace), so the same indicator keeps
    its code — and its observations — across re-imports and between tables.
    """
    key = "|".join(_normalise(part) for part in (parent_code or "", name, unit or ""))
    return "plan." + hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]


def _normalise(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def indicator_record(spec: IndicatorSpec) -> dict[str, Any]:
    """The fields of an indicator that a diff compares (targets keyed by year as text)."""
    record = {name: getattr(spec, name) for name in INDICATOR_FIELDS}
    record["targets"] = {str(year): text for year, text in sorted(spec.targets.items())}
    return record


def diff_contents(
    old_indicators: dict[str, dict[str, Any]],
    new_indicators: dict[str, dict[str, Any]],
    old_projects: list[dict[str, Any]],
    new_projects: list[dict[str, Any]],
) -> dict[str, Any]:
    """What changed between two imports: indicators by code, projects by (category, name)."""
    return {
        "indicators": _diff_keyed(old_indicators, new_indicators),
        "projects": _diff_keyed(_key_projects(old_projects), _key_projects(new_projects)),
    }


DIFF_PARTS = ("indicators", "projects")


def diff_is_empty(diff: dict[str, Any]) -> bool:
    return not any(
        diff[part][kind] for part in DIFF_PARTS for kind in ("added", "removed", "changed")
    )


def _key_projects(projects: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    keyed: dict[str, dict[str, Any]] = {}
    for project in projects:
        base = f"{project.get('category') or ''}/{project['name']}"
        key, n = base, 1
        while key in keyed:
            n += 1
            key = f"{base}#{n}"
        keyed[key] = project
    return keyed


def _diff_keyed(
    old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]
) -> dict[str, list[Any]]:
    changed = []
    for key in old.keys() & new.keys():
        fields = {
            name: [old[key].get(name), new[key].get(name)]
            for name in sorted(old[key].keys() | new[key].keys())
            if name not in DIFF_IGNORED and old[key].get(name) != new[key].get(name)
        }
        if fields:
            changed.append({"key": key, "name": new[key].get("name"), "fields": fields})
    return {
        "added": [{"key": key, "name": new[key].get("name")} for key in new if key not in old],
        "removed": [{"key": key, "name": old[key].get("name")} for key in old if key not in new],
        "changed": sorted(changed, key=lambda item: item["key"]),
    }
