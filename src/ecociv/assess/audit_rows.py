"""The rows and report of ``ecociv audit`` (``docs/audit-json.md``), and how a stated verdict
is read and compared with the recomputed one."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from ecociv.assess.answers import answer_status
from ecociv.assess.audit_count import TableCount
from ecociv.assess.statuses import MET, NOT_APPLICABLE, NOT_MET
from ecociv.expr import ast
from ecociv.expr.parse import parse_value
from ecociv.model import SourceSpan, Verdict, VerdictStatus

Agreement = Literal["agree", "disagree", "undecided"]
DECIDED = (MET, NOT_MET, NOT_APPLICABLE)


class AuditRow(BaseModel):
    """One stated verdict, recomputed."""

    model_config = ConfigDict(extra="forbid")

    table: int
    seq: str
    name: str
    verdict_column: str
    verdict_header: str
    stated: str
    stated_status: VerdictStatus | None
    computed_status: VerdictStatus
    agreement: Agreement
    reason: str
    reason_en: str
    value: str | None = None
    requirement: str | None = None
    missing: list[str] = []
    where: SourceSpan | None = None


class AuditSummary(BaseModel):
    model_config = ConfigDict(extra="forbid")

    agree: int
    disagree: int
    undecided: int


class AuditReport(BaseModel):
    """Every audited verdict of a plan and the counts (``docs/audit-json.md``)."""

    model_config = ConfigDict(extra="forbid")

    source: str
    rows: list[AuditRow]
    summary: AuditSummary
    tables: list[TableCount] = []


def stated_status(text: str) -> VerdictStatus | None:
    """The status a verdict cell states: 完成/达标/是 → met, 未完成/未达标/否 → not met, “—” →
    not applicable; None when the cell says something else."""
    answer = answer_status(text)
    if answer is not None:
        return answer
    expr = parse_value(text).expr
    while isinstance(expr, (ast.Named, ast.Annotated)):
        expr = expr.expr
    if isinstance(expr, ast.Achievement):
        return _outcome_status(expr)
    if isinstance(expr, ast.NotApplicable):
        return NOT_APPLICABLE
    return None


def _outcome_status(outcome: ast.Achievement) -> VerdictStatus:
    if outcome.met is None:
        return MET if (outcome.share or 0) >= 100 else NOT_MET
    return MET if outcome.met else NOT_MET


def compare(
    stated: VerdictStatus | None, computed: Verdict, stated_text: str
) -> tuple[Agreement, str, str]:
    if stated is None:
        return (
            "undecided",
            f"所述结论“{stated_text}”无法识别；重算：{computed.reason_zh}",
            f"the stated verdict '{stated_text}' is not recognised; recomputed: {computed.reason_en}",
        )
    if computed.status not in DECIDED:
        missing = "；".join(computed.missing)
        return (
            "undecided",
            f"无法独立核算（{computed.status.zh}）：{computed.reason_zh}"
            + (f"；缺少：{missing}" if missing else ""),
            f"cannot be recomputed ({computed.status.value}): {computed.reason_en}"
            + (f"; missing: {missing}" if missing else ""),
        )
    if computed.status is stated:
        return "agree", f"一致：{computed.reason_zh}", f"agrees: {computed.reason_en}"
    return (
        "disagree",
        f"所述“{stated_text}”（{stated.zh}）；重算为{computed.status.zh}：{computed.reason_zh}",
        f"stated '{stated_text}' ({stated.value}); recomputed {computed.status.value}: {computed.reason_en}",
    )
