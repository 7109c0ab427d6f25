"""Request-scoped dependencies as ``Annotated`` aliases (one unit of work per request).

* :data:`DbSession` — the request's SQLAlchemy session; it commits when the route returns and
  rolls back when it raises (:func:`ecociv.store.db.unit_of_work`).
* :data:`OptionalUser` / :data:`CurrentUser` — who is asking: an ``Authorization: Bearer``
  API token, else the signed session cookie, which names a server-side session that sign-out
  and a password change revoke; :data:`CurrentUser` refuses anonymous (401).
  Reading who asks never writes: a token's last-use time is written after the response, in
  a transaction of its own, at most once a minute (:func:`record_token_use`).
* :data:`Writer` — a signed-in user whose role may write at all (admin, editor); the region
  check itself happens where the region is known (:func:`require_region_edit`).
* :data:`View` — language, translator and the values every template needs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import BackgroundTasks, Depends, Request
from sqlalchemy.orm import Session, sessionmaker

from ecociv.notify import unread_count
from ecociv.settings import Settings
from ecociv.store.db import WRITE_WAIT_OPTION, unit_of_work
from ecociv.store.errors import AuthenticationError, Forbidden, StorageFault
from ecociv.store.models import Region, User
from ecociv.store.services import sessions, users
from ecociv.store.services.access import can_edit
from ecociv.web.csrf import csrf_token
from ecociv.web.i18n import LANGS, translator

SESSION_KEY = "sid"
"""The cookie's reference to the server-side session (:mod:`ecociv.store.services.sessions`)."""
SESSION_LANG = "lang"
TOKEN_USE_WAIT_S = 0.2
"""How long a token's last-use mark waits for its turn to write on SQLite before it is skipped."""


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_db(request: Request) -> Iterator[Session]:
    with unit_of_work(request.app.state.sessions) as session:
        yield session


AppSettings = Annotated[Settings, Depends(get_settings)]
DbSession = Annotated[Session, Depends(get_db, scope="function")]
"""Committed when the route function returns — *before* the response is sent, so a client
that follows a redirect at once sees what the request wrote."""


def optional_user(request: Request, db: DbSession, tasks: BackgroundTasks) -> User | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        token = users.verify_token(db, header[7:].strip())
        if users.token_use_due(token):
            tasks.add_task(record_token_use, request.app.state.sessions, token.id)
        return token.user
    key = request.session.get(SESSION_KEY)
    if not key:
        return None
    user = sessions.session_user(db, key)
    if user is None:  # signed out elsewhere, revoked, expired, or the user was deactivated
        request.session.pop(SESSION_KEY, None)
    return user


OptionalUser = Annotated[User | None, Depends(optional_user)]


def record_token_use(factory: sessionmaker[Session], token_id: int) -> None:
    """Write a token's last-use time in a short transaction of its own, after the response
    (outside the request's unit of work; at most once a minute per token).  It is a
    convenience record: when the database stays busy past its wait, this minute's mark is
    skipped and a later request writes it.  On SQLite it waits at most
    :data:`TOKEN_USE_WAIT_S` for its turn to write: fifty clients starting at once must not
    queue fifty such marks before their own writes."""
    try:
        with unit_of_work(factory) as session:
            session.connection(execution_options={WRITE_WAIT_OPTION: TOKEN_USE_WAIT_S})
            users.record_token_use(session, token_id)
    except StorageFault:  # what unit_of_work makes of the driver's OperationalError
        return


def current_user(user: OptionalUser) -> User:
    if user is None:
        raise AuthenticationError("请先登录", "please sign in first")
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def writer(user: CurrentUser) -> User:
    """A user whose role can write somewhere (admin, editor); viewers are refused here."""
    if user.role not in ("admin", "editor"):
        raise Forbidden(
            f"用户 {user.name} 是只读用户（{user.role}），不能修改数据",
            f"user {user.name} is read-only ({user.role}) and cannot change data",
        )
    return user


Writer = Annotated[User, Depends(writer)]


def require_region_edit(user: User, region: Region) -> None:
    """Refuse (403) unless *user* may write data of *region* (``access.can_edit``)."""
    if not can_edit(user, region):
        raise Forbidden(
            f"用户 {user.name}（{user.role}）无权修改 {region.name}（{region.code}）的数据",
            f"user {user.name} ({user.role}) may not change data of {region.name} ({region.code})",
            where=region.code,
        )


@dataclass
class View:
    """What every page template receives besides its own data."""

    request: Request
    lang: str
    t: Callable[..., str]
    user: User | None
    csrf: str
    unread: int = 0

    def context(self, data: Any, **extra: Any) -> dict[str, Any]:
        path = self.request.url.path.rstrip("/") or "/"
        return {
            "data": data,
            "lang": self.lang,
            "t": self.t,
            "user": self.user,
            "csrf": self.csrf,
            "unread": self.unread,
            "json_url": f"{path}.json"
            + (f"?{self.request.url.query}" if self.request.url.query else ""),
            **extra,
        }


def current_view(
    request: Request, user: OptionalUser, settings: AppSettings, db: DbSession
) -> View:
    asked = request.query_params.get("lang")
    if asked in LANGS:
        request.session[SESSION_LANG] = asked
    lang = request.session.get(SESSION_LANG, settings.lang)
    return View(
        request=request,
        lang=lang,
        t=translator(request.app.state.catalogs, lang),
        user=user,
        csrf=csrf_token(request),
        unread=unread_count(db, user.name) if user is not None else 0,
    )


ViewDep = Annotated[View, Depends(current_view)]
