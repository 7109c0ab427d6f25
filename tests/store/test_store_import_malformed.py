"""Issue 18 #6: malformed export files end ``ecociv import`` with one line and exit 2.

Each class of damage below is made from a real export (JSON or .xlsx); the command must print
one ``ecociv: …`` line naming the problem, exit 2, and leave the database as it was — never a
traceback, never a half import.  The untouched file imports (the control).
"""

from __future__ import annotations

import copy
import io
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from store_builders import ADMIN, COLUMN_MAP, FINDING, FINDINGS, make_plan

from ecociv.cli import main
from ecociv.store.models import AuditEntry, Region
from ecociv.store.services import exchange, observations, plan_review, plans, regions
from ecociv.store.services.exchange_xlsx import write_export_xlsx

TOWN = "99010101"
Change = Callable[[dict[str, Any]], Any]


@pytest.fixture
def export(tree: Session) -> dict[str, Any]:
    """A town under 990101 with a plan (its column map, findings and an accepted finding), a
    target and a value, exported and then rolled back, so that the database is ready to
    receive it."""
    regions.create_region(tree, ADMIN, code=TOWN, name="某镇", level="town", parent_code="990101")
    version = plans.import_plan(
        tree,
        ADMIN,
        make_plan(name="某镇规划"),
        region_code=TOWN,
        column_map=COLUMN_MAP,
        findings=FINDINGS,
    )
    plan_review.accept_finding(tree, ADMIN, version.plan_id, FINDING["id"])
    observations.save_observation(
        tree,
        ADMIN,
        region_code=TOWN,
        indicator_code=version.indicators[0].code,
        year=2022,
        text="29",
    )
    data = copy.deepcopy(exchange.export_region(tree, TOWN))
    tree.rollback()
    return data


def _set(table: str, field: str, value: Any, row: int = 0) -> Change:
    def change(data: dict[str, Any]) -> dict[str, Any]:
        data["tables"][table][row][field] = value
        return data

    return change


def _drop(table: str, field: str) -> Change:
    def change(data: dict[str, Any]) -> dict[str, Any]:
        del data["tables"][table][0][field]
        return data

    return change


def _top(key: str, value: Any) -> Change:
    def change(data: dict[str, Any]) -> dict[str, Any]:
        data[key] = value
        return data

    return change


def _repeat(table: str) -> Change:
    def change(data: dict[str, Any]) -> dict[str, Any]:
        data["tables"][table].append(dict(data["tables"][table][0]))
        return data

    return change


def _root_code(code: str) -> Change:
    def change(data: dict[str, Any]) -> dict[str, Any]:
        data["region"] = code
        data["tables"]["regions"][0]["code"] = code
        tables = ("plans", "plan_versions", "plan_indicators", "targets", "projects")
        for table in (*tables, "accepted_findings"):
            for row in data["tables"][table]:
                row["region"] = code
        for row in data["tables"]["observations"]:
            row["region"] = code
        return data

    return change


JSON_DAMAGE: dict[str, Change] = {
    "not an object": lambda data: [data],
    "wrong format name": _top("format", "something-else"),
    "unsupported format version": _top("format_version", 4),
    "format version as a boolean": _top("format_version", True),
    "a version-1 file with a column map": lambda data: _as_version_1_keeping("column_map", data),
    "a version-1 file with findings": lambda data: _as_version_1_keeping("findings", data),
    "a version-1 file with accepted findings": _top("format_version", 1),
    "a column map that is a list": _set("plan_versions", "column_map", ["表1"]),
    "a column map with an unknown key": _set("plan_versions", "column_map", {**COLUMN_MAP, "x": 1}),
    "a column map without its tables": _set("plan_versions", "column_map", {}),
    "findings as text": _set("plan_versions", "findings", "无"),
    "findings without their list": _set("plan_versions", "findings", {"source": "规划.docx"}),
    "a finding of an unknown severity": _set(
        "plan_versions",
        "findings",
        {**FINDINGS, "findings": [{**FINDING, "severity": "fatal"}]},
    ),
    "a finding with an unknown field": _set(
        "plan_versions", "findings", {**FINDINGS, "findings": [{**FINDING, "password": "x"}]}
    ),
    "a finding's line as text": _set(
        "plan_versions",
        "findings",
        {
            **FINDINGS,
            "findings": [{**FINDING, "locations": [{"file": "规划.txt", "line_start": "3"}]}],
        },
    ),
    "a malformed accepted finding id": _set("accepted_findings", "finding_id", "target:XYZ"),
    "an accepted finding id that is too long": _set(
        "accepted_findings", "finding_id", "a" * 100 + ":0123456789ab"
    ),
    "an accepted finding of no plan": _set("accepted_findings", "plan", "别的规划"),
    "a duplicate accepted finding": _repeat("accepted_findings"),
    "an accepted finding without its time": _drop("accepted_findings", "accepted_at"),
    "an accepted finding by a number": _set("accepted_findings", "accepted_by", 7),
    "format version as text": _top("format_version", "1"),
    "no tables": lambda data: {k: v for k, v in data.items() if k != "tables"},
    "an unknown table": lambda data: {**data, "tables": {**data["tables"], "users": []}},
    "a row that is not an object": lambda data: _set_row(data, "observations", ["x"]),
    "a missing key": _drop("observations", "year"),
    "an unknown field": _set("observations", "password", "x"),
    "year as text": _set("observations", "year", "x"),
    "year out of range": _set("targets", "year", 20251),
    "value as text": _set("observations", "value", "29"),
    "a non-finite value": _set("observations", "value", float("inf")),
    "a region code with a slash": _root_code("9901/01"),
    "a region code with a quote": _root_code('990"101'),
    "a region code with CR/LF": _root_code("9901\r\n01"),
    "an empty region code": _root_code(""),
    "an indicator code with a slash": _set("observations", "indicator_code", "air/pm25"),
    "a level that does not exist": _set("regions", "level", "village"),
    "a duplicate value row": _repeat("observations"),
    "a duplicate plan row": _repeat("plans"),
    "a target of no indicator": _set("targets", "indicator", "nope"),
    "a current version that is not there": _set("plans", "current_version", 7),
    "a time without a zone": _set("observations", "updated_at", "2024-01-01T00:00:00"),
    "a NUL in a text": _set("observations", "note", "a\x00b"),
    "a value the entry rules refuse": _set("observations", "year", 2999),
}


