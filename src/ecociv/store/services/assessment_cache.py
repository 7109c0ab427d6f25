"""Assessments cached per data revision: computed once, reused until the next write.

Every write of the store records an audit entry in the same transaction
(:mod:`ecociv.store.services.audit`: values, plans and their versions, targets, regions,
standards, users), so the highest audit id is a revision number of the whole store that every
process sees as soon as the write commits.  A cached result is keyed by that revision and by
the question (plan, region, year, standard, language…): a read after a write finds a new
revision and computes afresh, so no page shows data older than the last write, in any worker
process, without any message between processes.

The cache is per process, bounded (least recently used entries go first) and thread-safe;
results must be treated as read-only by their users.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ecociv.store.models import AuditEntry

T = TypeVar("T")
MAX_ENTRIES = 256

_entries: OrderedDict[Hashable, object] = OrderedDict()
_lock = threading.Lock()


def revision_query() -> Select[tuple[int | None]]:
    """The statement of :func:`data_revision`, for queries that ask it beside other things."""
    return select(func.max(AuditEntry.id))


def data_revision(session: Session) -> int:
    """The store's revision: the id of the latest audit entry (0 for an empty store)."""
    return session.scalar(revision_query()) or 0


def cached(session: Session, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` for *key* at the store's current revision, from the cache when there."""
    return cached_with_revision(session, key, compute)[0]


def cached_with_revision(
    session: Session, key: Hashable, compute: Callable[[], T]
) -> tuple[T, str]:
    """:func:`cached`, and a string naming the revision (and, by a digest, the database) the
    value is of, for caches built on top such as rendered page parts."""
    database = session.get_bind().engine.url.render_as_string(hide_password=True)
    revision = data_revision(session)
    full = (revision, database, key)
    with _lock:
        found = full in _entries
        if found:
            _entries.move_to_end(full)
            value = _entries[full]
    if not found:
        value = compute()
        with _lock:
            _entries[full] = value
            while len(_entries) > MAX_ENTRIES:
                _entries.popitem(last=False)
    where = hashlib.sha256(database.encode()).hexdigest()[:8]
    return value, f"{revision}-{where}"  # type: ignore[return-value]


def clear() -> None:
    """Forget every cached result (tests; never needed for correctness)."""
    with _lock:
        _entries.clear()
