"""Audit a plan's own verdicts: recompute each stated 是否达标 / 完成情况 and compare.

Two kinds of stated verdicts are audited (``docs/audit-json.md``):

* **verdict columns** (是否达到国家要求, 是否完成, 完成情况, 是否达标 …): ingest records in
  ``Column.compares`` the value column and the requirement column a verdict column judges;
  the audit parses both cells and asks the verdict engine;
* **verdicts inside value cells** (``①79.5%，未完成上级规定的考核任务``): the requirement is
  what the statement names (上级规定的考核任务), else the row's standard column; the value is
  the cell with its stated verdict removed, so the audit never reads its answer from the
  statement it checks.

Each row is ``agree``, ``disagree`` (both reasons shown) or ``undecided`` (the engine cannot
decide; what is missing is named).  No stated verdict is dropped: a verdict column that
ingest could not link to its value or requirement, an answer (是/否/√/×) standing in a
column read as something else, or an answer in a table not read as an indicator table is
an ``undecided`` row naming what is missing.  Per table the report gives the verdicts the
table states (counted from its cells, :mod:`ecociv.assess.audit_count`) beside the rows
found, so ``found = stated`` can be checked.  No I/O here: the caller loads the plan.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace

from ecociv.assess.audit_count import outcome_of, table_counts
from ecociv.assess.audit_rows import (
    AuditReport,
    AuditRow,
    AuditSummary,
    compare,
    stated_status,
)
from ecociv.assess.audit_unread import (
    VALUE_ROLES,
    is_stray_answer,
    linked,
    misplaced,
    unlinked,
    unread_table_answers,
)
from ecociv.assess.context import Context
from ecociv.assess.statuses import NO_DATA, make
from ecociv.assess.values import number_of
from ecociv.assess.verdict import evaluate
from ecociv.expr import ast
from ecociv.expr.parse import parse, parse_value
from ecociv.expr.render import render
from ecociv.model import (
    Column,
    IndicatorRow,
    Plan,
    PlanTable,
    SourceSpan,
    Verdict,
    VerdictStatus,
)

__all__ = ["AuditInputs", "AuditReport", "AuditRow", "AuditSummary", "audit_plan", "stated_status"]


@dataclass(frozen=True)
class AuditInputs:
    """Facts a reviewer may add: region classes, quotas from above and reference values by
    indicator name (a plan does not contain them)."""

    classes: Mapping[str, str] = field(default_factory=dict)
    coastal: bool | None = None
    quotas: Mapping[str, float] = field(default_factory=dict)
    references: Mapping[str, float] = field(default_factory=dict)


def region_level(region: str | None) -> str | None:
    """市 or 县 from a region's name: a 区, 县, 旗 or 县级市 inside a city is county-level."""
    if not region:
        return None
    if region.endswith(("区", "县", "旗")):
        return "县"
    return "市" if region.endswith("市") else None


def audit_plan(plan: Plan, inputs: AuditInputs | None = None) -> AuditReport:
    """Recompute every verdict the plan states and compare (module docstring)."""
    inputs = inputs or AuditInputs()
    classes = dict(inputs.classes)
    level = region_level(plan.metadata.region)
    if level and "level" not in classes:
        classes["level"] = level
    base = Context(
        classes=classes,
        coastal=inputs.coastal,
        base_year=plan.metadata.base_year,
        references=dict(inputs.references),
    )
    rows: list[AuditRow] = []
    for table in plan.tables:
        if table.kind in ("indicator", "review"):
            auditor = _TableAudit(table, base, inputs.quotas)
            rows.extend(auditor.verdict_columns())
            rows.extend(auditor.stated_in_cells())
            rows.extend(auditor.stray_answers())
        else:
            rows.extend(unread_table_answers(table))
    counts = {
        a: sum(1 for r in rows if r.agreement == a) for a in ("agree", "disagree", "undecided")
    }
    return AuditReport(
        source=plan.source.path,
        rows=rows,
        summary=AuditSummary(**counts),
        tables=table_counts(plan, rows),
    )


