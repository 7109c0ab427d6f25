"""The web application: :func:`create_app` builds everything from a :class:`Settings`.

Nothing is created at import time.  The app owns one engine and one session factory
(``app.state``); every request gets one unit of work (:mod:`ecociv.web.deps`).  Synchronous
routes run on :data:`WORKER_THREADS` threads; at most :data:`REQUESTS_IN_FLIGHT` requests are
inside the app at once, one connection of the pool each (:mod:`ecociv.web.admission`); heavy
routes also take a slot of :mod:`ecociv.web.offload`.  The REST API
is a mounted sub-application at ``/api/v1`` with its own OpenAPI document
(``/api/v1/openapi.json``); the HTML pages and their JSON twins live on the main app.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any

import anyio.to_thread
from fastapi import Depends, FastAPI
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine
from starlette.middleware.sessions import SessionMiddleware

from ecociv import __version__
from ecociv.settings import Settings
from ecociv.store.db import create_engine_for, session_factory
from ecociv.web.admission import AdmissionMiddleware
from ecociv.web.csrf import verify_csrf
from ecociv.web.deps import SESSION_KEY
from ecociv.web.errors import install_error_handlers
from ecociv.web.fragments import fragment
from ecociv.web.headers import SecurityHeadersMiddleware
from ecociv.web.i18n import load_catalogs
from ecociv.web.limits import BodySizeLimitMiddleware
from ecociv.web.offload import HeavyWork
from ecociv.web.page_cache import PageCacheMiddleware, state_reader
from ecociv.web.pages import CACHEABLE
from ecociv.web.timefmt import beijing

WORKER_THREADS = 40
"""Threads that run the synchronous routes and dependencies (anyio's default, made explicit:
the admission limit and the connection pool are sized against it)."""
REQUESTS_IN_FLIGHT = 48
"""Requests let into the app at once (:mod:`ecociv.web.admission`), and so the connections of
the pool: each request holds at most one.  A PostgreSQL server needs ``max_connections`` of at
least this per ``ecociv serve`` process, plus its other clients."""
SESSION_COOKIE = "ecociv_session"


def app_from_environment() -> FastAPI:
    """The platform for the ``ECOCIV_*`` environment: the factory each uvicorn worker process
    calls when ``ecociv serve`` runs several."""
    from ecociv.settings import load_settings

    return create_app(load_settings())


def create_app(settings: Settings) -> FastAPI:
    """Build the whole platform (pages + ``/api/v1``) for *settings*."""
    from ecociv.web import api
    from ecociv.web.routes import ROUTERS, reports

    engine = create_engine_for(settings.database_url, pool_size=REQUESTS_IN_FLIGHT, max_overflow=0)
    # The page cache's own connection, used on the event loop only (ecociv.web.page_cache); a
    # broken one fails its query, the request goes through, and the pool replaces it.
    state_engine = create_engine_for(
        settings.database_url, pool_size=1, max_overflow=0, pool_pre_ping=False
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
        yield
        engine.dispose()
        state_engine.dispose()

    state = _shared_state(settings, engine)
    app = FastAPI(
        lifespan=lifespan,
        title="ecociv",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(verify_csrf)],
    )
    app.state._state.update(state)
    routers = (*ROUTERS, reports.router)  # included without a prefix: their paths are the app's
    for router in routers:
        app.include_router(router)
    api_app = api.create_api(settings)
    api_app.state._state.update(state)
    install_error_handlers(api_app, json_only=True)
    app.mount("/api/v1", api_app)
    static = resources.files("ecociv.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    install_error_handlers(app, json_only=False)

    # Outermost last: admission is outermost, so a request waiting its turn holds nothing;
    # next, the size limit sees the request before anything reads its body; the page cache
    # sits inside the session, whose decoded content is part of its key.
    app.add_middleware(
        PageCacheMiddleware,
        paths=[
            route.path_regex
            for router in routers
            for route in router.routes
            if isinstance(route, APIRoute) and getattr(route.endpoint, CACHEABLE, False)
        ],
        state=state_reader(state_engine),
        session_key=SESSION_KEY,
    )
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=int(settings.session_hours * 3600),
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_upload_bytes)
    app.add_middleware(AdmissionMiddleware, limit=REQUESTS_IN_FLIGHT)
    app.add_middleware(SecurityHeadersMiddleware)  # outermost: even a 413 carries them

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        """Answered on the event loop itself: it is slow exactly when the loop is blocked."""
        return {"status": "ok"}

    return app


def _shared_state(settings: Settings, engine: Engine) -> dict[str, Any]:
    """What the pages and the API share: settings, engine, sessions, catalogs, templates and
    the heavy-work slots."""
    return {
        "settings": settings,
        "engine": engine,
        "sessions": session_factory(engine),
        "catalogs": load_catalogs(),
        "heavy": HeavyWork(),
        "templates": _templates(),
    }


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(resources.files("ecociv.web") / "templates"))
    templates.env.filters["beijing"] = beijing
    templates.env.globals["fragment"] = fragment
    return templates
