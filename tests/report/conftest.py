"""Fixtures of the report tests: the demo sample and a seed plan in temporary SQLite stores,
and what each table should hold, computed from the assessment the store returns."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from ecociv.store.db import create_engine_for, session_factory, unit_of_work, upgrade

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "_artifacts" / "report"
REQUIRE_LIBREOFFICE_VAR = "ECOCIV_REQUIRE_LIBREOFFICE"


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory):
    """The bundled sample (青岚市, its districts, 2020–2024 values), loaded once."""
    from ecociv.demo.sample import load_sample

    url = f"sqlite:///{tmp_path_factory.mktemp('report-demo') / 'demo.db'}"
    upgrade(url)
    engine = create_engine_for(url)
    with unit_of_work(session_factory(engine)) as db:
        loaded = load_sample(db)
    yield engine, loaded.plan_id, url
    engine.dispose()


@pytest.fixture()
def demo_session(demo_store):
    engine, _, _ = demo_store
    with session_factory(engine)() as session:
        yield session
        session.rollback()


@pytest.fixture()
def libreoffice() -> str:
    """The LibreOffice program; skipped with a message when absent (CI fails instead)."""
    from ecociv.report.pdf import libreoffice as find

    found = find()
    if found is None:
        message = "LibreOffice (soffice) is not installed: PDF tests skipped"
        if os.environ.get(REQUIRE_LIBREOFFICE_VAR) == "1":
            pytest.fail(f"{REQUIRE_LIBREOFFICE_VAR}=1 but {message}", pytrace=False)
        pytest.skip(message)
    for tool in ("pdftotext", "pdfinfo", "pdftoppm", "pdfimages"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} (Debian poppler-utils) is not installed: PDF checks skipped")
    return found


@pytest.fixture()
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
