"""Sign in and out (登录/退出): argon2 verification through ``users.authenticate``, throttled
per account and per client address (``login_throttle``), with a server-side session that
signing out revokes (``sessions``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from ecociv.store.errors import AuthenticationError, LoginThrottled
from ecociv.store.services import login_throttle, sessions, users
from ecociv.store.services.login_throttle import LoginLimits
from ecociv.web.csrf import csrf_token
from ecociv.web.deps import SESSION_KEY, AppSettings, DbSession, ViewDep
from ecociv.web.errors import status_of
from ecociv.web.pages import page

router = APIRouter()


def safe_next(target: str | None) -> str:
    """Only a local path is followed after login (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/regions"


@page(router, "/login", "login.html")
def login_page(next: str | None = None) -> dict[str, Any]:
    return {"next": safe_next(next), "error": None}


def client_address(request: Request) -> str:
    """The address the connection comes from (behind a reverse proxy: the proxy's, unless the
    server runs with ``--proxy-headers``)."""
    return request.client.host if request.client else "unknown"


@router.post("/login", name="login")
def login(
    request: Request,
    db: DbSession,
    view: ViewDep,
    settings: AppSettings,
    name: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str | None, Form()] = None,
) -> Response:
    address = client_address(request)
    limits = LoginLimits(
        per_account=settings.login_failures_per_account,
        per_address=settings.login_failures_per_address,
        window_minutes=settings.login_window_minutes,
    )
    try:
        login_throttle.check_allowed(db, limits, name, address)
        try:
            user = users.authenticate(db, name, password)
        except AuthenticationError:
            login_throttle.record_attempt(db, name, address, succeeded=False)
            raise
    except AuthenticationError as error:  # the attempt and the audit entry are committed
        data = {"next": safe_next(next), "error": error.zh if view.lang == "zh" else error.en}
        headers = (
            {"Retry-After": str(error.retry_after_s)} if isinstance(error, LoginThrottled) else None
        )
        return request.app.state.templates.TemplateResponse(
            request, "login.html", view.context(data), status_code=status_of(error), headers=headers
        )
    login_throttle.record_attempt(db, name, address, succeeded=True)
    previous = request.session.get(SESSION_KEY)
    if previous:  # signing in again ends the session this browser had
        sessions.revoke_session(db, previous)
    key = sessions.open_session(db, user, hours=settings.session_hours, address=address)
    lang = request.session.get("lang")
    request.session.clear()
    request.session[SESSION_KEY] = key
    csrf_token(request)  # a fresh CSRF token now: reading a page then never changes the session
    if lang:
        request.session["lang"] = lang
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout", name="logout")
def logout(request: Request, db: DbSession) -> Response:
    """End the session on the server too: the cookie, even copied, no longer signs in."""
    key = request.session.get(SESSION_KEY)
    if key:
        sessions.revoke_session(db, key)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/", include_in_schema=False)
def home() -> Response:
    return RedirectResponse("/regions", status_code=303)
