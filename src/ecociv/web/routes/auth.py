"""Sign in and out (登录/退出): argon2 verification through ``users.authenticate``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from ecociv.store.errors import AuthenticationError
from ecociv.store.services import users
from ecociv.web.csrf import SESSION_KEY as CSRF_SESSION_KEY
from ecociv.web.deps import SESSION_USER, DbSession, ViewDep
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


@router.post("/login", name="login")
def login(
    request: Request,
    db: DbSession,
    view: ViewDep,
    name: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str | None, Form()] = None,
) -> Response:
    try:
        user = users.authenticate(db, name, password)
    except AuthenticationError as error:
        data = {"next": safe_next(next), "error": error.zh if view.lang == "zh" else error.en}
        templates = request.app.state.templates
        return templates.TemplateResponse(
            request, "login.html", view.context(data), status_code=401
        )
    lang = request.session.get("lang")
    request.session.clear()
    request.session[SESSION_USER] = user.name
    if lang:
        request.session["lang"] = lang
    request.session.pop(CSRF_SESSION_KEY, None)  # a fresh token after sign-in
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout", name="logout")
def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/", include_in_schema=False)
def home() -> Response:
    return RedirectResponse("/regions", status_code=303)
