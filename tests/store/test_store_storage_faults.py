"""Issue 18 #7 on SQLite and PostgreSQL: a database that cannot store is one clear error.

The unit of work turns the driver's error into a :class:`StorageFault` (nothing written), and
``ecociv token create`` on a read-only database prints one line and exits with 2.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from store_builders import ADMIN

from ecociv.cli import main
from ecociv.store.db import create_engine_for, session_factory, unit_of_work
from ecociv.store.errors import StorageFault
from ecociv.store.services import regions, users


def read_only(db_url: str) -> str:
    """The same database, opened so that every write fails."""
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite":
        return f"sqlite:///file:{url.database}?mode=ro&uri=true"
    options = url.query["options"] + " -cdefault_transaction_read_only=on"
    return url.update_query_dict({"options": options}).render_as_string(hide_password=False)


@pytest.fixture
def alice(tree: Session) -> None:
    users.create_user(tree, ADMIN, name="alice", password=None, role="viewer")
    tree.commit()


def test_a_write_to_a_read_only_database_is_a_storage_fault(db_url: str, tree, alice) -> None:
    engine = create_engine_for(read_only(db_url))
    try:
        with pytest.raises(StorageFault) as fault, unit_of_work(session_factory(engine)) as db:
            regions.create_region(db, ADMIN, code="98", name="另一省", level="province")
        assert "nothing was saved" in fault.value.en and "\n" not in fault.value.message("zh")
    finally:
        engine.dispose()
    assert [r.code for r in regions.list_regions(tree) if r.code == "98"] == []


def test_token_create_on_a_read_only_database_prints_one_line(
    db_url: str, tree, alice, tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("ECOCIV_DATABASE_URL", read_only(db_url))
    monkeypatch.setenv("ECOCIV_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(sys, "argv", ["ecociv", "token", "create", "alice"])
    with pytest.raises(SystemExit) as ended:
        main()
    captured = capsys.readouterr()
    assert ended.value.code == 2
    assert captured.err.startswith("ecociv: ") and captured.err.count("\n") == 1, captured.err
    assert "Traceback" not in captured.err and "eco_" not in captured.out
