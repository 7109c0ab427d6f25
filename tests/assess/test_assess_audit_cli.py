"""``ecociv audit``: JSON shape, human table, --given errors, and docs that match the code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ecociv.assess.audit import AuditReport, AuditRow, AuditSummary
from ecociv.assess.audit_count import TableCount
from ecociv.cli import build_app
from ecociv.errors import InputError

DOCS = Path(__file__).resolve().parents[2] / "docs" / "audit-json.md"


@pytest.mark.seeds
def test_json_output(seed_path) -> None:
    result = CliRunner().invoke(build_app(), ["audit", str(seed_path("002")), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["summary"] == {"agree": 9, "disagree": 0, "undecided": 0}
    row = data["rows"][0]
    for key in (
        "table",
        "seq",
        "verdict_column",
        "stated",
        "stated_status",
        "computed_status",
        "agreement",
        "reason",
    ):
        assert key in row


@pytest.mark.seeds
def test_human_table_in_english(seed_path) -> None:
    result = CliRunner().invoke(build_app(), ["audit", str(seed_path("002")), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "agree 9" in result.output


def test_bad_given_file_is_a_bilingual_error(tmp_path: Path) -> None:
    from ecociv.cli.audit import read_given

    bad = tmp_path / "given.yaml"
    bad.write_text("quotas: {优良天数比例: 八十}\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_given(bad)
    assert caught.value.where == str(bad) and "--given" in caught.value.zh
    bad.write_text("colour: red\n", encoding="utf-8")
    with pytest.raises(InputError):
        read_given(bad)


@pytest.mark.parametrize("model", [AuditReport, AuditRow, AuditSummary, TableCount])
def test_every_json_field_is_documented(model: type) -> None:
    text = DOCS.read_text("utf-8")
    for name in model.model_fields:
        assert f"`{name}`" in text, f"{model.__name__}.{name} is not in docs/audit-json.md"


@pytest.mark.seeds
def test_given_quotas_decide_seed_000(seed_path, tmp_path: Path) -> None:
    given = tmp_path / "given.yaml"
    given.write_text("quotas: {优良天数比例: 82}\n", encoding="utf-8")
    args = ["audit", str(seed_path("000")), "--json", "--given", str(given)]
    result = CliRunner().invoke(build_app(), args)
    assert result.exit_code == 0, result.output
    rows = {(r["table"], r["seq"]): r for r in json.loads(result.output)["rows"]}
    assert rows[(0, "7.1")]["agreement"] == "agree"
    assert rows[(0, "7.1")]["computed_status"] == "not_met"
