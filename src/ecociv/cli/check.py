"""``ecociv check PATH [--json] [--lang zh|en] [--accepted FILE]``: contradictions in a plan.

Exit codes: 0 when no finding of severity ``error`` is shown, 1 when at least one is,
2 for bad input (as every ecociv command).  ``--accepted`` names a file of finding ids a
reviewer accepted as is (one per line, ``#`` comments; or the JSON of an earlier run); those
findings are hidden.  The JSON form is ``docs/check-json.md``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated

import typer

from ecociv.check.findings import CheckReport
from ecociv.errors import InputError

_SEVERITY = {
    "zh": {"error": "错误", "warning": "警告", "note": "提示"},
    "en": {"error": "error", "warning": "warning", "note": "note"},
}


def check_file(path: str | Path, *, accepted: Iterable[str] = ()) -> CheckReport:
    """Read the plan at *path* (.docx, .xlsx or Tika text) with ``ecociv.ingest`` and check it."""
    from ecociv.check import prose_lines, report
    from ecociv.ingest.api import plan_from_document, read_document

    document = read_document(path)
    return report(plan_from_document(document), prose_lines(document), accepted=accepted)


def read_accepted(path: Path) -> list[str]:
    """Finding ids from *path*: one id per line, or the JSON of an earlier ``--json`` run."""
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise InputError(
            f"无法读取 --accepted 文件：{exc}",
            f"cannot read the --accepted file: {exc}",
            where=str(path),
        ) from None
    if text.lstrip().startswith("{"):
        try:
            return [item["id"] for item in json.loads(text)["findings"]]
        except (ValueError, KeyError, TypeError):
            raise InputError(
                "--accepted 文件不是 ecociv check --json 的输出",
                "the --accepted file is not the output of ecociv check --json",
                where=str(path),
            ) from None
    return [
        line.split("#", 1)[0].strip() for line in text.splitlines() if line.split("#", 1)[0].strip()
    ]


def _where(location) -> str:
    parts = []
    if location.caption:
        parts.append(location.caption.strip())
    if location.seq:
        parts.append(f"#{location.seq}")
    elif location.name:
        parts.append(location.name[:20])
    if location.column:
        parts.append(location.column)
    elif location.text:
        parts.append(f"“{location.text[:40]}”")
    if location.line_start is not None:
        end = (
            f"-{location.line_end}" if location.line_end not in (None, location.line_start) else ""
        )
        parts.append(f"L{location.line_start}{end}")
    return " ".join(parts)


def render(report, lang: str) -> None:
    """One block per finding: severity, kind, message, places, cause, suggestion."""
    labels = _SEVERITY[lang]
    for item in report.findings:
        message = item.message_zh if lang == "zh" else item.message_en
        typer.echo(f"[{labels[item.severity]}] {item.kind} {item.id}")
        typer.echo(f"  {message}")
        for location in item.locations:
            typer.echo(f"    @ {_where(location)}")
        cause = item.cause_zh if lang == "zh" else item.cause_en
        if cause:
            typer.echo(f"  {'可能原因' if lang == 'zh' else 'likely cause'}: {cause}")
        typer.echo(
            f"  {'建议' if lang == 'zh' else 'fix'}: {item.suggestion_zh if lang == 'zh' else item.suggestion_en}"
        )
    counts = report.counts
    if lang == "zh":
        typer.echo(
            f"共 {len(report.findings)} 项：错误 {counts['error']}，警告 {counts['warning']}，提示 {counts['note']}；已接受 {len(report.accepted)} 项"
        )
    else:
        typer.echo(
            f"{len(report.findings)} findings: {counts['error']} errors, {counts['warning']} warnings, "
            f"{counts['note']} notes; {len(report.accepted)} accepted ids"
        )


def register(app: typer.Typer) -> None:
    @app.command("check")
    def check(
        path: Annotated[
            Path, typer.Argument(help="规划文件（.docx / .xlsx / Tika 文本）/ the plan file")
        ],
        as_json: Annotated[bool, typer.Option("--json", help="输出 JSON / print JSON")] = False,
        lang: Annotated[str, typer.Option("--lang", help="zh | en")] = "zh",
        accepted: Annotated[
            Path | None, typer.Option("--accepted", help="已接受的发现编号 / ids accepted as is")
        ] = None,
    ) -> None:
        """核查规划中的矛盾 / find contradictions in a plan before it is published."""
        if lang not in _SEVERITY:
            raise InputError("--lang 只能是 zh 或 en", "--lang must be zh or en")
        ids = read_accepted(accepted) if accepted is not None else []
        report = check_file(path, accepted=ids)
        if as_json:
            typer.echo(report.model_dump_json(indent=2))
        else:
            render(report, lang)
        raise typer.Exit(1 if report.counts["error"] else 0)
