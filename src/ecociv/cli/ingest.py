"""``ecociv ingest PATH [--json] [--report] [--lang zh|en] [--no-exprs] [--columns MAP.yaml]``:
read a plan document (with the user's column roles, when given)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ecociv.errors import InputError


def register(app: typer.Typer) -> None:
    """Add ``ingest`` to *app*."""

    @app.command()
    def ingest(
        path: Annotated[
            Path, typer.Argument(help="规划文件（.docx / Tika 文本 / .xlsx）/ plan file")
        ],
        as_json: Annotated[
            bool, typer.Option("--json", help="输出解析后的规划 JSON / print the plan as JSON")
        ] = False,
        report: Annotated[
            bool, typer.Option("--report", help="输出导入报告 / print the ingest report")
        ] = False,
        lang: Annotated[
            str, typer.Option("--lang", help="报告语言 zh|en / report language")
        ] = "zh",
        exprs: Annotated[
            bool,
            typer.Option(
                "--exprs/--no-exprs",
                help="解析指标值单元格（默认）；--no-exprs 更快 / parse value cells (default)",
            ),
        ] = True,
        columns: Annotated[
            Path | None,
            typer.Option(
                "--columns",
                help="列作用映射文件（YAML），纠正读错的表格 / column roles (YAML) to correct a table",
            ),
        ] = None,
    ) -> None:
        """读取规划文件，识别指标表、项目表与专栏 / read a plan, classify its tables."""
        from rich.console import Console

        from ecociv.ingest.api import load_plan
        from ecociv.ingest.report import render_report

        if lang not in ("zh", "en"):
            raise InputError(
                f"--lang 只能是 zh 或 en，收到 {lang!r}",
                f"--lang must be zh or en, got {lang!r}",
            )
        plan = load_plan(path, exprs=exprs, columns=columns)
        if as_json:
            typer.echo(plan.model_dump_json(indent=2))
        if report or not as_json:
            # beside --json the report goes to stderr, so stdout stays one JSON document
            render_report(plan, lang, Console(stderr=as_json))
