"""Rendered page parts kept per data revision (片段缓存): the heavy, user-independent part of a
page (the dashboard's counts, table and charts) is rendered once per store revision and
language and reused, so a busy page costs its frame (user name, CSRF token) and not its 50
charts.

A page opts in by putting a ``revision`` key in its data (from
:func:`ecociv.store.services.assessment_cache.cached_with_revision`) and calling
``{{ fragment("_part.html", key) }}`` in its template with a key naming everything the part
shows besides the data revision (plan, region, year…).  The part must not use the user or
the CSRF token.  A write makes a new revision, hence a new key: never a stale part.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

MAX_FRAGMENTS = 128

_rendered: OrderedDict[Hashable, Markup] = OrderedDict()
_lock = threading.Lock()


@pass_context
def fragment(context: Context, name: str, key: Hashable) -> Markup:
    """Template *name* rendered with the calling page's context, cached by
    (*name*, *key*, the data's revision, the language)."""
    data: dict[str, Any] = context.get("data") or {}
    full = (name, key, data.get("revision"), context.get("lang"))
    if data.get("revision") is not None:
        with _lock:
            if full in _rendered:
                _rendered.move_to_end(full)
                return _rendered[full]
    template = context.environment.get_template(name)
    html = Markup(template.render(context.get_all()))
    if data.get("revision") is not None:
        with _lock:
            _rendered[full] = html
            while len(_rendered) > MAX_FRAGMENTS:
                _rendered.popitem(last=False)
    return html
