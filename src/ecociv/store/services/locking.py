"""Optimistic locking (no lost update) for rows with a ``version`` column.

An update names the ``expected_version`` it was made from; :func:`check_version` refuses it
when someone saved in between, with the stored record in the :class:`Conflict`.  The database
enforces the same through SQLAlchemy's ``version_id_col``: :func:`flush_guarded` turns the
losing one of two concurrent flushes into a :class:`Conflict` too.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ecociv.store.errors import Conflict
from ecociv.store.models import Base
from ecociv.store.services import audit


def check_version(row: Any, expected_version: int, where: str) -> None:
    if row.version != expected_version:
        by = getattr(row, "updated_by", None)
        raise Conflict(
            f"{where} 已被 {by or '他人'} 修改（现为第 {row.version} 版，您编辑的是第 "
            f"{expected_version} 版）；请刷新后在最新内容基础上修改",
            f"{where} was changed by {by or 'someone else'} (now version {row.version}, "
            f"you edited version {expected_version}); reload and edit the latest",
            where=where,
            current=audit.snapshot(row) if isinstance(row, Base) else None,
        )


def flush_guarded(session: Session, where: str) -> None:
    try:
        session.flush()
    except StaleDataError:
        raise Conflict(
            f"{where} 在您保存的同时已被他人修改，请刷新后重试",
            f"{where} was changed by someone else while you saved; reload and try again",
            where=where,
        ) from None
