"""Stored GEP accounts (SQLite and PostgreSQL): compute-and-store from an uploaded workbook,
versions instead of overwrites, every line with its provenance, the workbook kept, edit rights
on the region's subtree, the audit entry, and clear errors that store nothing."""

from __future__ import annotations

import hashlib
from io import BytesIO
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ecociv.gep.catalog import load_method_set
from ecociv.gep.compute import compute
from ecociv.gep.example import write_example
from ecociv.gep.output import result_dict
from ecociv.gep.prices import load_price_set
from ecociv.gep.workbook import PHYSICAL, read_inputs
from ecociv.store.errors import Forbidden, NotFound, ValidationError
from ecociv.store.models import AuditEntry
from ecociv.store.services import gep_accounts, regions, users
from ecociv.store.tables.gep import GepAccount, GepAccountLine

ADMIN = "pytest-admin"
OUYANG = load_method_set("ouyang_ganzi_2017")
GANZI = load_price_set("ganzi_2010")


@pytest.fixture
def districts(session: Session) -> Session:
    regions.create_region(session, ADMIN, code="99", name="测试省", level="province")
    regions.create_region(
        session, ADMIN, code="9901", name="青岚市", level="city", parent_code="99"
    )
    for code, name in (("990101", "西溪区"), ("990102", "东岭区")):
        regions.create_region(
            session, ADMIN, code=code, name=name, level="county", parent_code="9901"
        )
    session.commit()
    return session


def example(code: str = "990101", name: str = "西溪区", year: int = 2023, scale=1.0) -> bytes:
    buffer = BytesIO()
    write_example(buffer, region_name=name, region_code=code, year=year, scale=scale)
    return buffer.getvalue()


def store(session: Session, content: bytes, *, actor=ADMIN, code="990101", year=2023, **kw):
    return gep_accounts.compute_and_store(
        session,
        actor,
        region_code=code,
        content=content,
        filename=kw.pop("filename", "西溪区GEP.xlsx"),
        year=year,
        method=kw.pop("method", OUYANG),
        prices=kw.pop("prices", GANZI),
    )


def test_stored_account_holds_every_line_its_provenance_and_the_workbook(
    districts: Session, tmp_path: Path
) -> None:
    content = example()
    account = store(districts, content)
    districts.commit()
    path = tmp_path / "西溪区GEP.xlsx"
    path.write_bytes(content)
    expected = result_dict(compute(OUYANG, GANZI, read_inputs(path), 2023))

    districts.expire_all()
    stored = gep_accounts.get_account(districts, "990101", 2023)
    assert stored.id == account.id and stored.version == 1
    assert stored.method_code == "ouyang_ganzi_2017" and stored.method_verified is True
    assert (stored.price_set_code, stored.price_set_version) == ("ganzi_2010", "1")
    assert stored.inputs_sha256 == hashlib.sha256(content).hexdigest()
    assert gep_accounts.stored_workbook(districts, stored) == content
    assert stored.gep == pytest.approx(expected["gep"])
    assert stored.gdp == pytest.approx(3_264_000)
    assert stored.yoy == pytest.approx(expected["yoy_change_constant_prices"])
    assert [ln.code for ln in stored.lines] == [ln["code"] for ln in expected["lines"]]
    for line, want in zip(stored.lines, expected["lines"], strict=True):
        assert (line.quantity, line.unit, line.price, line.price_unit) == (
            pytest.approx(want["quantity"]),
            want["unit"],
            want["price"],
            want["price_unit"],
        )
        assert line.value == pytest.approx(want["value"])
        assert line.share == pytest.approx(want["share"])
        assert line.provenance == want["provenance"]
    conservation = next(ln for ln in stored.lines if ln.code == "water_conservation.volume")
    assert conservation.indicator == "water_conservation"
    assert conservation.provenance["price"]["key"] == "reservoir_cost"
    assert {r["component"] for r in conservation.provenance["inputs"]} == {"森林", "灌丛", "农田"}
    assert stored.result["notices"] == expected["notices"]


def test_a_second_computation_is_a_new_version_and_is_audited(districts: Session) -> None:
    first = store(districts, example())
    second = store(districts, example(scale=1.2))
    districts.commit()
    assert (first.version, second.version) == (1, 2)
    assert gep_accounts.get_account(districts, "990101", 2023).version == 2
    assert gep_accounts.get_account(districts, "990101", 2023, version=1).gep == first.gep
    assert second.gep > first.gep
    entries = list(districts.scalars(select(AuditEntry).where(AuditEntry.entity == "gep_account")))
    assert [e.entity_key for e in entries] == [
        "990101/2023/ouyang_ganzi_2017/v1",
        "990101/2023/ouyang_ganzi_2017/v2",
    ]
    assert entries[1].after["gep"] == pytest.approx(second.gep)
    assert entries[1].actor == ADMIN and "input_workbook" not in entries[1].after


