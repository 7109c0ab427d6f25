"""Rendered pages kept per asker and store revision (页面缓存), served without rendering again.

The pages of the 驾驶舱 (dashboard, readiness, big screen, map, drill-down, and their JSON
twins) are read far more often than the store changes: a meeting-room display refreshes every
minute, a bureau's staff open the same dashboard all morning.  Their assessments are already
cached per data revision (:mod:`ecociv.store.services.assessment_cache`), but a request still
costs ten milliseconds of Python: signing in again from the session, loading the plan and the
region, the page function, Jinja.  Under fifty connections on two cores that is a queue of
seconds.

So this middleware keeps the bytes of a page it has sent, keyed by everything they depend on:

* the address (path and query) and the request headers that change a rendering (htmx's);
* the browser session: its key and its whole content (language, CSRF token), so no user is
  ever served another's page;
* the store's revision, the session's life and the unread count, asked in one indexed query
  per request (:func:`ecociv.store.services.page_state.page_state`), so a page is never older
  than the last write, in any worker process;
* the Beijing date, for anything judged against "this year".

A request that finds its key gets the kept bytes (or ``304 Not Modified`` when its
``If-None-Match`` names them); any other request goes to the application as before, and its
answer is kept when it is a plain ``200`` that changed nothing: no new cookie, the session as
it came.  Requests for a key that is being rendered wait for that rendering and take its
bytes (fifty screens refreshing right after a write cost one rendering, not fifty); when it
is not kept (an error, say), each goes to the application itself.  Requests with ``Authorization`` (API tokens), without a live session, or for pages
not marked cacheable (:func:`ecociv.web.pages.page` with ``cache=True``) always go through.

Kept answers carry ``Cache-Control: private, no-cache`` and an ``ETag``: a browser may keep
them but must ask again each time, and a shared cache may not keep them at all.

The state query runs on the event loop, on a connection of its own (one per process, used by
no thread): a connection of the application's pool could be waiting for a thread, and a
thread hop would cost as much as the query.  Each ``ecociv serve`` process has its own cache,
bounded in bytes (least recently used answers go first).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import anyio
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ecociv.store.services.page_state import PageState, page_state

MAX_BYTES = 64 * 1024 * 1024
"""Kept answers per process, in bytes of body (a dashboard of 50 indicators is about 150 KB)."""
MAX_BODY = 4 * 1024 * 1024
"""A larger answer is sent but not kept."""
RENDERING_HEADERS = (b"hx-request", b"hx-target", b"hx-trigger", b"accept-language")
"""Request headers a page may render differently for; each is part of the key."""
CACHE_CONTROL = (b"cache-control", b"private, no-cache")
BEIJING = timezone(timedelta(hours=8))


@dataclass(frozen=True)
class Kept:
    """One answer: its status line's headers and body, and the ETag naming the body."""

    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes
    etag: bytes


