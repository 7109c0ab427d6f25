"""``ecociv report``: the documents bureaus hand in (``docs/reports.md``).

``ecociv report KIND --region CODE --plan ID --year Y --format docx|xlsx|pdf --out FILE
[--template FILE] [--lang zh|en] [--standard nat2021]`` writes the report and, beside it,
``<name>.narrative.json`` with the editable sections; edit their texts and run again.
``ecociv report-template KIND --out FILE [--lang zh|en]`` copies the default Word template to
start your own from.

(No ``from __future__ import annotations`` here: the help texts name the kinds of the
registry, and typer reads the annotations when the commands are registered.)
"""

import shutil
from pathlib import Path
from typing import Annotated

import typer

from ecociv.errors import InputError


def register(app: typer.Typer) -> None:
    """Add the ``report`` and ``report-template`` commands."""
    from ecociv.report.registry import registry

    kinds = " | ".join(registry().kinds)

    @app.command("report")
    def report(
        kind: Annotated[
            str,
            typer.Argument(help=f"报告类型 / report kind: {kinds}"),
        ],
        plan: Annotated[int, typer.Option("--plan", help="规划编号 / plan id")],
        year: Annotated[int, typer.Option("--year", help="评估年份 / year evaluated")],
        out: Annotated[Path, typer.Option("--out", help="输出文件 / output file")],
        region: Annotated[
            str | None, typer.Option("--region", help="行政区代码（默认规划所属）/ region code")
        ] = None,
        fmt: Annotated[
            str | None,
            typer.Option("--format", help="docx | xlsx | pdf（默认取输出文件扩展名）/ format"),
        ] = None,
        template: Annotated[
            Path | None, typer.Option("--template", help="自定义 Word 模板 / own .docx template")
        ] = None,
        lang: Annotated[str, typer.Option("--lang", help="zh | en")] = "zh",
        standard: Annotated[
            str, typer.Option("--standard", help="对照的标准版本 / standard version")
        ] = "nat2021",
    ) -> None:
        """生成评估报告 / write an evaluation report."""
        from ecociv.cli.admin import _unit_of_work
        from ecociv.report.api import make_report
        from ecociv.report.narrative import sidecar_path

        chosen = fmt or out.suffix.lstrip(".").lower()
        if fmt is not None and out.suffix.lower() not in ("", f".{fmt}"):
            raise InputError(
                f"输出文件扩展名 {out.suffix} 与 --format {fmt} 不一致",
                f"the output's extension {out.suffix} does not match --format {fmt}",
                where=str(out),
            )
        with _unit_of_work() as session:
            made = make_report(
                session,
                kind,
                plan_id=plan,
                region_code=region,
                year=year,
                fmt=chosen,
                out=out,
                template=template,
                lang=lang,
                standard=standard,
            )
            session.rollback()
        typer.echo(f"{out}\n{sidecar_path(out)}\n{made.data_revision}")

    @app.command("report-template")
    def report_template(
        kind: Annotated[str, typer.Argument(help=f"报告类型 / report kind: {kinds}")],
        out: Annotated[Path, typer.Option("--out", help="输出的 .docx / template to write")],
        lang: Annotated[str, typer.Option("--lang", help="zh | en")] = "zh",
    ) -> None:
        """复制默认 Word 模板以便自行修改 / copy the default Word template to edit."""
        from ecociv.report.registry import kind_spec
        from ecociv.report.template_writer import template_path

        kind_spec(kind)
        source = template_path(kind, lang)
        if not source.is_file():
            raise InputError(
                f"没有 {kind} 的 {lang} 模板", f"no {lang} template for {kind}", where=str(source)
            )
        shutil.copyfile(source, out)
        typer.echo(str(out))