def test_children_carry_their_newest_account_for_drill_down(districts: Session) -> None:
    store(districts, example())
    store(districts, example("990102", "东岭区", scale=0.7), code="990102")
    districts.commit()
    found = gep_accounts.children_accounts(districts, "9901", 2023, None)
    assert [(r.code, a is not None) for r, a in found] == [("990101", True), ("990102", True)]
    assert found[1][1].gep < found[0][1].gep
    assert gep_accounts.children_accounts(districts, "9901", 2019, None)[0][1] is None


def test_an_editor_writes_only_inside_the_subtree(districts: Session) -> None:
    users.create_user(
        districts, ADMIN, name="east", password="pw-east-123456", role="editor",
        region_code="990102",
    )  # fmt: skip
    editor = users.get_user(districts, "east")
    with pytest.raises(Forbidden):
        store(districts, example(), actor=editor)
    assert store(districts, example("990102"), actor=editor, code="990102").version == 1


@pytest.mark.parametrize(
    ("change", "zh", "where"),
    [
        (lambda b: b[PHYSICAL].cell(row=3, column=7, value=-5), "负数", "实物量!G3"),
        (lambda b: b[PHYSICAL].cell(row=3, column=8, value="t"), "不是", "实物量!"),
        (lambda b: b["基本信息"].cell(row=3, column=2, value="990102"), "990102", "基本信息"),
        (lambda b: b.remove(b["年度信息"]), "缺少工作表", "西溪区GEP.xlsx"),
    ],
)
def test_a_bad_workbook_is_refused_with_its_place_and_nothing_is_stored(
    districts: Session, change, zh: str, where: str
) -> None:
    book = load_workbook(BytesIO(example()))
    change(book)
    buffer = BytesIO()
    book.save(buffer)
    with pytest.raises(ValidationError) as refused:
        store(districts, buffer.getvalue())
    assert zh in refused.value.zh and where in (refused.value.where or "")
    districts.rollback()
    assert districts.scalar(select(func.count()).select_from(GepAccount)) == 0
    assert districts.scalar(select(func.count()).select_from(GepAccountLine)) == 0


def test_not_a_workbook_and_a_missing_year_are_refused(districts: Session) -> None:
    with pytest.raises(ValidationError):
        store(districts, b"PK\x03\x04 not really a zip")
    with pytest.raises(ValidationError) as refused:
        store(districts, example(), year=2030)
    assert "2030" in refused.value.zh
    with pytest.raises(NotFound):
        gep_accounts.get_account(districts, "990101", 2023)


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(scale=st.floats(min_value=0.05, max_value=20), year=st.integers(2001, 2035))
def test_stored_lines_add_up_to_the_stored_totals(districts: Session, scale, year) -> None:
    account = store(districts, example(year=year, scale=scale), year=year)
    total = sum(ln.value for ln in account.lines)
    assert total == pytest.approx(account.gross)
    assert account.gep == pytest.approx(account.gross - account.deduction)
    assert sum(ln.share for ln in account.lines) == pytest.approx(1)
    assert all(ln.quantity >= 0 and ln.value >= 0 for ln in account.lines)
    districts.rollback()


def test_ecociv_gep_store_stores_a_version_and_says_so(
    districts: Session, db_url: str, tmp_path: Path, monkeypatch, capsys
) -> None:
    import sys

    from ecociv.cli import main

    path = tmp_path / "西溪区.xlsx"
    path.write_bytes(example())
    monkeypatch.setenv("ECOCIV_DATABASE_URL", db_url)
    monkeypatch.setenv("ECOCIV_DATA_DIR", str(tmp_path / "data"))
    args = ["ecociv", "gep", "store", str(path), "--region", "990101", "--year", "2023"]
    monkeypatch.setattr(sys, "argv", args)
    try:
        main()
    except SystemExit as ended:
        assert ended.code in (0, None), capsys.readouterr().err
    out = capsys.readouterr().out
    assert "990101/2023/ouyang_ganzi_2017/v1" in out and "GEP" in out
    districts.expire_all()
    account = gep_accounts.get_account(districts, "990101", 2023)
    assert account.input_filename == "西溪区.xlsx" and account.computed_by.startswith("cli")
