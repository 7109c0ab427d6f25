"""``ecociv tasks read``: the key tasks a plan document structures, for review."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer


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
    ) -> None:
        """从规划的任务分解表和任务章节读出候选任务，供审核 / read candidate tasks for review."""
        from ecociv.tasks.plan_read import read_plan_tasks

        reading = read_plan_tasks(path)
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
