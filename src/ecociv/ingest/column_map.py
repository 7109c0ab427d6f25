"""A user's corrections of column roles (``ecociv ingest PATH --columns MAP.yaml``).

When the reader gets a table wrong, the user says per table, column by column, what each
column is, and for a verdict column what it compares::

    tables:
      - table: 0                  # the table's index (ecociv ingest --report), or
        caption: 表1              # … the start of its caption
        kind: indicator           # optional: read the table as indicator / review
        columns:
          完成情况: value           # a column by its header text (spaces ignored) …
          "4": target              # … or by its 0-based index …
          verdict: {role: verdict, compares: [value, target_2020]}   # … or by its key
          2020年目标值: {role: target, year: 2020}

The roles are those of ``docs/plan-json.md``; ``compares`` names the value column first and
the requirement column second, by key, header or index.  A mapped column gets
``basis: mapping`` and confidence 1.0; the keys and the verdict links of the table are then
worked out again.  Every mistake in the file is an :class:`~ecociv.errors.InputError` naming
the file, the table and the column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ecociv.errors import InputError
from ecociv.ingest.columns import CONFIDENCE, assign_keys, link_verdicts, normalise_header
from ecociv.model import Column

ROLES = frozenset(
    {"domain", "task", "seq", "name", "unit", "attribute", "standard", "baseline", "target"}
    | {"value", "verdict", "note", "other"}
)
KINDS = frozenset({"indicator", "review"})


@dataclass(frozen=True)
class ColumnRule:
    """What the user says one column is."""

    role: str
    year: int | None = None
    scope: str | None = None
    compares: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableRule:
    """The corrections for one table, found by index or by the start of its caption."""

    index: int | None
    caption: str | None
    kind: str | None
    columns: dict[str, ColumnRule] = field(default_factory=dict)

    def matches(self, index: int, caption: str | None) -> bool:
        if self.index is not None:
            return self.index == index
        wanted = normalise_header(self.caption or "")
        return bool(wanted) and normalise_header(caption or "").startswith(wanted)


@dataclass(frozen=True)
class ColumnMap:
    """Every table rule of a mapping file, and where the file is (for messages)."""

    path: str
    tables: tuple[TableRule, ...]

    def for_table(self, index: int, caption: str | None) -> TableRule | None:
        return next((t for t in self.tables if t.matches(index, caption)), None)


def load_column_map(path: str | Path) -> ColumnMap:
    """Read and check a mapping file; any mistake is one bilingual :class:`InputError`."""
    where = str(path)
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(
            "找不到列映射文件", "the column mapping file is not found", where=where
        ) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError(
            f"列映射文件不是有效的 YAML：{exc}",
            f"the column mapping file is not valid YAML: {exc}",
            where=where,
        ) from None
    return column_map_from_data(raw, where)


def column_map_from_data(raw: Any, where: str) -> ColumnMap:
    """Check a mapping already read (a mapping file's YAML, or one stored with a plan
    version); any mistake is one bilingual :class:`InputError` at *where*."""
    entries = raw.get("tables") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        raise InputError(
            "列映射文件须有 tables 列表",
            "the column mapping file needs a list under 'tables'",
            where=where,
        )
    return ColumnMap(where, tuple(_table_rule(entry, n, where) for n, entry in enumerate(entries)))


def _table_rule(entry: Any, n: int, where: str) -> TableRule:
    label_zh, label_en = f"第{n + 1}个表格条目", f"table entry {n + 1}"
    if not isinstance(entry, dict) or ("table" not in entry and "caption" not in entry):
        raise InputError(
            f"{label_zh}须给出 table（序号）或 caption（标题）",
            f"{label_en} needs 'table' (an index) or 'caption'",
            where=where,
        )
    index = entry.get("table")
    if index is not None and (isinstance(index, bool) or not isinstance(index, int) or index < 0):
        raise InputError(
            f"{label_zh}的 table 须为非负整数，收到 {index!r}",
            f"'table' of {label_en} must be a non-negative integer, got {index!r}",
            where=where,
        )
    kind = entry.get("kind")
    if kind is not None and kind not in KINDS:
        raise InputError(
            f"{label_zh}的 kind 只能是 indicator 或 review，收到 {kind!r}",
            f"'kind' of {label_en} must be indicator or review, got {kind!r}",
            where=where,
        )
    columns = entry.get("columns") or {}
    if not isinstance(columns, dict):
        raise InputError(
            f"{label_zh}的 columns 须为“列: 作用”的映射",
            f"'columns' of {label_en} must map columns to roles",
            where=where,
        )
    rules = {
        str(name): _column_rule(value, label_zh, label_en, str(name), where)
        for name, value in columns.items()
    }
    caption = entry.get("caption")
    return TableRule(index, str(caption) if caption is not None else None, kind, rules)


def _column_rule(value: Any, label_zh: str, label_en: str, name: str, where: str) -> ColumnRule:
    spec = {"role": value} if isinstance(value, str) else value
    role = spec.get("role") if isinstance(spec, dict) else None
    if role not in ROLES:
        raise InputError(
            f"{label_zh}列“{name}”的作用须为 {'、'.join(sorted(ROLES))} 之一，收到 {role!r}",
            f"the role of column '{name}' in {label_en} must be one of {', '.join(sorted(ROLES))}, "
            f"got {role!r}",
            where=where,
        )
    year, compares = spec.get("year"), spec.get("compares") or []
    if year is not None and not isinstance(year, int):
        raise InputError(
            f"{label_zh}列“{name}”的 year 须为整数年份",
            f"'year' of column '{name}' in {label_en} must be a year",
            where=where,
        )
    if not isinstance(compares, list) or len(compares) not in (0, 2):
        raise InputError(
            f"{label_zh}列“{name}”的 compares 须为两列：数值列、要求列",
            f"'compares' of column '{name}' in {label_en} must name two columns: value, requirement",
            where=where,
        )
    return ColumnRule(role, year, spec.get("scope"), tuple(str(c) for c in compares))


def apply_table_rule(columns: list[Column], rule: TableRule, where: str) -> list[Column]:
    """The table's columns with the user's roles; keys and verdict links worked out again."""
    mapped = [column.model_copy() for column in columns]
    for name, column_rule in rule.columns.items():
        column = _find(mapped, name, rule, where)
        column.role, column.basis, column.confidence = (
            column_rule.role,
            "mapping",
            CONFIDENCE["mapping"],
        )
        column.year = column_rule.year if column_rule.year is not None else column.year
        column.scope = column_rule.scope if column_rule.scope is not None else column.scope
        if column.role not in ("standard", "verdict"):
            column.scope = None
    assign_keys(mapped)
    link_verdicts(mapped)
    for name, column_rule in rule.columns.items():
        if column_rule.compares:
            column = _find(mapped, name, rule, where)
            column.compares = [
                _find(mapped, other, rule, where).key for other in column_rule.compares
            ]
    return mapped


def _find(columns: list[Column], name: str, rule: TableRule, where: str) -> Column:
    """A column by key, by header (spaces ignored) or by 0-based index."""
    wanted = normalise_header(name)
    for column in columns:
        if column.key == name or normalise_header(column.header) == wanted:
            return column
    if name.isdigit() and int(name) < len(columns):
        return columns[int(name)]
    table = rule.index if rule.index is not None else rule.caption
    raise InputError(
        f"表格 {table} 中没有列“{name}”（可写表头、列键或从0起的列号）",
        f"table {table} has no column '{name}' (give its header, key or 0-based index)",
        where=where,
    )
