"""``ecociv plan import --columns``: a mapping file fixes a deliberately misread table, is
stored with the version, and the next import of the same plan reuses it without the file
(issue 9) — on SQLite and PostgreSQL, through the real CLI app."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from ecociv.cli import build_app, main
from ecociv.store.db import create_engine_for
from ecociv.store.services import plan_review, plans

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from review_plan import MISREAD, plan_text

MAPPING = {
    "tables": [
        {
            "table": 0,
            "columns": {
                "3": {"role": "baseline", "year": 2020},
                "4": {"role": "target", "year": 2025},
            },
        }
    ]
}


@pytest.fixture
def cli(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("ECOCIV_DATABASE_URL", db_url)
    monkeypatch.setenv("ECOCIV_DATA_DIR", str(tmp_path / "data"))
    app, runner = build_app(), CliRunner()

    def run(*args: str, code: int = 0):
        result = runner.invoke(app, list(args))
        assert result.exit_code == code, result.output
        return result

    run("db", "upgrade")
    run("region", "add", "99", "测试省", "--level", "province")
    run("region", "add", "9901", "碧溪县", "--level", "county", "--parent", "99")
    return run


def _targets(db_url: str) -> dict[str, dict[int, str]]:
    engine = create_engine_for(db_url)
    try:
        with Session(engine) as session:
            plan = plans.list_plans(session, "9901")[0]
            version = plans.get_version(session, plan.id)
            return {
                i.name: {t.year: t.text for t in i.targets} for i in version.indicators
            }, plan_review.stored_column_map(session, "9901", plan.name)
    finally:
        engine.dispose()


def test_a_mapping_file_fixes_a_misread_table_and_the_next_import_reuses_it(
    cli, db_url: str, tmp_path: Path
) -> None:
    plan_file = tmp_path / "碧溪县规划.txt"
    plan_file.write_bytes(plan_text(MISREAD))
    mapping = tmp_path / "columns.yaml"
    mapping.write_text(yaml.safe_dump(MAPPING, allow_unicode=True), encoding="utf-8")

    cli("plan", "import", str(plan_file), "--region", "9901", "--columns", str(mapping))
    targets, stored = _targets(db_url)
    assert targets["森林覆盖率"] == {2025: "≥38"}
    assert stored == MAPPING

    again = cli("plan", "import", str(plan_file), "--region", "9901")  # no --columns
    assert "沿用上一版保存的列映射" in again.output
    assert "第 2 版" in again.output
    targets, stored = _targets(db_url)
    assert targets["细颗粒物（PM2.5）年均浓度"] == {2025: "≤28"}
    assert stored == MAPPING


def test_without_a_mapping_the_misread_columns_give_no_targets(cli, db_url: str, tmp_path) -> None:
    plan_file = tmp_path / "碧溪县规划.txt"
    plan_file.write_bytes(plan_text(MISREAD))
    cli("plan", "import", str(plan_file), "--region", "9901")
    targets, stored = _targets(db_url)
    assert targets["森林覆盖率"] == {}
    assert stored is None


def test_a_bad_mapping_file_is_one_line_and_exit_2(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    plan_file = tmp_path / "plan.txt"
    plan_file.write_bytes(plan_text(MISREAD))
    mapping = tmp_path / "columns.yaml"
    mapping.write_text("tables: 5\n", encoding="utf-8")
    args = ["plan", "import", str(plan_file), "--region", "9901", "--columns", str(mapping)]
    monkeypatch.setattr(sys, "argv", ["ecociv", *args])
    with pytest.raises(SystemExit) as ended:
        main()
    err = capsys.readouterr().err
    assert ended.value.code == 2, err
    assert err.startswith("ecociv: ") and err.count("\n") == 1, err
    assert "tables" in err
