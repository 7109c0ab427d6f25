"""Migrations run on SQLite and PostgreSQL and give the schema the models describe."""

from __future__ import annotations

from sqlalchemy import inspect

from ecociv.store.db import create_engine_for, current_revision, upgrade
from ecociv.store.models import Base


def test_upgrade_creates_every_table_and_is_idempotent(db_url: str) -> None:
    upgrade(db_url)
    upgrade(db_url)
    engine = create_engine_for(db_url)
    try:
        tables = set(inspect(engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        assert "alembic_version" in tables
        assert current_revision(engine) is not None
    finally:
        engine.dispose()


def test_constraints_carry_the_naming_convention(engine) -> None:
    inspector = inspect(engine)
    uniques = {c["name"] for c in inspector.get_unique_constraints("observation")}
    foreign = {c["name"] for c in inspector.get_foreign_keys("observation")}
    assert "uq_observation_region_id_indicator_code_year" in uniques
    assert "fk_observation_region_id_region" in foreign


def test_migrated_schema_matches_the_models(engine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
