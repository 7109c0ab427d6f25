"""Engines, sessions and migrations, built from a URL on demand (never at import).

* :func:`create_engine_for` — an engine for SQLite (foreign keys on, WAL journal, a busy
  timeout, and one writer at a time per engine: :class:`SqliteWriter`) or PostgreSQL
  (psycopg 3).
* :func:`session_factory` — a ``sessionmaker``; services take the :class:`Session` it makes.
* :func:`unit_of_work` — the one place where a request or a command commits or rolls back.
* :func:`upgrade` — runs the packaged Alembic migrations to ``head``.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from ecociv.errors import ConfigError
from ecociv.store.errors import StorageFault

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
SQLITE_BUSY_TIMEOUT_MS = 15_000
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def create_engine_for(url: str, **kwargs: Any) -> Engine:
    """An engine for *url*; a SQLite file and its folder are created, owner-only, when
    missing (:func:`private_sqlite_file`)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(
            f"数据库地址无法识别：{url!r}（示例：sqlite:///data/ecociv.db 或 "
            "postgresql+psycopg://user@127.0.0.1:5432/ecociv）",
            f"unrecognised database URL {url!r} (e.g. sqlite:///data/ecociv.db or "
            "postgresql+psycopg://user@127.0.0.1:5432/ecociv)",
        ) from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:" and not parsed.query.get("uri"):
            private_sqlite_file(Path(parsed.database).expanduser())
        engine = create_engine(parsed, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        SqliteWriter(SQLITE_BUSY_TIMEOUT_MS / 1000).attach(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(parsed, **kwargs)


def private_sqlite_file(path: Path) -> None:
    """Create the database file (0600) and its folder (0700) when missing, so that values,
    password hashes and sessions are readable by the service's account only.  SQLite gives
    its ``-wal`` and ``-shm`` files the database file's mode.  Existing files keep theirs."""
    path.parent.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE))
    except FileExistsError:
        pass
    except OSError as exc:
        raise ConfigError(
            f"无法创建数据库文件 {path}（{exc.strerror}）；请检查 ECOCIV_DATA_DIR 或 ECOCIV_DATABASE_URL",
            f"cannot create the database file {path} ({exc.strerror}); "
            "check ECOCIV_DATA_DIR or ECOCIV_DATABASE_URL",
        ) from None


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


WRITE_STATEMENT = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
"""The statements that make Python's sqlite3 open a transaction (its legacy mode, in which
SQLAlchemy's pysqlite dialect runs): reads before the first of them run outside any
transaction, so a write transaction never starts as a read."""


WRITE_WAIT_OPTION = "ecociv_write_wait_s"
"""An execution option: how long a SQLite connection waits for its turn to write (default: the
busy timeout), for writes that had better be skipped than wait, e.g.
``session.connection(execution_options={WRITE_WAIT_OPTION: 0.2})``.  PostgreSQL ignores it."""


class SqliteWriter:
    """One writing transaction at a time per engine, queued in the process (写事务排队).

    SQLite lets one connection write at a time.  Its own wait (the busy timeout) polls with
    sleeps of up to 100 ms and serves no one first, so under 50 concurrent clients a writer
    could poll past the 15 s timeout while others kept winning, and the request failed with
    ``database is locked`` (``bench/bench_load.py``, 49 errors in 60 s).  So a connection's first
    write statement first takes this engine's lock — waiting threads are woken in turn as it
    is released, without polling — and then opens its transaction with ``BEGIN IMMEDIATE``,
    taking SQLite's write lock at once instead of upgrading a read (an upgrade that meets
    another writer fails at once, without waiting).  The lock is released when the connection
    returns to the pool, which a session does right after its commit or rollback.  The busy
    timeout still orders writers of other processes (the CLI beside ``ecociv serve``); a
    writer that waits longer than it here fails the same way (``database is locked``).
    Reads take no lock: in WAL mode they never wait for a writer."""

    def __init__(self, timeout_s: float) -> None:
        self.timeout_s = timeout_s
        self._turns = FifoLock()

    def attach(self, engine: Engine) -> None:
        event.listen(engine, "before_cursor_execute", self._before_execute)
        event.listen(engine, "checkin", self._checkin)
        event.listen(engine, "invalidate", self._invalidated)

    def _before_execute(
        self, conn: Any, cursor: Any, statement: str, *_args: Any, **_kwargs: Any
    ) -> None:
        if conn.info.get(_HOLDS_WRITER) or not WRITE_STATEMENT.match(statement):
            return
        wait_s = conn.get_execution_options().get(WRITE_WAIT_OPTION, self.timeout_s)
        if not self._turns.acquire(wait_s):
            busy = sqlite3.OperationalError(
                f"database is locked (no turn to write within {wait_s:g} s)"
            )
            raise OperationalError(statement, None, busy)
        conn.info[_HOLDS_WRITER] = True
        try:
            if not cursor.connection.in_transaction:
                cursor.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            conn.info.pop(_HOLDS_WRITER)
            self._turns.release()
            raise OperationalError("BEGIN IMMEDIATE", None, exc) from None

    def _checkin(self, _dbapi_connection: Any, record: Any) -> None:
        if record.info.pop(_HOLDS_WRITER, False):
            self._turns.release()

    def _invalidated(self, dbapi_connection: Any, record: Any, _exception: Any) -> None:
        self._checkin(dbapi_connection, record)  # a lost connection's transaction is over


