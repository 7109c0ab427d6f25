"""Admission: at most *limit* requests inside the application at once (同时处理的请求数上限).

A request takes its database connection at its first query and keeps it until its unit of work
ends, and in between it waits for worker threads (every synchronous dependency and route is a
separate job on the thread pool).  With more requests inside than connections in the pool,
every thread can end up waiting for a connection held by a request that waits for a thread:
the server stalls until the pool's timeout and answers 500 (measured: 50 clients, 8 threads,
a pool of 28).  So the app admits at most as many requests as the pool has connections; the
others wait here, in the event loop, holding nothing, and go in first come, first served.

``/healthz`` is never held back: it answers whether the event loop runs, also under load.
"""

from __future__ import annotations

import anyio
from starlette.types import ASGIApp, Receive, Scope, Send

UNQUEUED_PATHS = frozenset({"/healthz"})


class AdmissionMiddleware:
    """Let at most *limit* HTTP requests into *app* at once; the rest wait their turn."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit
        self._slots: anyio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in UNQUEUED_PATHS:
            await self.app(scope, receive, send)
            return
        if self._slots is None:  # made inside the running event loop, on the first request
            self._slots = anyio.Semaphore(self.limit)
        async with self._slots:
            await self.app(scope, receive, send)