class PageStore:
    """A thread-safe LRU of :class:`Kept` answers bounded by :data:`MAX_BYTES` of body."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, Kept] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> Kept | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: str, kept: Kept) -> None:
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._entries[key] = kept
            self._bytes += len(kept.body)
            while self._bytes > self.max_bytes and self._entries:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= len(dropped.body)

    def __len__(self) -> int:
        return len(self._entries)


StateReader = Callable[[str], PageState | None]


def state_reader(engine: Engine) -> StateReader:
    """Ask :func:`page_state` on *engine* (its own pool of one connection); a database that
    fails answers ``None``, and the request then goes to the application, which reports it."""

    def read(session_key: str) -> PageState | None:
        try:
            with engine.connect() as connection:
                return page_state(connection, session_key)
        except SQLAlchemyError:
            return None

    return read


class PageCacheMiddleware:
    """Serve kept answers of the cacheable pages (module docstring); must sit inside the
    session middleware, which puts the decoded session in ``scope["session"]``."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        paths: Sequence[re.Pattern[str]],
        state: StateReader,
        session_key: str,
        store: PageStore | None = None,
    ) -> None:
        self.app = app
        self.paths = tuple(paths)
        self.state = state
        self.session_key = session_key
        self.store = store or PageStore()
        self._rendering: dict[str, anyio.Event] = {}
        """Keys being rendered now, so that requests arriving meanwhile wait for the one
        rendering instead of each rendering the same page (after a write, under load)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = self._key(scope)
        if key is None:
            await self.app(scope, receive, send)
            return
        kept = self.store.get(key)
        if kept is None and key in self._rendering:  # another request is rendering it
            await self._rendering[key].wait()
            kept = self.store.get(key)
        if kept is not None:
            await _replay(scope, kept, send)
            return
        done = self._rendering.setdefault(key, anyio.Event())
        try:
            await self._render_and_keep(scope, receive, send, key)
        finally:
            if self._rendering.get(key) is done:
                del self._rendering[key]
            done.set()

    def _key(self, scope: Scope) -> str | None:
        """The answer's key, or ``None`` when this request is not one to keep or serve."""
        if scope["type"] != "http" or scope["method"] != "GET":
            return None
        if not any(p.fullmatch(scope["path"]) for p in self.paths):
            return None
        headers = dict(scope["headers"])
        if b"authorization" in headers:
            return None
        session = scope.get("session") or {}
        session_key = session.get(self.session_key)
        if not isinstance(session_key, str):
            return None
        state = self.state(session_key)
        if state is None:
            return None
        parts = {
            "path": scope["path"],
            "query": scope["query_string"].decode("latin-1"),
            "headers": [headers.get(h, b"").decode("latin-1") for h in RENDERING_HEADERS],
            "session": session,
            "revision": state.revision,
            "user": state.user_id,
            "unread": state.unread,
            "day": datetime.now(BEIJING).date().isoformat(),
        }
        text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    async def _render_and_keep(self, scope: Scope, receive: Receive, send: Send, key: str) -> None:
        session_before = json.dumps(scope.get("session"), sort_keys=True, default=str)
        start: Message | None = None
        chunks: list[bytes] = []
        size = 0
        keep = True

        async def capture(message: Message) -> None:
            nonlocal start, size, keep
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                unchanged = json.dumps(scope.get("session"), sort_keys=True, default=str)
                keep = (
                    message["status"] == 200
                    and unchanged == session_before
                    and not any(name.lower() == b"set-cookie" for name, _ in headers)
                )
                if keep:
                    start = message
                    return  # sent with the ETag once the body is complete
            elif message["type"] == "http.response.body" and keep:
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                if not message.get("more_body", False):
                    body = b"".join(chunks)
                    kept = _kept(start, body)
                    if size <= MAX_BODY:
                        self.store.put(key, kept)
                    await _replay(scope, kept, send)
                return
            await send(message)

        await self.app(scope, receive, capture)


def _kept(start: Message | None, body: bytes) -> Kept:
    assert start is not None  # a body follows its start
    etag = b'"' + hashlib.blake2b(body, digest_size=16).hexdigest().encode("ascii") + b'"'
    headers = tuple(
        (name, value)
        for name, value in start.get("headers", [])
        if name.lower() not in (b"cache-control", b"etag")
    )
    return Kept(headers=(*headers, CACHE_CONTROL, (b"etag", etag)), body=body, etag=etag)


async def _replay(scope: Scope, kept: Kept, send: Send) -> None:
    """Send *kept*, or ``304`` with its ETag when the request's ``If-None-Match`` names it."""
    if _names(dict(scope["headers"]).get(b"if-none-match", b""), kept.etag):
        headers = [(n, v) for n, v in kept.headers if n.lower() != b"content-length"]
        await send({"type": "http.response.start", "status": 304, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
        return
    await send({"type": "http.response.start", "status": 200, "headers": list(kept.headers)})
    await send({"type": "http.response.body", "body": kept.body})


def _names(if_none_match: bytes, etag: bytes) -> bool:
    """Whether an ``If-None-Match`` header value names *etag* (RFC 9110 §13.1.2: a list of
    entity tags, weak ones compared weakly, or ``*``)."""
    wanted = if_none_match.strip()
    if wanted == b"*":
        return True
    return any(tag.strip().removeprefix(b"W/") == etag for tag in wanted.split(b","))
