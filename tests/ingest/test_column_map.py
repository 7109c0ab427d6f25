"""``--columns MAP.yaml``: the user corrects the roles of a table the reader got wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ecociv.assess.audit import audit_plan
from ecociv.cli import build_app
from ecociv.errors import InputError
from ecociv.ingest.api import load_plan
from ecociv.ingest.column_map import load_column_map

# Headers that name nothing the vocabulary knows: the table is read as `other`.
MISREAD = """规划基准年为2022年，规划期限为2023—2030年。
表4 重点指标自评
\t序号
\t指标名称
\t甲栏
\t乙栏
\t丙栏

\t1
\t森林覆盖率
\t61.2
\t≥60
\t是

\t2
\t空气质量优良天数比例
\t83
\t≥85
\t否

\t3
\t城镇污水处理率
\t96
\t≥95
\t否


"""

MAP = """tables:
  - caption: 表4
    columns:
      甲栏: {role: baseline, year: 2022}
      "3": standard
      丙栏: {role: verdict, compares: [甲栏, 乙栏]}
"""


@pytest.fixture
def misread(tmp_path: Path) -> Path:
    path = tmp_path / "plan.txt"
    path.write_text(MISREAD, encoding="utf-8")
    return path


def _map(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "map.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_without_a_mapping_the_table_is_misread(misread: Path) -> None:
    plan = load_plan(misread, exprs=False)
    assert plan.tables[0].kind == "other"
    report = audit_plan(plan)
    assert [(t.stated, t.found, t.undecided) for t in report.tables] == [(3, 3, 3)]


def test_a_mapping_fixes_the_table_and_the_audit(misread: Path, tmp_path: Path) -> None:
    plan = load_plan(misread, exprs=False, columns=_map(tmp_path, MAP))
    table = plan.tables[0]
    assert table.kind == "indicator"
    assert [(c.key, c.role, c.basis, c.confidence) for c in table.columns[2:]] == [
        ("baseline", "baseline", "mapping", 1.0),
        ("standard", "standard", "mapping", 1.0),
        ("verdict", "verdict", "mapping", 1.0),
    ]
    assert table.columns[4].compares == ["baseline", "standard"]
    report = audit_plan(plan)
    assert [(r.seq, r.agreement) for r in report.rows] == [
        ("1", "agree"),
        ("2", "agree"),
        ("3", "disagree"),  # 96 ≥ 95 is met; the table says 否
    ]
    assert [(t.stated, t.found) for t in report.tables] == [(3, 3)]


def test_the_cli_reads_with_the_mapping_each_time(misread: Path, tmp_path: Path) -> None:
    mapping = _map(tmp_path, MAP)
    runs = [
        CliRunner().invoke(
            build_app(), ["ingest", str(misread), "--json", "--columns", str(mapping)]
        )
        for _ in range(2)
    ]
    assert all(run.exit_code == 0 for run in runs), runs[0].output
    first, second = (json.loads(run.stdout) for run in runs)
    assert first["tables"] == second["tables"]
    assert [c["basis"] for c in first["tables"][0]["columns"]][2:] == ["mapping"] * 3
    audit = CliRunner().invoke(
        build_app(), ["audit", str(misread), "--json", "--columns", str(mapping)]
    )
    assert json.loads(audit.stdout)["summary"] == {"agree": 2, "disagree": 1, "undecided": 0}


@pytest.mark.parametrize(
    ("text", "zh", "en"),
    [
        ("tables: [{table: 0, columns: {甲栏: colour}}]", "甲栏", "must be one of"),
        ("tables: [{table: 0, columns: {丁栏: value}}]", "没有列“丁栏”", "has no column '丁栏'"),
        ("tables: [{columns: {甲栏: value}}]", "须给出 table", "needs 'table'"),
        ("tables: [{table: -1}]", "非负整数", "non-negative"),
        ("tables: [{table: 0, kind: project}]", "kind", "indicator or review"),
        ("columns: {}", "tables", "'tables'"),
        (
            "tables: [{table: 0, columns: {丙栏: {role: verdict, compares: [甲栏]}}}]",
            "两列",
            "two columns",
        ),
        ("tables: [\n", "YAML", "YAML"),
    ],
)
def test_a_bad_mapping_is_one_bilingual_error(misread: Path, tmp_path: Path, text, zh, en) -> None:
    mapping = _map(tmp_path, text)
    with pytest.raises(InputError) as caught:
        load_plan(misread, exprs=False, columns=mapping)
    assert zh in caught.value.zh and en in caught.value.en
    assert caught.value.where == str(mapping)


def test_a_missing_mapping_file_is_an_input_error_in_the_cli(misread: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError):
        load_column_map(tmp_path / "absent.yaml")
    result = CliRunner().invoke(
        build_app(), ["ingest", str(misread), "--columns", str(tmp_path / "absent.yaml")]
    )
    assert isinstance(result.exception, InputError)  # the entry point prints it, exit code 2
    assert "找不到列映射文件" in result.exception.zh
