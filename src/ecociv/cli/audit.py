"""``ecociv audit PATH [--json] [--lang zh|en] [--given FILE]``: recompute a plan's own verdicts.

The plan is read through ``ecociv.ingest.api.load_plan``; every stated verdict (verdict
columns, and verdicts written inside value cells) is recomputed by ``ecociv.assess.audit``
and shown as agree / disagree / undecided.  ``--given`` adds what a plan does not contain
(region classes, quotas from above, reference values), as YAML (``docs/audit-json.md``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ecociv.errors import InputError

_HEADERS = {
    "zh": ("表", "序号", "指标", "判定来源", "所述", "所述状态", "重算状态", "一致性", "理由"),
    "en": (
        "table",
        "seq",
        "indicator",
        "verdict of",
        "stated",
        "stated",
        "computed",
        "agreement",
        "reason",
    ),
}
_AGREEMENT = {
    "zh": {"agree": "一致", "disagree": "不一致", "undecided": "无法判定"},
    "en": {"agree": "agree", "disagree": "disagree", "undecided": "undecided"},
}
_STYLE = {"agree": "green", "disagree": "bold red", "undecided": "yellow"}


def read_given(path: Path) -> Any:
    """The ``--given`` YAML as :class:`ecociv.assess.audit.AuditInputs` (bilingual errors)."""
    import yaml

    from ecociv.assess.audit import AuditInputs

    try:
        raw = yaml.safe_load(path.read_text("utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(
            f"无法读取 --given 文件：{exc}", f"cannot read the --given file: {exc}", where=str(path)
        ) from None
    allowed = {"classes", "coastal", "quotas", "references"}
    if not isinstance(raw, dict) or set(raw) - allowed:
        raise InputError(
            f"--given 文件只能包含 {sorted(allowed)}",
            f"the --given file may only hold {sorted(allowed)}",
            where=str(path),
        )
    try:
        return AuditInputs(
            classes={str(k): str(v) for k, v in (raw.get("classes") or {}).items()},
            coastal=raw.get("coastal"),
            quotas={str(k): float(v) for k, v in (raw.get("quotas") or {}).items()},
            references={str(k): float(v) for k, v in (raw.get("references") or {}).items()},
        )
    except (TypeError, ValueError, AttributeError) as exc:
        raise InputError(
            f"--given 文件中的数值无效：{exc}",
            f"a value in the --given file is invalid: {exc}",
            where=str(path),
        ) from None


def render_audit(report: Any, lang: str) -> None:
    """The audit as a table a reviewer can read, with the counts below it."""
    from rich.console import Console
    from rich.table import Table

    headers = _HEADERS[lang]
    table = Table(title=f"{'核对' if lang == 'zh' else 'audit'}: {report.source}", show_lines=True)
    for header in headers:
        table.add_column(header, overflow="fold")
    for row in report.rows:
        stated = (
            row.stated_status.zh
            if lang == "zh" and row.stated_status
            else (row.stated_status.value if row.stated_status else "?")
        )
        computed = row.computed_status.zh if lang == "zh" else row.computed_status.value
        table.add_row(
            str(row.table),
            row.seq,
            row.name,
            row.verdict_column,
            row.stated,
            stated,
            computed,
            f"[{_STYLE[row.agreement]}]{_AGREEMENT[lang][row.agreement]}[/]",
            row.reason if lang == "zh" else row.reason_en,
        )
    console = Console()
    console.print(table)
    s = report.summary
    names = _AGREEMENT[lang]
    console.print(
        f"{names['agree']} {s.agree} · {names['disagree']} {s.disagree} · {names['undecided']} {s.undecided}"
    )
    for count in report.tables:
        label = "表" if lang == "zh" else "table"
        stated, found = ("所述结论", "已核对") if lang == "zh" else ("stated", "found")
        mark = "" if count.found == count.stated else " ≠"
        console.print(
            f"{label} {count.table}: {stated} {count.stated} · {found} {count.found}{mark}"
        )


def register(app: typer.Typer) -> None:
    """Add ``audit`` to *app*."""

    @app.command()
    def audit(
        path: Annotated[
            Path, typer.Argument(help="规划文件（.docx / Tika 文本 / .xlsx）/ plan file")
        ],
        as_json: Annotated[bool, typer.Option("--json", help="输出 JSON / print JSON")] = False,
        lang: Annotated[str, typer.Option("--lang", help="语言 zh|en / language")] = "zh",
        given: Annotated[
            Path | None,
            typer.Option(
                "--given", help="补充的类别、上级下达目标、参照值（YAML）/ extra facts (YAML)"
            ),
        ] = None,
        columns: Annotated[
            Path | None,
            typer.Option("--columns", help="列作用映射文件（YAML）/ column roles (YAML)"),
        ] = None,
    ) -> None:
        """重新核算规划自述的达标/完成结论 / recompute the verdicts a plan states."""
        from ecociv.assess.audit import audit_plan
        from ecociv.ingest.api import load_plan

        if lang not in ("zh", "en"):
            raise InputError(
                f"--lang 只能是 zh 或 en，收到 {lang!r}", f"--lang must be zh or en, got {lang!r}"
            )
        inputs = read_given(given) if given is not None else None
        report = audit_plan(load_plan(path, columns=columns), inputs)
        if as_json:
            typer.echo(report.model_dump_json(indent=2))
        else:
            render_audit(report, lang)
