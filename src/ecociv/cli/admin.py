"""Administration commands: database, users, tokens, regions, plans, export and import.

``ecociv db upgrade`` · ``ecociv user add NAME --role … [--region CODE] --password-stdin`` ·
``ecociv token create USER`` · ``ecociv token revoke USER LABEL`` · ``ecociv region add CODE NAME --level …`` ·
``ecociv plan import PATH --region CODE`` · ``ecociv export REGION [--out DIR]`` ·
``ecociv import FILE``.  Each command is one unit of work on ``ECOCIV_DATABASE_URL`` (default:
the SQLite file in ``ECOCIV_DATA_DIR``) and acts as ``cli:<login name>`` in the audit log.
"""

from __future__ import annotations

import getpass
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ecociv.errors import InputError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

RegionOption = Annotated[str | None, typer.Option("--region", help="行政区代码 / region code")]


def register(app: typer.Typer) -> None:
    """Add the ``db``, ``user``, ``token``, ``region``, ``plan``, ``export`` and ``import`` commands."""
    db = typer.Typer(help="数据库 / database", no_args_is_help=True)
    user = typer.Typer(help="用户 / users", no_args_is_help=True)
    token = typer.Typer(help="API 令牌 / API tokens", no_args_is_help=True)
    region = typer.Typer(help="行政区 / regions", no_args_is_help=True)
    plan = typer.Typer(help="规划 / plans", no_args_is_help=True)
    app.add_typer(db, name="db")
    app.add_typer(user, name="user")
    app.add_typer(token, name="token")
    app.add_typer(region, name="region")
    app.add_typer(plan, name="plan")

    @db.command("upgrade")
    def db_upgrade() -> None:
        """迁移数据库到最新结构并载入标准 / migrate the database and load the standards."""
        from ecociv.settings import load_settings
        from ecociv.store.db import upgrade
        from ecociv.store.services.standards import sync_standards

        settings = load_settings()
        upgrade(settings.database_url)
        with _unit_of_work() as session:
            loaded = sync_standards(session, _actor())
        typer.echo(
            f"数据库已是最新结构；标准 {len(loaded)} 版 / database at head; {len(loaded)} standards"
        )

    @user.command("add")
    def user_add(
        name: Annotated[str, typer.Argument(help="用户名 / user name")],
        role: Annotated[
            str,
            typer.Option("--role", help="admin | editor | filler | reviewer | approver | viewer"),
        ],
        region_code: RegionOption = None,
        password_stdin: Annotated[
            bool,
            typer.Option(
                "--password-stdin", help="从标准输入读取密码 / read the password from stdin"
            ),
        ] = False,
    ) -> None:
        """新建用户 / add a user (without --password-stdin: API tokens only)."""
        from ecociv.store.services import users

        password = _read_password() if password_stdin else None
        with _unit_of_work() as session:
            made = users.create_user(
                session, _actor(), name=name, password=password, role=role, region_code=region_code
            )
            scope = f"，可编辑 {made.region.code} 及下级" if made.region is not None else ""
        typer.echo(f"已新建用户 {name}（{role}{scope}）/ user {name} added")

    @token.command("create")
    def token_create(
        user_name: Annotated[str, typer.Argument(help="令牌所属用户 / the user the token acts as")],
        label: Annotated[str | None, typer.Option("--label", help="令牌名称 / token label")] = None,
    ) -> None:
        """新建 API 令牌，只显示一次 / create an API token; it is printed once."""
        from ecociv.store.services import users

        label = label or datetime.now(UTC).strftime("token-%Y%m%d%H%M%S")
        with _unit_of_work() as session:
            _, secret = users.create_token(session, _actor(), user_name=user_name, token_name=label)
        typer.echo(secret)
        typer.echo(
            f"令牌 {label} 只显示这一次，请妥善保存 / token {label} is shown only this once",
            err=True,
        )

    @token.command("revoke")
    def token_revoke(
        user_name: Annotated[str, typer.Argument(help="令牌所属用户 / the token's user")],
        label: Annotated[str, typer.Argument(help="令牌名称 / token label")],
    ) -> None:
        """撤销 API 令牌 / revoke an API token."""
        from ecociv.store.services import users

        with _unit_of_work() as session:
            users.revoke_token(session, _actor(), user_name=user_name, token_name=label)
        typer.echo(f"令牌 {user_name}/{label} 已撤销 / token revoked")

    @region.command("add")
    def region_add(
        code: Annotated[str, typer.Argument(help="行政区代码，如 330106 / region code")],
        name: Annotated[str, typer.Argument(help="名称 / name")],
        level: Annotated[str, typer.Option("--level", help="province | city | county | town")],
        parent: Annotated[
            str | None, typer.Option("--parent", help="上级代码 / parent code")
        ] = None,
        terrain: Annotated[
            str | None, typer.Option("--terrain", help="山区 / 丘陵 / 平原 …")
        ] = None,
        admin_class: Annotated[str | None, typer.Option("--admin-class", help="市 | 县")] = None,
        city_size: Annotated[
            str | None, typer.Option("--city-size", help="超、特大城市 | 大城市 | 中小城市")
        ] = None,
        coastal: Annotated[
            bool | None, typer.Option("--coastal/--inland", help="沿海 / 内陆")
        ] = None,
    ) -> None:
        """新增行政区 / add a region."""
        from ecociv.store.services import regions

        with _unit_of_work() as session:
            regions.create_region(
                session,
                _actor(),
                code=code,
                name=name,
                level=level,
                parent_code=parent,
                terrain=terrain,
                admin_class=admin_class,
                city_size=city_size,
                coastal=coastal,
            )
        typer.echo(f"已新增行政区 {code} {name} / region added")

    @plan.command("import")
    def plan_import(
        path: Annotated[
            Path, typer.Argument(help="规划文件（.docx / Tika 文本 / .xlsx）/ plan file")
        ],
        region_code: Annotated[str, typer.Option("--region", help="行政区代码 / region code")],
        name: Annotated[
            str | None, typer.Option("--name", help="规划名称（默认取自文件）/ plan name")
        ] = None,
        columns: Annotated[
            Path | None,
            typer.Option(
                "--columns",
                help="列映射文件（默认沿用该规划上一版保存的映射）/ column mapping file "
                "(default: the one stored with the plan's current version)",
            ),
        ] = None,
    ) -> None:
        """导入规划；重复导入生成新版本并列出差异 / import a plan; a re-import is a new version.

        The column mapping (``--columns``, the form of ``ecociv ingest --columns``) is stored
        with the version and applied again to the next import of the same plan, as the web
        import does; the check findings are stored with the version too."""
        import yaml

        from ecociv.ingest.column_map import load_column_map
        from ecociv.store.services import plan_reading, plans
        from ecociv.store.services.plan_content import diff_is_empty

        column_map = None
        if columns is not None:
            load_column_map(columns)  # one bilingual error for a bad file, before any work
            column_map = yaml.safe_load(columns.read_text(encoding="utf-8"))
        with _unit_of_work() as session:
            reading = plan_reading.read_for_import(session, path, region_code, name, column_map)
            if reading.reused:
                typer.echo(
                    "沿用上一版保存的列映射 / the column mapping stored with the plan is reused"
                )
            version = plans.import_plan(
                session,
                _actor(),
                reading.plan,
                region_code=region_code,
                name=name,
                column_map=reading.column_map,
                findings=reading.findings,
            )
            typer.echo(
                f"规划“{version.plan.name}”第 {version.version} 版：指标 {len(version.indicators)} 项，"
                f"项目 {len(version.projects)} 个 / plan version {version.version}"
            )
            if version.diff and diff_is_empty(version.diff):
                typer.echo("与上一版内容相同 / same content as the previous version")
            elif version.diff:
                typer.echo(json.dumps(_diff_summary(version.diff), ensure_ascii=False))

    @app.command("export")
    def export(
        region_code: Annotated[str, typer.Argument(help="行政区代码 / region code")],
        out: Annotated[Path, typer.Option("--out", help="输出目录 / output folder")] = Path("."),
    ) -> None:
        """导出行政区全部数据（JSON 与 xlsx）/ export a region's data as JSON and xlsx."""
        from ecociv.store.services.exchange import export_region
        from ecociv.store.services.exchange_xlsx import write_export_xlsx

        with _unit_of_work() as session:
            data = export_region(session, region_code)
        out.mkdir(parents=True, exist_ok=True)
        json_path, xlsx_path = (
            out / f"{region_code}-export.json",
            out / f"{region_code}-export.xlsx",
        )
        json_path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        write_export_xlsx(data, xlsx_path)
        typer.echo(f"{json_path}\n{xlsx_path}")

    @app.command("import")
    def import_(
        file: Annotated[Path, typer.Argument(help="导出的 .json 或 .xlsx / an export file")],
    ) -> None:
        """导入 ecociv export 生成的文件 / import a file written by ecociv export."""
        from ecociv.store.services.exchange import import_region

        data = _read_export(file)
        with _unit_of_work() as session:
            counts = import_region(session, _actor(), data, where=str(file))
        typer.echo(", ".join(f"{table} {count}" for table, count in counts.items() if count))


@contextmanager
def _unit_of_work() -> Iterator[Session]:
    from ecociv.settings import load_settings
    from ecociv.store.db import create_engine_for, session_factory, unit_of_work

    engine = create_engine_for(load_settings().database_url)
    try:
        with unit_of_work(session_factory(engine)) as session:
            yield session
    finally:
        engine.dispose()


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _read_password() -> str:
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise InputError("标准输入中没有密码", "no password on standard input")
    return password


def _read_export(file: Path) -> dict:
    from ecociv.store.services.exchange_xlsx import read_export_xlsx

    if not file.is_file():
        raise InputError(f"文件不存在：{file}", f"no such file: {file}", where=str(file))
    if file.suffix.lower() == ".xlsx":
        return read_export_xlsx(file)
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(
            f"不是有效的 JSON 导出文件：{exc}", f"not a valid JSON export: {exc}", where=str(file)
        ) from None


def _diff_summary(diff: dict) -> dict:
    from ecociv.store.services.plan_content import DIFF_PARTS

    return {
        part: {kind: len(diff[part][kind]) for kind in ("added", "removed", "changed")}
        for part in DIFF_PARTS
    }