def _as_version_1_keeping(field: str, data: dict[str, Any]) -> dict[str, Any]:
    """A format-1 file (no accepted findings) whose plan versions still hold *field*, which
    format 1 does not know."""
    data["format_version"] = 1
    del data["tables"]["accepted_findings"]
    for row in data["tables"]["plan_versions"]:
        row.pop("findings" if field == "column_map" else "column_map")
    return data


def _set_row(data: dict[str, Any], table: str, row: Any) -> dict[str, Any]:
    data["tables"][table][0] = row
    return data


def _json_file(folder: Path, data: Any) -> Path:
    path = folder / "export.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _xlsx_bytes(data: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    write_export_xlsx(data, buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet: str, column: str, value: Any) -> Callable[[bytes], bytes]:
    def change(content: bytes) -> bytes:
        book = load_workbook(io.BytesIO(content))
        header = [cell.value for cell in book[sheet][1]]
        book[sheet].cell(row=2, column=header.index(column) + 1, value=value)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    return change


def _xlsx_without(sheet: str) -> Callable[[bytes], bytes]:
    def change(content: bytes) -> bytes:
        book = load_workbook(io.BytesIO(content))
        del book[sheet]
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    return change


def _xlsx_meta(key: str) -> Callable[[bytes], bytes]:
    def change(content: bytes) -> bytes:
        book = load_workbook(io.BytesIO(content))
        for row in book["export"].iter_rows():
            if row[0].value == key:
                row[0].value = None
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    return change


XLSX_DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "a truncated workbook": lambda content: content[: len(content) // 2],
    "a workbook without a table sheet": _xlsx_without("observations"),
    "a workbook without its format version": _xlsx_meta("format_version"),
    "year as text in a cell": _xlsx_cell("observations", "year", "x"),
    "a bad JSON cell": _xlsx_cell("plan_indicators", "cells", "{not json"),
    "a bad JSON findings cell": _xlsx_cell("plan_versions", "findings", "{not json"),
    "a column map cell that is no mapping": _xlsx_cell("plan_versions", "column_map", "[1]"),
    "a malformed finding id in a cell": _xlsx_cell("accepted_findings", "finding_id", "x"),
    "a workbook without the accepted findings": _xlsx_without("accepted_findings"),
    "a dangling long-text reference": _xlsx_cell("observations", "note", "@long:999"),
}

RAW_DAMAGE: dict[str, bytes] = {
    "truncated JSON": b'{"format": "ecociv-region-export", "tables": {"regions": [',
    "not UTF-8": '{"format": "导出"}'.encode("gb18030"),
    "an empty file": b"",
}


