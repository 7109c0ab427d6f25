"""Every HTML page has a JSON twin built by the same function (``/x`` and ``/x.json``).

A page function is an ordinary FastAPI dependency: it declares its path and query parameters
and the dependencies it needs (database, user), and returns the page's data as plain JSON-ready
values.  :func:`page` registers it twice: the JSON route returns the data as it is, the HTML
route renders the template with that same data.
"""

import re
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, Response
from pydantic import BeforeValidator, Field
from pydantic_core import to_json

from ecociv.web.deps import ViewDep

# No "from __future__ import annotations" here: the routes below are built in a closure and
# FastAPI must see their real annotation objects, not strings naming closure variables.

PageFunction = Callable[..., dict[str, Any]]
CACHEABLE = "ecociv_page_cache"
"""Attribute of a route's endpoint: ``True`` when :mod:`ecociv.web.page_cache` may keep it."""


def attachment(filename: str) -> dict[str, str]:
    """The ``Content-Disposition`` header of a download: any character outside letters,
    digits, ``.``, ``_`` and ``-`` becomes ``_``, so no name (a region code stored before codes
    were checked, say) can break the header or inject another one."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", filename)
    return {"Content-Disposition": f'attachment; filename="{safe}"'}


def blank_is_none(value: Any) -> Any:
    """A query field sent empty (a form's "latest" / "all" option) means "not given"."""
    return None if value == "" else value


AsOf = Annotated[
    Annotated[int, Field(ge=1949, le=2100)] | None, BeforeValidator(blank_is_none), Query()
]
"""The as-of year of a page that judges (``?as_of=2023``); empty or absent: the latest."""


def json_response(data: Any, status_code: int = 200) -> Response:
    """Page data as UTF-8 JSON.  Page functions return plain JSON values, so pydantic-core's
    serialiser (compiled; three times the standard encoder's speed on the dashboard) does the
    work; anything else falls back to FastAPI's ``jsonable_encoder``."""
    body = to_json(data, fallback=jsonable_encoder)
    return Response(body, status_code=status_code, media_type="application/json")


def page(
    router: APIRouter, path: str, template: str, *, cache: bool = False
) -> Callable[[PageFunction], PageFunction]:
    """Register *fn* as ``GET path`` (HTML via *template*) and ``GET path.json`` (its data).

    ``cache=True`` lets :mod:`ecociv.web.page_cache` keep both answers per asker and store
    revision: only for a page whose data comes from audited store writes, the asker and the
    address (no clock finer than the day, no files outside the store)."""

    def register(fn: PageFunction) -> PageFunction:
        Data = Annotated[dict[str, Any], Depends(fn)]
        name = fn.__name__

        # The twin goes first: "/regions/{code}" would otherwise swallow "/regions/x.json".
        @router.get(f"{path.rstrip('/')}.json", name=f"{name}_json", include_in_schema=False)
        def as_json(data: Data) -> Response:
            return json_response(data)

        @router.get(path, name=name, response_class=HTMLResponse, include_in_schema=False)
        def as_html(data: Data, view: ViewDep) -> HTMLResponse:
            templates = view.request.app.state.templates
            return templates.TemplateResponse(view.request, template, view.context(data))

        setattr(as_json, CACHEABLE, cache)
        setattr(as_html, CACHEABLE, cache)
        return fn

    return register
