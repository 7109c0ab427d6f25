"""How errors reach a browser or a client: a status code and a bilingual message, never a trace.

Store errors map to HTTP statuses (:data:`STATUS`); any other :class:`EcocivError` is a 400.
JSON clients (``/api/v1``, ``*.json``, htmx fragments asking for JSON) get
``{"detail": zh, "detail_en": en, "where": ...}``; a browser gets the error page, and an
anonymous browser asking for a page is sent to the login form.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from ecociv.errors import EcocivError
from ecociv.store.db import storage_fault
from ecociv.store.errors import (
    AuthenticationError,
    Conflict,
    Forbidden,
    LoginThrottled,
    NotFound,
    StorageFault,
    ValidationError,
)
from ecociv.web.limits import UnsupportedUpload, UploadTooLarge
from ecociv.web.offload import ServerBusy

logger = logging.getLogger(__name__)

STATUS: dict[type[EcocivError], int] = {
    AuthenticationError: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    UploadTooLarge: 413,
    UnsupportedUpload: 415,
    ValidationError: 422,
    LoginThrottled: 429,
    StorageFault: 503,
    ServerBusy: 503,
}


REQUEST_INVALID = ("请求参数不正确", "the request parameters are invalid")
"""The message of a 422 for the request's shape (types, lengths, characters), as opposed to a
422 for a value the store's rules refuse (unit, range, a text that is no value)."""


def status_of(error: EcocivError) -> int:
    for kind in type(error).__mro__:
        if kind in STATUS:
            return STATUS[kind]
    return 400


def wants_json(request: Request) -> bool:
    path = request.url.path
    return (
        path.startswith("/api/")
        or path.endswith(".json")
        or "application/json" in request.headers.get("accept", "")
        or request.headers.get("authorization", "").lower().startswith("bearer ")
    )


def error_body(error: EcocivError) -> dict[str, Any]:
    body: dict[str, Any] = {"detail": error.zh, "detail_en": error.en, "where": error.where}
    if isinstance(error, Conflict) and error.current is not None:
        body["current"] = error.current
    if isinstance(error, ValidationError) and error.problems:
        body["problems"] = error.problems
    return body


def install_error_handlers(app: FastAPI, *, json_only: bool) -> None:
    async def ecociv_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, EcocivError)
        status = status_of(error)
        if json_only or wants_json(request):
            headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
            return JSONResponse(error_body(error), status_code=status, headers=headers)
        if status == 401 and request.method == "GET":
            return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
        return _error_page(
            request, status, error.zh if _lang(request) == "zh" else error.en, where=error.where
        )

    async def http_error(request: Request, error: Exception) -> Response:
        # The exception's headers go out with the answer, and a 405 lists in ``Allow`` every
        # method of the path, not only those of the first route that matched (RFC 9110 §15.5.6).
        assert isinstance(error, StarletteHTTPException)
        if error.status_code == 405:
            error.headers = {**(error.headers or {}), "Allow": allowed_methods(request)}
        if json_only or wants_json(request):
            return JSONResponse(
                {"detail": error.detail}, status_code=error.status_code, headers=error.headers
            )
        page = _error_page(request, error.status_code, str(error.detail))
        page.headers.update(error.headers or {})
        return page

    async def invalid_request(request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        problems = [
            {"loc": [str(part) for part in item.get("loc", ())], "msg": item.get("msg", "")}
            for item in error.errors()
        ]
        where = ".".join(problems[0]["loc"]) if problems else None  # the first field named
        body = {
            "detail": REQUEST_INVALID[0],
            "detail_en": REQUEST_INVALID[1],
            "where": where,
            "problems": problems,
        }
        if json_only or wants_json(request):
            return JSONResponse(body, status_code=422)
        text = "; ".join(f"{'.'.join(p['loc'])}: {p['msg']}" for p in problems)
        return _error_page(request, 422, f"{body['detail']}：{text}")

    async def unexpected(request: Request, error: Exception) -> Response:
        """The last resort: a storage fault the unit of work did not see (503), or any other
        failure (500) — as the documented body, never Starlette's plain text."""
        fault = storage_fault(error)
        if fault is not None:
            return await ecociv_error(request, fault)
        logger.exception("unexpected error on %s %s", request.method, request.url.path)
        body = {
            "detail": "服务器内部错误，未保存任何数据；请稍后重试或联系管理员",
            "detail_en": "internal server error; nothing was saved. Try again later or ask an "
            "administrator",
            "where": None,
        }
        if json_only or wants_json(request):
            return JSONResponse(body, status_code=500)
        return _error_page(
            request, 500, body["detail"] if _lang(request) == "zh" else body["detail_en"]
        )

    app.add_exception_handler(EcocivError, ecociv_error)
    app.add_exception_handler(Exception, unexpected)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid_request)


HTTP_METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")


def allowed_methods(request: Request) -> str:
    """The methods the app's routes accept on the request's path (each asked the router's own
    way, so included routers, prefixes and path convertors count as they do for a request)."""
    routes = request.app.router.routes
    return ", ".join(
        method
        for method in HTTP_METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes
        )
    )


def _lang(request: Request) -> str:
    return (
        request.session.get("lang", request.app.state.settings.lang)
        if "session" in request.scope
        else "zh"
    )


def _error_page(request: Request, status: int, message: str, where: str | None = None) -> Response:
    from ecociv.web.i18n import translator

    lang = _lang(request)
    t = translator(request.app.state.catalogs, lang)
    context = {
        "data": {
            "status": status,
            "title": t(f"error.{status}"),
            "message": message,
            "where": where,
        },
        "lang": lang,
        "t": t,
        "user": None,
        "csrf": request.session.get("csrf", "") if "session" in request.scope else "",
        "json_url": "",
    }
    return request.app.state.templates.TemplateResponse(
        request, "error.html", context, status_code=status
    )
