"""Organisation, scheduled jobs and workflow definitions on the command line.

``ecociv department add CODE NAME [--region CODE]`` · ``ecociv department list`` ·
``ecociv department assign USER CODE`` · ``ecociv jobs run [--only NAME] [--now TIME]`` ·
``ecociv jobs list`` · ``ecociv workflow check FILE`` · ``ecociv workflow list``.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from ecociv.cli.admin import _actor, _unit_of_work
from ecociv.errors import InputError

BEIJING = ZoneInfo("Asia/Shanghai")


def register(app: typer.Typer) -> None:
    department = typer.Typer(help="部门 / departments", no_args_is_help=True)
    jobs = typer.Typer(help="定时任务 / scheduled jobs", no_args_is_help=True)
    workflow = typer.Typer(help="流程定义 / workflow definitions", no_args_is_help=True)
    app.add_typer(department, name="department")
    app.add_typer(jobs, name="jobs")
    app.add_typer(workflow, name="workflow")

    @department.command("add")
    def department_add(
        code: Annotated[str, typer.Argument(help="部门代码 / department code")],
        name: Annotated[str, typer.Argument(help="名称 / name")],
        region: Annotated[
            str | None, typer.Option("--region", help="所属行政区代码 / region code")
        ] = None,
    ) -> None:
        """新增部门 / add a department."""
        from ecociv.store.services import departments

        with _unit_of_work() as session:
            departments.create_department(
                session, _actor(), code=code, name=name, region_code=region
            )
        typer.echo(f"已新增部门 {code} {name} / department added")

    @department.command("list")
    def department_list(
        region: Annotated[
            str | None, typer.Option("--region", help="只列此行政区及下级 / this subtree only")
        ] = None,
    ) -> None:
        """列出部门 / list departments."""
        from ecociv.store.services import departments

        with _unit_of_work() as session:
            for row in departments.list_departments(session, region):
                where = row.region.code if row.region is not None else "-"
                typer.echo(f"{row.code}\t{row.name}\t{where}")

    @department.command("assign")
    def department_assign(
        user_name: Annotated[str, typer.Argument(help="用户名 / user name")],
        code: Annotated[
            str, typer.Argument(help="部门代码，- 表示无 / department code, - for none")
        ],
    ) -> None:
        """把用户归入部门 / put a user in a department."""
        from ecociv.store.services import departments

        with _unit_of_work() as session:
            departments.assign_user(session, _actor(), user_name, None if code == "-" else code)
        typer.echo(f"用户 {user_name} 已归入 {code} / user assigned")

    @jobs.command("list")
    def jobs_list() -> None:
        """列出定时任务 / list the scheduled jobs."""
        from ecociv.jobs import registered

        for job in registered().values():
            typer.echo(f"{job.name}\t{job.zh} / {job.en}")

    @jobs.command("run")
    def jobs_run(
        only: Annotated[
            list[str] | None, typer.Option("--only", help="只运行这些任务 / run only these")
        ] = None,
        now: Annotated[
            str | None,
            typer.Option(
                "--now",
                help="按此时间运行（ISO 8601，未注明时区按北京时间）/ run as of this time "
                "(ISO 8601; Beijing time when no offset is given)",
            ),
        ] = None,
    ) -> None:
        """运行定时任务一次（供 cron / systemd 定时调用）/ run the scheduled jobs once."""
        from ecociv.errors import EcocivError
        from ecociv.jobs import registered
        from ecociv.settings import load_settings

        settings = load_settings()
        as_of = _parse_now(now)
        known = registered()
        unknown = sorted(set(only or ()) - set(known))
        if unknown:
            raise InputError(
                f"没有这些定时任务：{'、'.join(unknown)}（现有：{'、'.join(known)}）",
                f"no such job(s): {', '.join(unknown)} (known: {', '.join(known)})",
            )
        lang = os.environ.get("ECOCIV_LANG", "zh")
        failed = 0
        for job in known.values():
            if only and job.name not in only:
                continue
            try:
                with _unit_of_work() as session:
                    zh, en = job.run(session, settings, as_of)
            except EcocivError as exc:
                failed += 1
                typer.echo(f"{job.name}: ✗ {exc.message(lang)}", err=True)
                continue
            typer.echo(f"{job.name}: {zh if lang == 'zh' else en}")
        if failed:
            raise typer.Exit(1)

    @workflow.command("list")
    def workflow_list() -> None:
        """列出随附的流程定义 / list the shipped workflow definitions."""
        from ecociv.workflow import load, names

        for name in names():
            flow = load(name)
            typer.echo(f"{name}\t{flow.definition.title.zh} / {flow.definition.title.en}")

    @workflow.command("check")
    def workflow_check(
        path: Annotated[Path, typer.Argument(help="流程定义文件 / definition file (.yaml)")],
    ) -> None:
        """检查一个流程定义文件 / check a workflow definition file."""
        from ecociv.workflow import load_file

        flow = load_file(path)
        definition = flow.definition
        typer.echo(
            f"流程定义有效：{definition.title.zh}，{len(definition.states)} 个状态，"
            f"{len(definition.transitions)} 个流转 / the definition is valid"
        )


def _parse_now(text: str | None) -> datetime:
    if text is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"--now 的时间格式不正确：{text}（应为 ISO 8601，如 2026-12-31T09:00+08:00）",
            f"--now is not an ISO 8601 time: {text} (e.g. 2026-12-31T09:00+08:00)",
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=BEIJING)
