"""CSRF protection (跨站请求伪造防护) for everything a browser session can write.

The token is random per session and kept inside the signed session cookie.  Every form
carries it as the hidden field ``csrf_token``; htmx requests send it as the ``X-CSRF-Token``
header (``hx-headers`` on ``<body>``).  A request authenticated by ``Authorization: Bearer``
is exempt: a browser never attaches that header on its own, so it cannot be forged cross-site.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request

from ecociv.store.errors import Forbidden

SESSION_KEY = "csrf"
FORM_FIELD = "csrf_token"
HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def csrf_token(request: Request) -> str:
    """The session's token, created on first use."""
    token = request.session.get(SESSION_KEY)
    if not token:
        token = secrets.token_urlsafe(32)
        request.session[SESSION_KEY] = token
    return token


async def verify_csrf(request: Request) -> None:
    """Dependency of every router: refuse an unsafe request without the session's token."""
    if request.method in SAFE_METHODS:
        return
    if request.headers.get("authorization", "").lower().startswith("bearer "):
        return
    expected = request.session.get(SESSION_KEY)
    given = request.headers.get(HEADER)
    if not given and _is_form(request):
        form = await request.form()
        value = form.get(FORM_FIELD)
        given = value if isinstance(value, str) else None
    if not expected or not given or not hmac.compare_digest(expected, given):
        raise Forbidden(
            "表单已失效或缺少防伪令牌（CSRF），请刷新页面后重试",
            "the form has expired or lacks its anti-forgery (CSRF) token; reload the page and retry",
        )


def _is_form(request: Request) -> bool:
    kind = request.headers.get("content-type", "")
    return kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data"))
