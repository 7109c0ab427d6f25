"""``ecociv serve`` (the web platform under uvicorn) and ``ecociv demo`` (the bundled sample)."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated

import typer

DEMO_DIR = Path(".ecociv-demo")
DEMO_ADMIN = "admin"

Host = Annotated[
    str, typer.Option(help="监听地址 / address to bind (127.0.0.1: this machine only)")
]
Port = Annotated[int, typer.Option(min=1, max=65535, help="端口 / port")]


def register(app: typer.Typer) -> None:
    """Add ``serve`` and ``demo`` to *app*."""

    @app.command()
    def serve(host: Host = "127.0.0.1", port: Port = 8000) -> None:
        """启动 Web 平台（先执行数据库迁移）/ start the web platform (migrates the database first)."""
        from ecociv.settings import load_settings
        from ecociv.store.db import upgrade

        settings = load_settings()
        upgrade(settings.database_url)
        _run(settings, host, port)

    @app.command()
    def demo(
        host: Host = "127.0.0.1",
        port: Port = 8000,
        no_serve: Annotated[
            bool, typer.Option("--no-serve", help="只准备数据，不启动服务 / prepare only")
        ] = False,
    ) -> None:
        """载入示例城市“青岚市”并启动平台 / load the sample city and serve it (SQLite in ./.ecociv-demo)."""
        from ecociv.demo.sample import load_sample
        from ecociv.settings import load_settings
        from ecociv.store.db import create_engine_for, session_factory, unit_of_work, upgrade
        from ecociv.store.services import regions, users

        settings = load_settings(data_dir=DEMO_DIR.resolve(), database_url="")
        upgrade(settings.database_url)
        engine = create_engine_for(settings.database_url)
        try:
            with unit_of_work(session_factory(engine)) as session:
                loaded_before = any(r.code == "990100" for r in regions.list_regions(session))
                if loaded_before:
                    typer.echo(
                        f"示例数据已在 {DEMO_DIR}/ 中；删除该目录可重新生成（含新的管理员密码）。\n"
                        f"The sample is already in {DEMO_DIR}/; delete it to start afresh."
                    )
                else:
                    loaded = load_sample(session)
                    password = secrets.token_urlsafe(12)
                    users.create_user(
                        session, "ecociv-demo", name=DEMO_ADMIN, password=password, role="admin"
                    )
                    typer.echo(
                        f"已载入：{loaded.regions} 个行政区、{loaded.indicators} 项指标、"
                        f"{loaded.values} 条年度数据（其中 {loaded.monitored} 条由监测数据计算）、"
                        f"{loaded.gep_accounts} 份 GEP 核算（合成示例）。\n"
                        f"Loaded {loaded.regions} regions, {loaded.indicators} indicators, "
                        f"{loaded.values} yearly values ({loaded.monitored} computed from monitoring data), "
                        f"{loaded.gep_accounts} GEP accounts (synthetic)."
                    )
                    for line in loaded.skipped:
                        typer.echo(f"  跳过 / skipped: {line}")
                    typer.echo(
                        f"管理员 / administrator: {DEMO_ADMIN}  密码 / password: {password}\n"
                        "（密码只显示这一次 / shown only this once）"
                    )
        finally:
            engine.dispose()
        if not no_serve:
            _run(settings, host, port)


def _run(settings, host: str, port: int) -> None:
    import uvicorn

    from ecociv.web.app import create_app

    typer.echo(f"ecociv: http://{host}:{port}/  (Ctrl+C 停止 / to stop)")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
