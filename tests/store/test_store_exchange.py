"""Export a region and import it elsewhere: the re-export equals the export, key for key."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import Session
from store_builders import ADMIN, COLUMN_MAP, FINDING, FINDINGS, make_plan

from ecociv import model
from ecociv.store.db import upgrade
from ecociv.store.errors import Conflict, ValidationError
from ecociv.store.services import exchange, indicators, observations, plan_review, plans
from ecociv.store.services.exchange_xlsx import read_export_xlsx, write_export_xlsx


def _fill(session: Session) -> dict:
    projects = [
        model.ProjectRow(
            category="水环境治理",
            name="=西溪河整治",
            investment_wan_yuan=8000.5,
            lead_units=["区水利局"],
        ),
        model.ProjectRow(name="控制字符\x0b与超长文本" + "长" * 40_000, investment_text="@待定"),
    ]
    plans.import_plan(session, ADMIN, make_plan(), region_code="990101")
    version = plans.import_plan(
        session,
        ADMIN,
        make_plan(projects=projects),
        region_code="990101",
        column_map=COLUMN_MAP,
        findings=FINDINGS,
    )
    plan_review.accept_finding(session, "west", version.plan_id, FINDING["id"])
    plans.import_plan(session, ADMIN, make_plan(name="东岭区规划"), region_code="990102")
    pm25 = version.indicators[0]
    target = indicators.set_target(session, "west", pm25.id, year=2030, text="≤25")
    indicators.set_target(
        session, "west", pm25.id, year=2030, text="≤24", expected_version=target.version
    )
    key = {"region_code": "990101", "indicator_code": pm25.code}
    observations.save_observation(session, "west", year=2021, value=0.1 + 0.2, **key)
    observations.save_observation(
        session, "west", year=2021, value=29.25, expected_version=1, **key
    )
    observations.save_observation(session, "west", year=2021, value=28.0, expected_version=2, **key)
    observations.save_observation(
        session, "west", year=2022, text="暂无数据", note="监测站搬迁", **key
    )
    observations.save_observation(session, "west", year=2023, value=27.0, **key)
    observations.delete_observation(session, "west", year=2023, expected_version=1, **key)
    session.commit()
    return exchange.export_region(session, "9901")


def test_export_holds_the_whole_subtree(tree: Session) -> None:
    data = _fill(tree)
    tables = data["tables"]
    assert [r["code"] for r in tables["ancestors"]] == ["99"]
    assert [r["code"] for r in tables["regions"]] == ["9901", "990101", "990102"]
    assert [r["region"] for r in tables["plans"]] == ["990101", "990102"]
    assert len(tables["plan_versions"]) == 3
    assert [r["year"] for r in tables["observations"]] == [2021, 2022]
    assert [r["version"] for r in tables["observations"]] == [3, 1]
    assert [r["value"] for r in tables["observation_history"]] == [0.1 + 0.2, 29.25, 27.0]
    assert len(tables["target_history"]) == 1
    assert [r["column_map"] for r in tables["plan_versions"]] == [None, COLUMN_MAP, None]
    assert [r["findings"] for r in tables["plan_versions"]] == [None, FINDINGS, None]
    assert [
        (r["plan"], r["finding_id"], r["accepted_by"]) for r in tables["accepted_findings"]
    ] == [("青岚市西溪区生态文明建设规划（2021—2030年）", FINDING["id"], "west")]
    json.dumps(data, ensure_ascii=False)


def test_import_into_another_database_reproduces_the_export(
    tree: Session, db_url: str, tmp_path
) -> None:
    data = _fill(tree)
    other_url = _sibling_url(db_url, tmp_path)
    upgrade(other_url)
    from ecociv.store.db import create_engine_for

    other = create_engine_for(other_url)
    try:
        with Session(other) as session:
            counts = exchange.import_region(session, ADMIN, json.loads(json.dumps(data)))
            session.commit()
            assert counts["observations"] == 2
            again = exchange.export_region(session, "9901")
            assert _without_attribution(again) == _without_attribution(data)
            for table, field in exchange.PROVENANCE_FIELDS:
                assert {row[field] for row in again["tables"][table]} == {ADMIN}
            with pytest.raises(Conflict):
                exchange.import_region(session, ADMIN, data)
            history = observations.observation_history(
                session, "990101", data["tables"]["observations"][0]["indicator_code"]
            )
            assert [h.version for h in history] == [1, 2, 1]
    finally:
        other.dispose()
        _drop_sibling(other_url)


def _as_version_1(data: dict) -> dict:
    """*data* as an export written before format 2: no column map, no findings, no table of
    accepted findings (and, as before format 3, no confirmation of an outlier)."""
    tables = {
        name: [
            {k: v for k, v in row.items() if k not in ("column_map", "findings", "confirmation")}
            for row in rows
        ]
        for name, rows in data["tables"].items()
        if name != "accepted_findings"
    }
    return {**data, "format_version": 1, "tables": tables}


def _version_1_xlsx(data: dict) -> io.BytesIO:
    """The workbook of *data* as format 1 wrote it (the later sheet and columns removed)."""
    buffer = io.BytesIO()
    write_export_xlsx(data, buffer)
    book = load_workbook(io.BytesIO(buffer.getvalue()))
    del book["accepted_findings"]
    header = [cell.value for cell in book["plan_versions"][1]]
    book["plan_versions"].delete_cols(header.index("column_map") + 1, 2)
    for sheet in ("observations", "observation_history"):
        header = [cell.value for cell in book[sheet][1]]
        book[sheet].delete_cols(header.index("confirmation") + 1)
    for row in book["export"].iter_rows():
        if row[0].value == "format_version":
            row[1].value = 1
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


@pytest.mark.parametrize("kind", ["json", "xlsx"])
def test_a_version_1_export_still_imports(kind: str, tree: Session, db_url: str, tmp_path) -> None:
    data = _fill(tree)
    old = _as_version_1(data)
    if kind == "xlsx":
        assert read_export_xlsx(_version_1_xlsx(data)) == old
    other_url = _sibling_url(db_url, tmp_path)
    upgrade(other_url)
    from ecociv.store.db import create_engine_for

    other = create_engine_for(other_url)
    try:
        with Session(other) as session:
            exchange.import_region(session, ADMIN, json.loads(json.dumps(old)))
            session.commit()
            again = exchange.export_region(session, "9901")
    finally:
        other.dispose()
        _drop_sibling(other_url)
    assert again["format_version"] == 3
    assert again["tables"]["accepted_findings"] == []
    assert {(r["column_map"], r["findings"]) for r in again["tables"]["plan_versions"]} == {
        (None, None)
    }
    assert _without_attribution(_as_version_1(again)) == _without_attribution(old)


def test_xlsx_holds_the_export_exactly(tree: Session) -> None:
    data = _fill(tree)
    buffer = io.BytesIO()
    write_export_xlsx(data, buffer)
    buffer.seek(0)
    assert read_export_xlsx(buffer) == data


def test_a_foreign_file_is_refused_clearly(tree: Session) -> None:
    with pytest.raises(ValidationError, match="not an ecociv region export"):
        exchange.import_region(tree, ADMIN, {"tables": {}})
    with pytest.raises(ValidationError, match=r"not a complete \.xlsx workbook"):
        read_export_xlsx(io.BytesIO(b"not a workbook"))


def _without_attribution(data: dict) -> dict:
    """The export without who wrote the current rows and when (an import re-attributes them
    to the importing user)."""
    dropped = {
        "imported_by",
        "imported_at",
        "updated_by",
        "updated_at",
        "accepted_by",
        "accepted_at",
    }
    return {
        **data,
        "tables": {
            name: [{k: v for k, v in row.items() if k not in dropped} for row in rows]
            for name, rows in data["tables"].items()
        },
    }


def _sibling_url(db_url: str, tmp_path) -> str:
    """A second empty database next to the test's: another SQLite file or PostgreSQL schema."""
    if db_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'other.db'}"
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(db_url)
    schema = url.query["options"].split("=", 1)[1] + "_b"
    admin = create_engine(url.difference_update_query(["options"]), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )


def _drop_sibling(url_text: str) -> None:
    if url_text.startswith("sqlite"):
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(url_text)
    schema = url.query["options"].split("=", 1)[1]
    admin = create_engine(url.difference_update_query(["options"]), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()