class _TableAudit:
    """The audit of one table: its verdict columns and the verdicts inside its value cells."""

    def __init__(self, table: PlanTable, base: Context, quotas: Mapping[str, float]) -> None:
        self.table = table
        self.base = base
        self.quotas = quotas
        self.by_key: dict[str, Column] = {c.key: c for c in table.columns}

    def _rows(self) -> Iterator[tuple[str, IndicatorRow]]:
        for position, row in enumerate(self.table.rows, start=1):
            if isinstance(row, IndicatorRow):
                yield row.seq or str(position), row

    def _context(self, row: IndicatorRow, year: int | None) -> Context:
        series: dict[int, float] = {}
        for key, cell in row.cells.items():
            column = self.by_key.get(key)
            if column is not None and column.role in VALUE_ROLES and column.year is not None:
                number = number_of(parse_value(cell.text).expr)
                if number is not None:
                    series[column.year] = number
        context = replace(
            self.base, unit=row.unit, year=year, series=series, quota=self.quotas.get(row.name)
        )
        return context.with_direction_of(row.name)

    def _row(
        self,
        seq: str,
        row: IndicatorRow,
        column: str,
        stated: str,
        computed: Verdict,
        value: str | None,
        requirement: str | None,
        where: SourceSpan | None,
    ) -> AuditRow:
        status = stated_status(stated)
        agreement, zh, en = compare(status, computed, stated)
        return AuditRow(
            table=self.table.index,
            seq=seq,
            name=row.name,
            verdict_column=column,
            verdict_header=self.by_key[column].header if column in self.by_key else column,
            stated=stated,
            stated_status=status,
            computed_status=computed.status,
            agreement=agreement,
            reason=zh,
            reason_en=en,
            value=value,
            requirement=requirement,
            missing=list(computed.missing),
            where=where,
        )

    def _leaves(self, key: str) -> Iterator[tuple[str, IndicatorRow]]:
        """The rows that state their own verdict in column *key*: a row, or its sub-items when
        the verdict cell is split among them."""
        for seq, row in self._rows():
            cell = row.cells.get(key)
            if row.subitems and cell is not None and not _shared_by_items(row, key, cell.text):
                for position, item in enumerate(row.subitems, start=1):
                    yield item.seq or f"{seq}.{position}", item
            else:
                yield seq, row

    def verdict_columns(self) -> Iterator[AuditRow]:
        for column in self.table.columns:
            if column.role != "verdict":
                continue
            value_key, requirement_key = linked(column, self.by_key)
            year = self.by_key[value_key].year if value_key in self.by_key else None
            for seq, row in self._leaves(column.key):
                stated = row.cells.get(column.key)
                if stated is None or not stated.text.strip():
                    continue
                value_cell = row.cells.get(value_key) if value_key else None
                requirement_cell = row.cells.get(requirement_key) if requirement_key else None
                value_text = value_cell.text if value_cell else None
                requirement_text = requirement_cell.text if requirement_cell else None
                if value_key is None or requirement_key is None:
                    computed = unlinked(column, value_key, requirement_key)
                elif requirement_text is None:
                    computed = make(
                        VerdictStatus.NEEDS_REVIEW,
                        "缺少要求列的内容",
                        "the requirement cell is empty",
                        missing=["要求 / requirement"],
                    )
                else:
                    value = parse_value(value_text).expr if value_text else None
                    computed = evaluate(
                        parse(requirement_text).expr, value, self._context(row, year)
                    )
                yield self._row(
                    seq,
                    row,
                    column.key,
                    stated.text.strip(),
                    computed,
                    value_text,
                    requirement_text,
                    stated.where,
                )

    def stray_answers(self) -> Iterator[AuditRow]:
        """Answers (是/否, √/×) in a column that ingest did not read as a verdict column and
        that no value statement covers: stated, so reported, but undecided."""
        for seq, row in self._rows():
            for item_seq, leaf in [(seq, row)] + [
                (i.seq or f"{seq}.{n}", i) for n, i in enumerate(row.subitems, start=1)
            ]:
                for key, cell in leaf.cells.items():
                    column = self.by_key.get(key)
                    role = column.role if column is not None else "other"
                    if role == "verdict" or not is_stray_answer(cell.text, role):
                        continue
                    if leaf is not row and key in row.cells and row.cells[key].text == cell.text:
                        continue  # a parent cell shared by the sub-items: reported on the parent
                    yield self._row(
                        item_seq,
                        leaf,
                        key,
                        cell.text.strip(),
                        misplaced(column.header if column else key, role),
                        None,
                        None,
                        cell.where,
                    )

    def stated_in_cells(self) -> Iterator[AuditRow]:
        """Verdicts inside value cells; a cell shared by all sub-items is audited once, on
        the parent row, and a sub-item's own cell on the sub-item."""
        for seq, row in self._rows():
            shared = {k for k, c in row.cells.items() if _shared_by_items(row, k, c.text)}
            yield from self._cell_statements(seq, row, keys=shared if row.subitems else None)
            for position, item in enumerate(row.subitems, start=1):
                own = {k for k in item.cells if k not in shared}
                yield from self._cell_statements(item.seq or f"{seq}.{position}", item, keys=own)

    def _cell_statements(
        self, seq: str, row: IndicatorRow, keys: set[str] | None
    ) -> Iterator[AuditRow]:
        requirement_cell = next(
            (
                row.cells[k]
                for k, c in self.by_key.items()
                if c.role == "standard" and k in row.cells
            ),
            None,
        )
        for key, cell in row.cells.items():
            column = self.by_key.get(key)
            if (
                column is None
                or column.role not in VALUE_ROLES
                or (keys is not None and key not in keys)
            ):
                continue
            parsed = parse_value(cell.text).expr
            pairs = parsed.items if isinstance(parsed, ast.Items) else (("", parsed),)
            for label, part in pairs:
                outcome = outcome_of(part)
                if outcome is None:
                    continue
                requirement = outcome.of
                requirement_text = None
                if requirement is None and requirement_cell is not None:
                    requirement = _item(parse(requirement_cell.text).expr, label)
                    requirement_text = requirement_cell.text
                value = _without_outcome(part)
                context = self._context(row, column.year)
                if requirement is None:
                    computed = make(
                        VerdictStatus.NEEDS_REVIEW,
                        "所述结论未说明针对的要求",
                        "the statement names no requirement",
                        missing=["要求 / requirement"],
                    )
                elif value is None:
                    computed = make(
                        NO_DATA,
                        "单元格只写了结论，没有可核算的数值",
                        "the cell states only the outcome, no figure to recompute from",
                        missing=["现状数值 / the value"],
                    )
                else:
                    computed = evaluate(requirement, value, context)
                yield self._row(
                    seq + label if label and label not in seq else seq,
                    row,
                    key,
                    _render_outcome(outcome),
                    computed,
                    cell.text,
                    requirement_text,
                    cell.where,
                )


def _shared_by_items(row: IndicatorRow, key: str, text: str) -> bool:
    """Whether a parent cell is not split over the sub-items (each repeats it or lacks it)."""
    return all(key not in item.cells or item.cells[key].text == text for item in row.subitems)


def _without_outcome(part: ast.Expr) -> ast.Expr | None:
    while isinstance(part, (ast.Named, ast.Annotated)) and not isinstance(part.expr, ast.Statement):
        part = part.expr
    if isinstance(part, ast.Named) and isinstance(part.expr, ast.Statement):
        part = part.expr
    if isinstance(part, ast.Statement):
        if part.actual is None and part.target is None:
            return None
        return ast.Statement(part.actual, part.target, None)
    return None


def _item(requirement: ast.Expr, label: str) -> ast.Expr:
    if label and isinstance(requirement, ast.Items):
        return dict(requirement.items).get(label, requirement)
    return requirement


def _render_outcome(outcome: ast.Achievement) -> str:
    return render(outcome)
