"""docs/check-json.md and the code agree: the kinds table, the fields, the exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from check_plans import indicator_table, plan_text, write
from typer.testing import CliRunner

from ecociv.check.findings import CheckReport, Finding, Location
from ecociv.check.kinds import kinds
from ecociv.cli import build_app
from ecociv.errors import InputError

DOC = Path(__file__).resolve().parents[2] / "docs" / "check-json.md"


def _section(title: str) -> str:
    text = DOC.read_text("utf-8")
    start = text.index(title)
    end = text.find("\n#", start + len(title))
    return text[start : end if end > 0 else None]


def _first_column(section: str) -> set[str]:
    cells = re.findall(r"^\| (`[^|]+`) \|", section, flags=re.M)
    return {name for cell in cells for name in re.findall(r"`([^`]+)`", cell)}


def test_kinds_table_matches_the_data():
    rows = re.findall(r"^\| `([^`]+)` \| (\w+) \| `(\w+)` \|", _section("## Kinds"), flags=re.M)
    assert rows == [(k.name, k.severity, k.rule) for k in kinds().values()]


def test_every_kind_has_a_rule_module():
    from ecociv.check import rules

    modules = {rule.__module__.rsplit(".", 1)[1] for rule in rules()}
    assert {k.rule for k in kinds().values()} <= modules


def test_fields_match_the_models():
    assert _first_column(_section("## Top level")) == set(CheckReport.model_fields)
    assert _first_column(_section("## `findings[]`")) == set(Finding.model_fields)
    assert _first_column(_section("### `locations[]`")) == set(Location.model_fields)


def test_cli_exit_codes_json_and_accepted(tmp_path):
    text = plan_text(
        "到2025年，政府绿色采购比例达到97%。",
        indicator_table("表1 指标", [["1", "政府绿色采购比例", "%", "约束性", "90", "99"]]),
    )
    path = write(tmp_path, text)
    runner = CliRunner()
    result = runner.invoke(build_app(), ["check", str(path), "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert [f["kind"] for f in report["findings"]] == ["prose.value"]
    accepted = tmp_path / "accepted.txt"
    accepted.write_text(f"# reviewed\n{report['findings'][0]['id']}\n", "utf-8")
    again = runner.invoke(build_app(), ["check", str(path), "--json", "--accepted", str(accepted)])
    assert again.exit_code == 0
    assert json.loads(again.stdout)["findings"] == []
    english = runner.invoke(build_app(), ["check", str(path), "--lang", "en"])
    assert "in the table" in english.stdout and english.exit_code == 1


@pytest.mark.parametrize(
    ("extra", "english"),
    [
        (["--lang", "fr"], "--lang must be zh or en"),
        (["--accepted", "missing.txt"], "cannot read the --accepted file"),
    ],
)
def test_bad_options_are_one_bilingual_input_error(tmp_path, extra, english):
    path = write(tmp_path, plan_text("正文。"))
    args = [a if a != "missing.txt" else str(tmp_path / a) for a in extra]
    result = CliRunner().invoke(build_app(), ["check", str(path), *args])
    assert isinstance(result.exception, InputError)
    assert english in result.exception.message("en")
    assert result.exception.message("zh") != result.exception.message("en")


def test_accepted_json_of_an_earlier_run_hides_its_findings(tmp_path):
    text = plan_text(
        "到2025年，政府绿色采购比例达到97%。",
        indicator_table("表1 指标", [["1", "政府绿色采购比例", "%", "约束性", "90", "99"]]),
    )
    path = write(tmp_path, text)
    earlier = CliRunner().invoke(build_app(), ["check", str(path), "--json"]).stdout
    (tmp_path / "earlier.json").write_text(earlier, "utf-8")
    result = CliRunner().invoke(
        build_app(), ["check", str(path), "--json", "--accepted", str(tmp_path / "earlier.json")]
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout)["accepted"] == [
        f["id"] for f in json.loads(earlier)["findings"]
    ]
