"""Runtime settings of the platform (环境变量 ``ECOCIV_*``).

Nothing here is built at import time: the web app, the CLI and the tests each call
:func:`load_settings` once and pass the result down.

=========================  ===============================================================
variable                   meaning
=========================  ===============================================================
``ECOCIV_DATA_DIR``        folder for the embedded database and the persisted secret key
``ECOCIV_DATABASE_URL``    SQLAlchemy URL; default ``sqlite:///<data_dir>/ecociv.db``;
                           PostgreSQL: ``postgresql+psycopg://user@host:5432/db``
``ECOCIV_SECRET_KEY``      signs session cookies; generated once and kept in
                           ``<data_dir>/secret_key`` when not given
``ECOCIV_MAX_UPLOAD_MB``   largest accepted upload (default 20)
``ECOCIV_SECURE_COOKIES``  ``true`` behind TLS: cookies get the ``Secure`` flag
``ECOCIV_LANG``            ``zh`` (default) or ``en``
``ECOCIV_UPLOAD_TTL_HOURS``  a plan upload waiting for confirmation is removed after
                           this many hours (default 24)
``ECOCIV_SESSION_HOURS``   lifetime of a browser session (default 8: one working day)
``ECOCIV_LOGIN_FAILURES_PER_ACCOUNT``  failed sign-ins of one account, since its last
                           success, that lock it for the window (default 5)
``ECOCIV_LOGIN_FAILURES_PER_ADDRESS``  failed sign-ins from one client address that lock
                           that address for the window (default 20)
``ECOCIV_LOGIN_WINDOW_MINUTES``  the window failures are counted in, and the longest
                           lockout (default 15)
``ECOCIV_SMTP_HOST``       mail server for notifications; empty (default): no e-mail is
                           sent, notifications stay in the app
``ECOCIV_SMTP_PORT``       its port (default 25)
``ECOCIV_SMTP_USER``       user name for SMTP authentication (empty: none)
``ECOCIV_SMTP_PASSWORD``   its password
``ECOCIV_SMTP_SENDER``     the From address (default ``ecociv@localhost``)
``ECOCIV_SMTP_STARTTLS``   ``true``: upgrade the connection with STARTTLS before sending
``ECOCIV_PUBLIC_URL``      the platform's address as users reach it, for links in e-mail
=========================  ===============================================================
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any, Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from ecociv.errors import ConfigError

SECRET_KEY_FILE = "secret_key"
DATABASE_FILE = "ecociv.db"


def default_data_dir() -> Path:
    """``$XDG_DATA_HOME/ecociv`` (``~/.local/share/ecociv`` when unset)."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "ecociv"


class Settings(BaseSettings):
    """The resolved settings: after :func:`load_settings` every field has its final value."""

    model_config = SettingsConfigDict(env_prefix="ECOCIV_", extra="ignore", frozen=True)

    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str = ""
    secret_key: str = ""
    max_upload_mb: int = Field(default=20, gt=0, le=1024)
    secure_cookies: bool = False
    lang: Literal["zh", "en"] = "zh"
    upload_ttl_hours: float = Field(default=24, gt=0, le=24 * 30)
    session_hours: float = Field(default=8, gt=0, le=24 * 30)
    login_failures_per_account: int = Field(default=5, ge=1, le=1000)
    login_failures_per_address: int = Field(default=20, ge=1, le=100_000)
    login_window_minutes: float = Field(default=15, gt=0, le=24 * 60)
    smtp_host: str = ""
    smtp_port: int = Field(default=25, gt=0, lt=65536)
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_sender: str = "ecociv@localhost"
    smtp_starttls: bool = False
    public_url: str = ""

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024


def load_settings(**overrides: Any) -> Settings:
    """Read ``ECOCIV_*`` (explicit *overrides* win), fill the derived defaults, return them.

    The default database is a SQLite file in ``data_dir``; a missing secret key is generated
    once and persisted (mode 0600) in ``data_dir`` so that sessions survive restarts.
    """
    try:
        raw = Settings(**overrides)
    except ValueError as exc:
        raise ConfigError(
            f"环境变量 ECOCIV_* 取值无效：{exc}",
            f"invalid ECOCIV_* setting: {exc}",
        ) from None
    data_dir = raw.data_dir.expanduser()
    updates: dict[str, Any] = {"data_dir": data_dir}
    if not raw.database_url:
        updates["database_url"] = f"sqlite:///{data_dir / DATABASE_FILE}"
    if not raw.secret_key:
        updates["secret_key"] = _persisted_secret_key(data_dir)
    return raw.model_copy(update=updates)


def _persisted_secret_key(data_dir: Path) -> str:
    path = data_dir / SECRET_KEY_FILE
    try:
        if path.is_file():
            key = path.read_text(encoding="ascii").strip()
            if key:
                return key
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)  # owner-only, like the key
        key = secrets.token_urlsafe(48)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(key + "\n")
        return key
    except OSError as exc:
        raise ConfigError(
            f"无法读写密钥文件 {path}（{exc.strerror}）；请设置 ECOCIV_SECRET_KEY 或 ECOCIV_DATA_DIR",
            f"cannot read or write the key file {path} ({exc.strerror}); "
            "set ECOCIV_SECRET_KEY or ECOCIV_DATA_DIR",
        ) from None
