"""Users, passwords (argon2id via argon2-cffi) and API tokens (only a SHA-256 is stored).

Tokens look like ``eco_<8 hex>_<43 urlsafe chars>``: 256 random bits, so a fast hash is
enough to store them (a slow hash protects low-entropy secrets such as passwords).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from ecociv.store.errors import AuthenticationError, Conflict, NotFound, ValidationError
from ecociv.store.models import ROLES, ApiToken, User, utcnow
from ecociv.store.services import audit
from ecociv.store.services.access import require_admin
from ecociv.store.services.audit import Actor
from ecociv.store.services.regions import get_region
from ecociv.store.services.sessions import revoke_user_sessions

MIN_PASSWORD_LENGTH = 8
EMAIL_MAX = 254
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
NAME_MAX = 100
TOKEN_PREFIX = "eco_"
TOKEN_USE_RESOLUTION = timedelta(minutes=1)
"""How fresh a token's ``last_used_at`` is kept: enough to see which tokens are in use, and
one write a minute per token instead of one per request."""
_HASHER = PasswordHasher()
"""argon2id with argon2-cffi's defaults (RFC 9106 low-memory profile)."""
_DUMMY_HASHES: dict[int, str] = {}


def get_user(session: Session, name: str) -> User:
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise NotFound(f"用户 {name} 不存在", f"user {name} does not exist", where=name)
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.name)))


def create_user(
    session: Session,
    actor: Actor,
    *,
    name: str,
    password: str | None,
    role: str,
    region_code: str | None = None,
    email: str | None = None,
) -> User:
    """Add a user; an ``editor`` needs a region (the root of the subtree they may edit).

    *password* ``None`` makes a user that can only use API tokens.
    """
    require_admin(actor)
    name = name.strip()
    if not name or len(name) > NAME_MAX:
        raise ValidationError(
            f"用户名不能为空且不超过 {NAME_MAX} 个字符",
            f"the user name must be 1–{NAME_MAX} characters",
        )
    _check_role(role)
    if role == "editor" and not region_code:
        raise ValidationError(
            "编辑者（editor）必须指定可编辑的行政区（--region）",
            "an editor needs the region whose subtree they may edit (--region)",
        )
    if session.scalar(select(User.id).where(User.name == name)) is not None:
        raise Conflict(f"用户 {name} 已存在", f"user {name} already exists", where=name)
    region = get_region(session, region_code) if region_code else None
    user = User(
        name=name,
        role=role,
        region=region,
        email=_checked_email(email),
        password_hash=_hash(password) if password else None,
    )
    session.add(user)
    session.flush()
    audit.record(session, actor, "create", "user", name, after=audit.snapshot(user))
    return user


def update_user(
    session: Session,
    actor: Actor,
    name: str,
    *,
    role: str | None = None,
    region_code: str | None = None,
    active: bool | None = None,
    email: str | None = None,
) -> User:
    """Change a user's role, region, active flag or e-mail address (admins only); an editor
    keeps a region.  An empty *email* removes the address."""
    require_admin(actor)
    user = get_user(session, name)
    before = audit.snapshot(user)
    if role is not None:
        _check_role(role)
        user.role = role
    if region_code is not None:
        user.region = get_region(session, region_code)
    if email is not None:
        user.email = _checked_email(email)
    if active is not None:
        user.active = active
        if not active:
            revoke_user_sessions(session, user)
    if user.role == "editor" and user.region is None:
        raise ValidationError(
            "编辑者（editor）必须指定可编辑的行政区",
            "an editor needs the region whose subtree they may edit",
        )
    session.flush()
    audit.record(session, actor, "update", "user", name, before=before, after=audit.snapshot(user))
    return user


def _checked_email(email: str | None) -> str | None:
    """An address of the form ``local@domain.tld`` (RFC 5321 length limit), or ``None``."""
    email = (email or "").strip()
    if not email:
        return None
    if len(email) > EMAIL_MAX or not EMAIL_PATTERN.fullmatch(email):
        raise ValidationError(
            f"电子邮件地址 {email[:60]} 格式不正确", f"{email[:60]} is not an e-mail address"
        )
    return email


def set_password(session: Session, actor: Actor, name: str, password: str) -> User:
    """Change a password (admins for anyone; a user for themself); every session of the user
    is revoked, so a copied cookie stops working."""
    user = get_user(session, name)
    if not (isinstance(actor, User) and actor.id == user.id):
        require_admin(actor)
    user.password_hash = _hash(password)
    revoked = revoke_user_sessions(session, user)
    session.flush()
    audit.record(session, actor, "set_password", "user", name, after={"sessions_revoked": revoked})
    return user


