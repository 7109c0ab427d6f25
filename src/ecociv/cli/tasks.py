"""``ecociv tasks read``: the key tasks a plan document structures, for review."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from ecociv.errors import InputError


def register(app: typer.Typer) -> None:
    """Add the ``tasks`` group to *app*."""
    group = typer.Typer(help="规划重点任务 / a plan's key tasks", no_args_is_help=True)

    @group.command("read")
    def read(
        path: Annotated[
            Path, typer.Argument(help="规划文件（.docx / Tika 文本 / .xlsx）/ plan file")
        ],
        as_json: Annotated[
            bool, typer.Option("--json", help="输出候选任务 JSON / print the candidates as JSON")
        ] = False,
        plan_id: Annotated[
            int | None, typer.Option("--plan", help="规划编号（--create 时）/ plan id")
        ] = None,
        region_code: Annotated[
            str | None,
            typer.Option("--region", help="规划所属行政区代码（--create 时）/ the plan's region"),
        ] = None,
        create: Annotated[
            bool,
            typer.Option(
                "--create", help="审核后将候选任务全部建立 / create the reviewed candidates"
            ),
        ] = False,
        code_prefix: Annotated[
            str, typer.Option("--code-prefix", help="任务编号前缀 / task code prefix")
        ] = "R",
    ) -> None:
        """从规划的任务分解表和任务章节读出候选任务，供审核；--create 建立 / read candidate
        tasks for review; --create creates them."""
        from ecociv.tasks.plan_read import read_plan_tasks

        if create and (plan_id is None or region_code is None):
            raise InputError(
                "--create 需要 --plan 和 --region", "--create needs --plan and --region"
            )
        if not create and (plan_id is not None or region_code is not None):
            raise InputError(
                "--plan 和 --region 只与 --create 一起使用",
                "--plan and --region go with --create only",
            )
        reading = read_plan_tasks(path)
        if create and plan_id is not None and region_code is not None:
            from ecociv.cli.admin import _actor, _unit_of_work
            from ecociv.tasks.plan_create import create_read_tasks

            with _unit_of_work() as session:
                made = create_read_tasks(
                    session, _actor(), plan_id, region_code, reading, code_prefix
                )
                typer.echo(f"已建立任务 {len(made)} 项 / created {len(made)} tasks")
            return
        if as_json:
            document = {
                "candidates": [
                    {**asdict(c), "where": c.where.model_dump(exclude_none=True)}
                    for c in reading.candidates
                ],
                "findings": [f.model_dump(exclude_none=True) for f in reading.findings],
            }
            typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
            return
        typer.echo(f"候选任务 {len(reading.candidates)} 项 / {len(reading.candidates)} candidates")
        for number, task in enumerate(reading.candidates, start=1):
            units = "、".join(task.lead_units) or "（未写明）"
            helpers = "、".join(task.cooperating_units)
            line = f"{number}. {task.title} ｜ 牵头：{units}"
            if helpers:
                line += f" ｜ 配合：{helpers}"
            if task.deadline_text:
                line += f" ｜ 时限：{task.deadline_text}"
            typer.echo(line)
        for finding in reading.findings:
            where = finding.where
            place = f"第 {where.line_start} 行" if where and where.line_start else ""
            typer.echo(f"! {finding.message_zh} {place}".rstrip())

    app.add_typer(group, name="tasks")