_HOLDS_WRITER = "ecociv_sqlite_writer"


class FifoLock:
    """A lock handed to its waiters in the order they came (``threading.Lock`` lets a thread
    that releases and at once asks again win over those already waiting).  It may be
    released by another thread than the one that took it (a request's unit of work ends in
    another worker thread than the one that wrote)."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._waiters: deque[threading.Lock] = deque()
        self._held = False

    def acquire(self, timeout_s: float) -> bool:
        """Take the lock, waiting at most *timeout_s*; whether it was taken."""
        with self._mutex:
            if not self._held:
                self._held = True
                return True
            turn = threading.Lock()
            turn.acquire()
            self._waiters.append(turn)
        if turn.acquire(timeout=timeout_s):
            return True
        with self._mutex:
            if turn in self._waiters:
                self._waiters.remove(turn)
                return False
        return True  # handed over between the timeout and the check: ours now

    def release(self) -> None:
        """Hand the lock to the longest waiter, or free it."""
        with self._mutex:
            if self._waiters:
                self._waiters.popleft().release()
            else:
                self._held = False


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded values readable after commit (``expire_on_commit=False``)."""
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: commit when the block ends normally, roll back when it raises.

    A database that cannot store (read-only, disk full, gone) ends the block with one
    :class:`~ecociv.store.errors.StorageFault` instead of the driver's exception."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException as exc:
        _rollback_quietly(session)
        fault = storage_fault(exc)
        if fault is not None:
            raise fault from None
        raise
    finally:
        session.close()


STORAGE_SQLSTATES = {
    "25006": ("数据库处于只读状态", "the database is read-only"),
    "53100": ("数据库所在磁盘已满", "the database's disk is full"),
    "53200": ("数据库服务器内存不足", "the database server is out of memory"),
    "58030": ("数据库读写磁盘失败", "the database failed to read or write its disk"),
}
"""PostgreSQL errors (SQLSTATE, PostgreSQL manual appendix A) that mean "cannot store"."""


def storage_fault(exc: BaseException) -> StorageFault | None:
    """The :class:`StorageFault` that *exc* means, or ``None`` when it is no storage fault:
    any driver ``OperationalError`` (SQLite: read-only, disk full, I/O error, cannot open; a
    lost PostgreSQL connection), and the PostgreSQL states of :data:`STORAGE_SQLSTATES`."""
    if not isinstance(exc, DBAPIError):
        return None
    state = getattr(exc.orig, "sqlstate", None) or ""
    cause = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else type(exc).__name__
    if state in STORAGE_SQLSTATES:
        zh, en = STORAGE_SQLSTATES[state]
    elif isinstance(exc, OperationalError):
        zh, en = "数据库无法写入或无法访问", "the database cannot be written or reached"
    else:
        return None
    return StorageFault(
        f"{zh}（{cause}），未保存任何数据；请联系管理员检查磁盘空间与数据库",
        f"{en} ({cause}); nothing was saved. Ask an administrator to check the disk and the "
        "database",
    )


def _rollback_quietly(session: Session) -> None:
    try:
        session.rollback()
    except DBAPIError:  # the connection itself is gone; closing the session releases it
        pass


def alembic_config(url: str) -> Any:
    """The Alembic configuration of the packaged migrations, pointed at *url*."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.set_main_option(
        "file_template",
        "%%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d-%%(rev)s_%%(slug)s",
    )
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at *url* to *revision* (``head``: the latest schema)."""
    from alembic import command

    try:
        command.upgrade(alembic_config(url), revision)
    except OperationalError as exc:
        raise ConfigError(
            f"无法连接数据库或执行迁移：{exc.orig}",
            f"cannot connect to the database or run the migrations: {exc.orig}",
        ) from None


def current_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at (``None`` before the first upgrade)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
