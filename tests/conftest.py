"""Shared pytest fixtures: the seed corpus, the databases, the browser."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# CI replays a fixed set of examples (derandomize), so a submission's result does not depend on
# the draw; local runs keep exploring new examples and remember failures in .hypothesis/.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI", "").lower() == "true":
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = Path(os.environ.get("ECOCIV_SEEDS", ROOT.parent / "shared" / "seeds"))
SEED_FILES = {
    "000": "000_7d170a64cf55d9be.txt",
    "002": "002_643721506f9da807.txt",
    "003": "003_502349e95fdb087f.txt",
}


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The folder of real plans; the test is skipped (with the reason) when it is absent."""
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"seed plans not found at {SEEDS_DIR} (set ECOCIV_SEEDS to their folder)")
    return SEEDS_DIR


@pytest.fixture(scope="session")
def seed_path(seeds_dir: Path):
    """``seed_path("000")`` → the path of that seed plan."""

    def get(key: str) -> Path:
        path = seeds_dir / SEED_FILES[key]
        if not path.is_file():
            pytest.skip(f"seed plan {path} is missing")
        return path

    return get


# ----------------------------------------------------------------------- database fixtures
# (store, issue 4.)  Every storage test takes ``db_url`` (or ``engine`` / ``session``) and so
# runs twice: on a fresh SQLite file and on PostgreSQL, in a schema of its own that is dropped
# afterwards — a developer's data is never touched.  PostgreSQL comes from
# ECOCIV_TEST_POSTGRES_URL (its database is created when missing); without the variable those
# cases skip, naming it; with ECOCIV_REQUIRE_POSTGRES=1 (CI) they fail instead of skipping.

POSTGRES_URL_VAR = "ECOCIV_TEST_POSTGRES_URL"
REQUIRE_POSTGRES_VAR = "ECOCIV_REQUIRE_POSTGRES"


def _postgres_unavailable(reason: str) -> None:
    if os.environ.get(REQUIRE_POSTGRES_VAR) == "1":
        pytest.fail(
            f"{REQUIRE_POSTGRES_VAR}=1 but PostgreSQL is unavailable: {reason}", pytrace=False
        )
    pytest.skip(f"PostgreSQL case skipped: {reason}")


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The test server's URL, its database created when missing (skip/fail when unavailable)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    url = os.environ.get(POSTGRES_URL_VAR)
    if not url:
        _postgres_unavailable(
            f"set {POSTGRES_URL_VAR} (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/ecociv_test)"
        )
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": parsed.database}
            )
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    except SQLAlchemyError as exc:
        _postgres_unavailable(
            f"cannot reach {parsed.render_as_string()}: {exc.__class__.__name__}: {exc}"
        )
    finally:
        admin.dispose()
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path):
    """An empty database: a SQLite file, or a fresh PostgreSQL schema (dropped afterwards)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ecociv-test.db'}"
        return
    from ecociv.store.scratch import scratch_schema

    with scratch_schema(request.getfixturevalue("postgres_url"), prefix="test") as url:
        yield url


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once per run; each test gets a copy (a migration takes ~1 s)."""
    from ecociv.store.db import upgrade

    path = tmp_path_factory.mktemp("sqlite-template") / "migrated.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def engine(db_url: str, request: pytest.FixtureRequest):
    """An engine on a database migrated to the latest schema (the migrations themselves are
    tested from an empty database in tests/store/test_store_migrations.py)."""
    import shutil

    from sqlalchemy.engine import make_url

    from ecociv.store.db import create_engine_for, upgrade

    url = make_url(db_url)
    if url.get_backend_name() == "sqlite":
        shutil.copyfile(request.getfixturevalue("migrated_sqlite_template"), str(url.database))
    else:
        upgrade(db_url)
    engine = create_engine_for(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine):
    """A session on the migrated database; the test decides when to commit."""
    from sqlalchemy.orm import Session

    with Session(engine, expire_on_commit=False) as session:
        yield session
        session.rollback()
