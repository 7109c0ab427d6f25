"""The admin commands, run through the real CLI app on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from ecociv.cli import build_app
from ecociv.store.db import create_engine_for
from ecociv.store.errors import AuthenticationError, Conflict
from ecociv.store.services import audit, plans, users


@pytest.fixture
def cli(db_url: str, tmp_path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("ECOCIV_DATABASE_URL", db_url)
    monkeypatch.setenv("ECOCIV_DATA_DIR", str(tmp_path / "data"))
    app, runner = build_app(), CliRunner()

    def run(*args: str, stdin: str | None = None):
        result = runner.invoke(app, list(args), input=stdin)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        assert result.exit_code == 0, result.output
        return result

    return run


def test_admin_commands_end_to_end(cli, db_url: str, tmp_path, seed_path) -> None:
    assert "3" in cli("db", "upgrade").output
    cli("region", "add", "99", "测试省", "--level", "province")
    cli(
        "region",
        "add",
        "9901",
        "青岚市",
        "--level",
        "city",
        "--parent",
        "99",
        "--admin-class",
        "市",
    )
    cli(
        "user",
        "add",
        "alice",
        "--role",
        "editor",
        "--region",
        "9901",
        "--password-stdin",
        stdin="long password\n",
    )
    secret = cli("token", "create", "alice", "--label", "loader").stdout.strip().splitlines()[0]
    cli("plan", "import", str(seed_path("003")), "--region", "9901")
    second = cli("plan", "import", str(seed_path("003")), "--region", "9901")
    assert "第 2 版" in second.output
    out = tmp_path / "out"
    cli("export", "9901", "--out", str(out))
    exported = json.loads((out / "9901-export.json").read_text(encoding="utf-8"))

    engine = create_engine_for(db_url)
    try:
        with Session(engine) as session:
            assert users.authenticate(session, "alice", "long password").role == "editor"
            assert users.verify_token(session, secret).user.name == "alice"
            [plan] = plans.list_plans(session, "9901")
            assert plan.current_version == 2
            assert all(e.actor.startswith("cli") for e in audit.list_entries(session))
    finally:
        engine.dispose()
    with pytest.raises(Conflict):
        cli("import", str(out / "9901-export.xlsx"))
    cli("token", "revoke", "alice", "loader")
    engine = create_engine_for(db_url)
    try:
        with Session(engine) as session, pytest.raises(AuthenticationError):
            users.verify_token(session, secret)
    finally:
        engine.dispose()
    assert exported["tables"]["plan_versions"][1]["version"] == 2