def _run_import(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    argv = sys.argv
    sys.argv = ["ecociv", "import", str(path)]
    try:
        with pytest.raises(SystemExit) as ended:
            main()
    finally:
        sys.argv = argv
    return ended.value.code, capsys.readouterr().err


@pytest.fixture
def cli_env(db_url: str, engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ECOCIV_DATABASE_URL", db_url)
    monkeypatch.setenv("ECOCIV_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ECOCIV_LANG", "en")
    return tmp_path


def _state(session: Session) -> tuple[int, int]:
    session.rollback()
    return (
        session.scalar(select(func.count()).select_from(Region)),
        session.scalar(select(func.count()).select_from(AuditEntry)),
    )


def _refused(path: Path, tree: Session, capsys: pytest.CaptureFixture[str]) -> str:
    before = _state(tree)
    code, err = _run_import(path, capsys)
    assert code == 2, err
    assert err.startswith("ecociv: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    assert _state(tree) == before
    return err


@pytest.mark.parametrize("damage", sorted(JSON_DAMAGE))
def test_a_damaged_json_export_is_refused_in_one_line(
    damage: str, export, tree: Session, cli_env: Path, capsys
) -> None:
    path = _json_file(cli_env, JSON_DAMAGE[damage](export))
    _refused(path, tree, capsys)


def test_year_as_text_names_the_table_row_and_field(export, tree, cli_env, capsys) -> None:
    path = _json_file(cli_env, JSON_DAMAGE["year as text"](export))
    err = _refused(path, tree, capsys)
    assert "observations:1:year" in err and "observations row 1 field year" in err


def test_a_bad_finding_id_names_the_table_row_and_field(export, tree, cli_env, capsys) -> None:
    path = _json_file(cli_env, JSON_DAMAGE["a malformed accepted finding id"](export))
    err = _refused(path, tree, capsys)
    assert "accepted_findings:1:finding_id" in err
    assert "accepted_findings row 1 field finding_id" in err


@pytest.mark.parametrize("damage", sorted(XLSX_DAMAGE))
def test_a_damaged_xlsx_export_is_refused_in_one_line(
    damage: str, export, tree: Session, cli_env: Path, capsys
) -> None:
    path = cli_env / "export.xlsx"
    path.write_bytes(XLSX_DAMAGE[damage](_xlsx_bytes(export)))
    _refused(path, tree, capsys)


@pytest.mark.parametrize("damage", sorted(RAW_DAMAGE))
def test_a_file_that_is_no_json_is_refused_in_one_line(
    damage: str, tree: Session, cli_env: Path, capsys
) -> None:
    path = cli_env / "export.json"
    path.write_bytes(RAW_DAMAGE[damage])
    _refused(path, tree, capsys)


@pytest.mark.parametrize("kind", ["json", "xlsx"])
def test_the_undamaged_file_imports(kind: str, export, tree: Session, cli_env: Path, capsys):
    path = cli_env / f"export.{kind}"
    if kind == "json":
        _json_file(cli_env, export)
    else:
        path.write_bytes(_xlsx_bytes(export))
    code, err = _run_import(path, capsys)
    assert code == 0, err
    tree.rollback()
    assert regions.get_region(tree, TOWN).name == "某镇"
    assert [o.text for o in observations.list_observations(tree, TOWN)] == ["29"]
    plan = plans.find_plan(tree, TOWN, "某镇规划")
    assert plan is not None
    assert plan_review.stored_column_map(tree, TOWN, "某镇规划") == COLUMN_MAP
    assert plan_review.accepted_ids(tree, plan.id) == [FINDING["id"]]


def test_the_schema_models_are_the_export_tables() -> None:
    """The pydantic models and the exporter's column lists name the same fields, in order."""
    from ecociv.store.services.exchange import TABLES
    from ecociv.store.services.exchange_schema import ROW_MODELS

    assert {name: tuple(model.model_fields) for name, model in ROW_MODELS.items()} == TABLES


def test_format_1_is_format_2_without_the_review_data() -> None:
    """Format 1 lacks exactly the column map, the findings and the accepted findings."""
    from ecociv.store.services.exchange import TABLES
    from ecociv.store.services.exchange_schema import ROW_MODELS_BY_VERSION

    old = {name: tuple(model.model_fields) for name, model in ROW_MODELS_BY_VERSION[1].items()}
    assert old["plan_versions"] + ("column_map", "findings") == TABLES["plan_versions"]
    assert {name: fields for name, fields in TABLES.items() if name not in old} == {
        "accepted_findings": ("region", "plan", "finding_id", "accepted_by", "accepted_at")
    }
    later = ("plan_versions", "observations", "observation_history")
    assert {k: v for k, v in old.items() if k not in later} == {
        k: v for k, v in TABLES.items() if k in old and k not in later
    }
    for name in later[1:]:  # format 3 added the confirmation of an outlier
        assert old[name] + ("confirmation",) == TABLES[name]
        assert tuple(ROW_MODELS_BY_VERSION[2][name].model_fields) == old[name]
