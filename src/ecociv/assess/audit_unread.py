"""Stated verdicts the audit cannot recompute, reported ``undecided`` with what is missing.

A verdict column that ingest could not link to a value or a requirement column, an answer
(是/否, √/×) standing in a column read as something else, and an answer in a table not read as
an indicator table: each is stated by the plan, so each is a row of the audit, never dropped.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ecociv.assess.answers import answer_status
from ecociv.assess.audit_count import NOT_VERDICT_ROLES, VALUE_ROLES, outcome_of, stated_cells
from ecociv.assess.audit_rows import AuditRow, compare
from ecociv.assess.statuses import make
from ecociv.expr.parse import parse_value
from ecociv.model import Cell, Column, PlanTable, Verdict, VerdictStatus

REQUIREMENT_ROLES = ("standard", "target")


def linked(column: Column, by_key: Mapping[str, Column]) -> tuple[str | None, str | None]:
    """The value and requirement keys a verdict column compares (None where ingest found none)."""
    value = next(
        (k for k in column.compares if by_key.get(k) and by_key[k].role in VALUE_ROLES), None
    )
    requirement = next(
        (k for k in column.compares if by_key.get(k) and by_key[k].role in REQUIREMENT_ROLES), None
    )
    return value, requirement


def unlinked(column: Column, value: str | None, requirement: str | None) -> Verdict:
    missing = []
    if value is None:
        missing.append(
            f"“{column.header}”所判定的数值列 / the value column that '{column.header}' judges"
        )
    if requirement is None:
        missing.append(
            f"“{column.header}”所对照的要求列 / the requirement column that '{column.header}' compares with"
        )
    return make(
        VerdictStatus.NEEDS_REVIEW,
        "表中未找到该结论列对照的列，可用 --columns 指定",
        "the table has no column this verdict column could be compared with",
        missing=missing,
    )


def is_stray_answer(text: str, role: str) -> bool:
    """An answer word where no verdict column is: in a value cell, only when the cell
    language does not read it as a statement (those are audited by ``stated_in_cells``)."""
    if answer_status(text) is None:
        return False
    if role in VALUE_ROLES:
        return outcome_of(parse_value(text).expr) is None
    return role not in NOT_VERDICT_ROLES


def misplaced(header: str, role: str) -> Verdict:
    return make(
        VerdictStatus.NEEDS_REVIEW,
        f"结论写在被读作“{role}”的列（{header}）中，不知其对照的数值和要求",
        f"the verdict stands in a column read as '{role}' ({header}); what it compares is unknown",
        missing=[
            f"“{header}”列的作用（结论列）及其对照的列 / the role of column '{header}' "
            "(a verdict column) and the columns it compares"
        ],
    )


def unread_table_answers(table: PlanTable) -> Iterator[AuditRow]:
    """Answers in a table not read as an indicator table: reported, undecided."""
    for r, c, cell in stated_cells(table):
        status = answer_status(cell.text)
        first = next(
            (x.text.strip() for x in table.rows[r] if isinstance(x, Cell) and x.text.strip()), ""
        )
        verdict = make(
            VerdictStatus.NEEDS_REVIEW,
            "该表未被识别为指标表，无法找到结论对照的数值和要求",
            "the table was not read as an indicator table; what the verdict compares is unknown",
            missing=[
                "表格类型（指标表）及列的作用 / the table kind (indicator) and its column roles"
            ],
        )
        agreement, zh, en = compare(status, verdict, cell.text.strip())
        yield AuditRow(
            table=table.index,
            seq=str(r + 1),
            name=first,
            verdict_column=f"col{c}",
            verdict_header=f"col{c}",
            stated=cell.text.strip(),
            stated_status=status,
            computed_status=verdict.status,
            agreement=agreement,
            reason=zh,
            reason_en=en,
            missing=list(verdict.missing),
            where=cell.where,
        )
