"""How many verdicts each table states, counted from its cells (the audit's ``stated``).

The audit finds verdicts through the column roles ingest gave a table; this count reads the
cells themselves, so that a verdict the audit missed shows up as ``found < stated``:

* every filled cell of a verdict column;
* every answer (是/否, √/×, 已完成/未完成 …, :mod:`ecociv.assess.answers`) in any other
  column but the name, 序号 and group columns;
* every stated outcome inside a baseline or value cell (``①79.5%，未完成上级规定的考核任务``:
  one per item), an action reported done (完成河道划界任务) excepted;
* in a table not read as an indicator table, every answer cell.

A cell split among sub-items is counted on each sub-item; a cell they share, once.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from ecociv.assess.answers import answer_status
from ecociv.expr import ast
from ecociv.expr.parse import parse_value
from ecociv.model import Cell, IndicatorRow, Plan, PlanTable

NOT_VERDICT_ROLES = frozenset({"name", "seq", "domain", "task"})
#: columns whose cells may state an outcome (``①79.5%，未完成…``)
VALUE_ROLES = ("baseline", "value")


class TableCount(BaseModel):
    """One table's stated verdicts against the audit rows found for it."""

    model_config = ConfigDict(extra="forbid")

    table: int
    kind: str
    caption: str | None = None
    stated: int
    found: int
    agree: int
    disagree: int
    undecided: int


class _Row(Protocol):
    """What the count needs of an audit row (``ecociv.assess.audit_rows.AuditRow``)."""

    @property
    def table(self) -> int: ...

    @property
    def agreement(self) -> str: ...


def outcome_of(part: ast.Expr) -> ast.Achievement | None:
    """The stated verdict of a value part; an action reported done (完成河道划界任务: the
    outcome *of a milestone*) is a fact, not a verdict on a requirement, and gives None."""
    while isinstance(part, (ast.Named, ast.Annotated)):
        part = part.expr
    outcome = part.verdict if isinstance(part, ast.Statement) else part
    if not isinstance(outcome, ast.Achievement) or isinstance(outcome.of, ast.Milestone):
        return None
    return outcome


def statements_in(text: str, role: str) -> int:
    """How many verdicts one cell of a column of *role* states."""
    if not text.strip() or role in NOT_VERDICT_ROLES:
        return 0
    if role == "verdict":
        return 1
    if role in VALUE_ROLES:
        parsed = parse_value(text).expr
        parts = parsed.items if isinstance(parsed, ast.Items) else (("", parsed),)
        found = sum(1 for _label, part in parts if outcome_of(part) is not None)
        if found:
            return found
    return 1 if answer_status(text) is not None else 0


def _indicator_cells(row: IndicatorRow) -> Iterator[tuple[str, str]]:
    """(column key, text) of every cell that states for itself: shared cells once."""
    for key, cell in row.cells.items():
        shared = all(key not in i.cells or i.cells[key].text == cell.text for i in row.subitems)
        if shared:
            yield key, cell.text
    for item in row.subitems:
        for key, cell in item.cells.items():
            if key not in row.cells or row.cells[key].text != cell.text:
                yield key, cell.text


def stated_cells(table: PlanTable) -> Iterator[tuple[int, int, Cell]]:
    """(row, column, cell) of every answer cell of a table kept as rows of cells."""
    for r, row in enumerate(table.rows):
        if isinstance(row, list):
            for c, cell in enumerate(row):
                if answer_status(cell.text) is not None:
                    yield r, c, cell


def count_stated(table: PlanTable) -> int:
    """The verdicts *table* states (module docstring)."""
    if table.kind not in ("indicator", "review"):
        return sum(1 for _ in stated_cells(table))
    roles = {c.key: c.role for c in table.columns}
    return sum(
        statements_in(text, roles.get(key, "other"))
        for row in table.rows
        if isinstance(row, IndicatorRow)
        for key, text in _indicator_cells(row)
    )


def table_counts(plan: Plan, rows: Sequence[_Row]) -> list[TableCount]:
    """Per indicator or review table, and per other table stating verdicts: stated and found."""
    counts = []
    for table in plan.tables:
        stated = count_stated(table)
        if table.kind not in ("indicator", "review") and not stated:
            continue
        mine = [r for r in rows if r.table == table.index]
        counts.append(
            TableCount(
                table=table.index,
                kind=table.kind,
                caption=table.caption,
                stated=stated,
                found=len(mine),
                agree=sum(r.agreement == "agree" for r in mine),
                disagree=sum(r.agreement == "disagree" for r in mine),
                undecided=sum(r.agreement == "undecided" for r in mine),
            )
        )
    return counts
