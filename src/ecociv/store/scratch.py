"""A throwaway PostgreSQL schema, for the tests and benchmarks that need a real server.

Each user gets a schema of its own on the server (``CREATE SCHEMA``, then a URL whose
``search_path`` points at it) and the schema is dropped afterwards, so runs never see each
other's tables nor touch anything else in the database.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


@contextmanager
def scratch_schema(url: str, *, prefix: str = "scratch") -> Iterator[str]:
    """Create a fresh schema on the PostgreSQL server at *url*; yield a URL that uses it;
    drop it (with everything in it) afterwards."""
    base = make_url(url)
    schema = f"{prefix}_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        scoped = base.update_query_dict({"options": f"-csearch_path={schema}"})
        yield scoped.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
