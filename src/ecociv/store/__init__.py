"""Relational store: SQLAlchemy 2 models, Alembic migrations, services (SQLite | PostgreSQL)."""
