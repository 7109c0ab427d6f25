"""Issue 18 #9: the data folder and the SQLite database are owner-only (0700 / 0600).

PostgreSQL keeps its files in its own cluster; only the embedded database is ours to create.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from ecociv.settings import load_settings
from ecociv.store.db import create_engine_for, upgrade


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o000])
def test_a_new_database_and_its_folder_are_owner_only(tmp_path: Path, umask: int) -> None:
    folder = tmp_path / "data" / "nested"
    url = f"sqlite:///{folder / 'ecociv.db'}"
    old = os.umask(umask)
    try:
        upgrade(url)
        engine = create_engine_for(url)
        with engine.begin() as connection:  # WAL: the -wal and -shm files exist while open
            connection.execute(text("CREATE TABLE probe (x INTEGER)"))
            assert _mode(folder) == 0o700
            for path in folder.iterdir():
                assert _mode(path) == 0o600, path.name
        engine.dispose()
    finally:
        os.umask(old)
    assert sorted(p.name for p in folder.iterdir())[0] == "ecociv.db"


def test_the_default_data_folder_and_key_are_owner_only(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path / "fresh")
    assert _mode(settings.data_dir) == 0o700
    assert _mode(settings.data_dir / "secret_key") == 0o600


def test_an_existing_database_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    path.touch(mode=0o640)
    os.chmod(path, 0o640)
    create_engine_for(f"sqlite:///{path}").dispose()
    assert _mode(path) == 0o640
