"""Collect the diagnostics that row assembly raises for one table."""

from __future__ import annotations

from dataclasses import dataclass, field

from ecociv.model import Diagnostic, Severity, SourceSpan


@dataclass
class Findings:
    """The diagnostics of table *table*, each with its row, column, location and text."""

    table: int
    items: list[Diagnostic] = field(default_factory=list)

    def add(
        self,
        code: str,
        severity: Severity,
        zh: str,
        en: str,
        *,
        row: int | None,
        where: SourceSpan | None,
        column: str | None = None,
        text: str | None = None,
    ) -> None:
        self.items.append(
            Diagnostic(
                code=code,
                severity=severity,
                message_zh=zh,
                message_en=en,
                where=where,
                table=self.table,
                row=row,
                column=column,
                text=text,
            )
        )