def authenticate(session: Session, name: str, password: str) -> User:
    """The active user with this name and password, or :class:`AuthenticationError`."""
    user = session.scalar(select(User).where(User.name == name))
    stored = user.password_hash if user is not None and user.active else None
    try:
        _HASHER.verify(stored or _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        stored = None
    if user is None or stored is None:
        raise AuthenticationError("用户名或密码错误", "wrong user name or password")
    if _HASHER.check_needs_rehash(stored):
        user.password_hash = _hash(password)
    return user


def create_token(
    session: Session, actor: Actor, *, user_name: str, token_name: str
) -> tuple[ApiToken, str]:
    """A new API token for *user_name*; the secret is returned once and never stored."""
    token_name = token_name.strip()
    if not token_name or len(token_name) > NAME_MAX:
        raise ValidationError(
            f"令牌名称不能为空且不超过 {NAME_MAX} 个字符",
            f"a token name must be 1–{NAME_MAX} characters",
        )
    user = get_user(session, user_name)
    if not (isinstance(actor, User) and actor.id == user.id):
        require_admin(actor)
    if session.scalar(
        select(ApiToken.id).where(ApiToken.user_id == user.id, ApiToken.name == token_name)
    ):
        raise Conflict(
            f"用户 {user_name} 已有名为 {token_name} 的令牌",
            f"user {user_name} already has a token named {token_name}",
        )
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(user=user, name=token_name, prefix=prefix, token_hash=_token_hash(secret))
    session.add(token)
    session.flush()
    audit.record(
        session,
        actor,
        "create",
        "api_token",
        f"{user_name}/{token_name}",
        after=audit.snapshot(token),
    )
    return token, secret


def verify_token(session: Session, secret: str) -> ApiToken:
    """The unrevoked token of an active user, or :class:`AuthenticationError`.

    It only reads: a request that reads data must not write (on SQLite every write takes the
    database's one write lock).  The last-use time is written apart, at most once a
    :data:`TOKEN_USE_RESOLUTION`, by :func:`record_token_use`."""
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_hash(secret)))
    if token is None or token.revoked_at is not None or not token.user.active:
        raise AuthenticationError("API 令牌无效或已撤销", "the API token is invalid or revoked")
    return token


def token_use_due(token: ApiToken, now: datetime | None = None) -> bool:
    """Whether *token*'s last-use time is older than :data:`TOKEN_USE_RESOLUTION` (or unset)."""
    last = token.last_used_at
    return last is None or (now or utcnow()) - last >= TOKEN_USE_RESOLUTION


def record_token_use(session: Session, token_id: int, now: datetime | None = None) -> bool:
    """Set the token's last-use time unless another request set it within the resolution
    (one conditional UPDATE, so concurrent requests write it once); whether it wrote."""
    now = now or utcnow()
    written = session.execute(
        update(ApiToken)
        .where(
            ApiToken.id == token_id,
            or_(
                ApiToken.last_used_at.is_(None),
                ApiToken.last_used_at <= now - TOKEN_USE_RESOLUTION,
            ),
        )
        .values(last_used_at=now)
    )
    return bool(written.rowcount)


def revoke_token(session: Session, actor: Actor, *, user_name: str, token_name: str) -> ApiToken:
    user = get_user(session, user_name)
    if not (isinstance(actor, User) and actor.id == user.id):
        require_admin(actor)
    token = session.scalar(
        select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.name == token_name)
    )
    if token is None:
        raise NotFound(
            f"令牌 {user_name}/{token_name} 不存在",
            f"token {user_name}/{token_name} does not exist",
        )
    before = audit.snapshot(token)
    token.revoked_at = utcnow()
    session.flush()
    audit.record(
        session,
        actor,
        "revoke",
        "api_token",
        f"{user_name}/{token_name}",
        before=before,
        after=audit.snapshot(token),
    )
    return token


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise ValidationError(
            f"角色 {role!r} 无效，可选：{'/'.join(ROLES)}",
            f"invalid role {role!r}; use one of {', '.join(ROLES)}",
        )


def _dummy_hash() -> str:
    """A hash to verify against when the user is unknown, so both cases take the same time."""
    key = id(_HASHER)
    if key not in _DUMMY_HASHES:
        _DUMMY_HASHES[key] = _HASHER.hash("ecociv-timing-equaliser")
    return _DUMMY_HASHES[key]


def _hash(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            f"密码至少需要 {MIN_PASSWORD_LENGTH} 个字符",
            f"the password needs at least {MIN_PASSWORD_LENGTH} characters",
        )
    return _HASHER.hash(password)


def _token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
