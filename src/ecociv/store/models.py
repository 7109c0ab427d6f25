"""The relational schema (SQLAlchemy 2 typed models) for SQLite and PostgreSQL.

Rules kept throughout:

* every constraint has a deterministic name (:data:`NAMING_CONVENTION`), so Alembic
  migrations are the same on both databases;
* rows are addressed by stable keys in the services and in exports (region ``code``, plan
  ``region + name``, indicator ``code``); integer ids stay internal;
* who did a thing is kept as the user's *name* (a string), so history and audit survive a
  deleted user and travel with an export;
* times are timezone-aware UTC on both databases (:class:`UTCDateTime`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
    inspect,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from ecociv.store.errors import ValidationError

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

REGION_LEVELS = ("province", "city", "county", "town")
"""省, 市, 县/区, 乡镇/街道 — from the top of the tree down."""
TERRAINS = ("山区", "丘陵地区", "平原地区", "干旱半干旱地区", "青藏高原地区", "其他地区")
"""Terrain classes as the national standard (2021 修订版) names them."""
TERRAIN_SHORT_FORMS = {"丘陵": "丘陵地区", "平原": "平原地区"}
ADMIN_CLASSES = ("市", "县")
CITY_SIZES = ("超、特大城市", "大城市", "中小城市")
ROLES = ("admin", "editor", "viewer")

JSONType = JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as UTC and always read back timezone-aware (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime,
        dict[str, Any]: JSONType,
    }


@event.listens_for(Base, "before_insert", propagate=True)
@event.listens_for(Base, "before_update", propagate=True)
def _refuse_nul(_mapper: Any, _connection: Any, row: Base) -> None:
    """No text holds U+0000: PostgreSQL refuses it (text and JSONB) and SQLite would keep it
    silently; every write path, on both databases, gets the same 422 instead."""
    for attr in inspect(row).mapper.column_attrs:
        if _holds_nul(getattr(row, attr.key)):
            raise ValidationError(
                f"{row.__tablename__}.{attr.key} 含有 NUL 字符（U+0000），无法保存；请删除该字符",
                f"{row.__tablename__}.{attr.key} holds a NUL character (U+0000) and cannot be "
                "stored; remove it",
                where=f"{row.__tablename__}.{attr.key}",
            )


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_holds_nul(v) for v in value)
    return False


# --------------------------------------------------------------------------- regions


class Region(Base):
    """An administrative region (行政区): 省 → 市 → 县/区 → 乡镇/街道.

    ``path`` is the materialised path of codes (``/33/3301/330106/``) so that "is this region
    inside that subtree" is a prefix test, on both databases, without recursion.
    """

    __tablename__ = "region"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)
    path: Mapped[str] = mapped_column(String(400), index=True)
    terrain: Mapped[str | None] = mapped_column(String(8))
    admin_class: Mapped[str | None] = mapped_column(String(8))
    city_size: Mapped[str | None] = mapped_column(String(16))
    coastal: Mapped[bool | None] = mapped_column(Boolean)
    division_code: Mapped[str | None] = mapped_column(String(12), unique=True)
    """The GB/T 2260 administrative division code (行政区划代码, six digits; a town's nine-digit
    统计用区划代码), checked by :mod:`ecociv.store.services.division_codes`; ``code`` stays the
    store's own key and may be a local or test code."""
    default_standard: Mapped[str | None] = mapped_column(String(32))
    """The standard version its readiness (创建) view judges by default (set by an admin)."""

    parent: Mapped[Region | None] = relationship(remote_side=[id])


# --------------------------------------------------------------------------- standards


class Standard(Base):
    """A demonstration-zone standard (示范区建设指标), one row per published version."""

    __tablename__ = "standard"
    __table_args__ = (UniqueConstraint("code", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    source: Mapped[str | None] = mapped_column(Text)
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    indicators: Mapped[list[StandardIndicator]] = relationship(
        back_populates="standard", cascade="all, delete-orphan", order_by="StandardIndicator.id"
    )


class StandardIndicator(Base):
    """An indicator of a standard, with its stable ASCII code and its requirement(s)."""

    __tablename__ = "standard_indicator"
    __table_args__ = (UniqueConstraint("standard_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("standard.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(100), index=True)
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str | None] = mapped_column(String(32))
    domain: Mapped[str | None] = mapped_column(String(64))
    attribute: Mapped[str | None] = mapped_column(Text)
    definition: Mapped[dict[str, Any]] = mapped_column(default=dict)

    standard: Mapped[Standard] = relationship(back_populates="indicators")


# --------------------------------------------------------------------------- plans


class Plan(Base):
    """A plan of a region (e.g. 某区生态文明建设规划（2021—2030年）); its content is versioned."""

    __tablename__ = "plan"
    __table_args__ = (UniqueConstraint("region_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    period_start: Mapped[int | None]
    period_end: Mapped[int | None]
    base_year: Mapped[int | None]
    current_version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    region: Mapped[Region] = relationship()
    versions: Mapped[list[PlanVersion]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanVersion.version"
    )


class PlanVersion(Base):
    """One import of a plan: the source Plan JSON as imported, and what changed since the last."""

    __tablename__ = "plan_version"
    __table_args__ = (UniqueConstraint("plan_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"))
    version: Mapped[int]
    source_json: Mapped[dict[str, Any]]
    source_sha256: Mapped[str | None] = mapped_column(String(64))
    diff: Mapped[dict[str, Any]] = mapped_column(default=dict)
    imported_by: Mapped[str | None] = mapped_column(String(100))
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    column_map: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    """The user's column roles (``ecociv.ingest.column_map``: ``{"tables": [...]}``), reused
    on the next import of the plan."""
    findings: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    """``ecociv check`` of the upload (``docs/check-json.md``), every finding, none hidden."""

    plan: Mapped[Plan] = relationship(back_populates="versions")
    indicators: Mapped[list[PlanIndicator]] = relationship(
        back_populates="plan_version",
        cascade="all, delete-orphan",
        order_by="PlanIndicator.position",
    )
    projects: Mapped[list[Project]] = relationship(
        back_populates="plan_version", cascade="all, delete-orphan", order_by="Project.position"
    )


class AcceptedFinding(Base):
    """A check finding a reviewer accepted as is (``docs/check-json.md``, stable ids): it is
    hidden on this and every later version of the plan while its id stays the same."""

    __tablename__ = "accepted_finding"
    __table_args__ = (UniqueConstraint("plan_id", "finding_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"))
    finding_id: Mapped[str] = mapped_column(String(100))
    accepted_by: Mapped[str | None] = mapped_column(String(100))
    accepted_at: Mapped[datetime] = mapped_column(default=utcnow)


class PlanIndicator(Base):
    """An indicator row of a plan version.

    ``code`` is the standard indicator's code when the name matched one
    (``match_confidence`` says how sure), otherwise a plan-local code (``plan.<hash>``);
    observations are keyed by (region, code, year), so they outlive plan re-imports.
    """

    __tablename__ = "plan_indicator"
    __table_args__ = (UniqueConstraint("plan_version_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_version_id: Mapped[int] = mapped_column(ForeignKey("plan_version.id", ondelete="CASCADE"))
    position: Mapped[int]
    code: Mapped[str] = mapped_column(String(100), index=True)
    parent_code: Mapped[str | None] = mapped_column(String(100))
    seq: Mapped[str | None] = mapped_column(Text)
    domain: Mapped[str | None] = mapped_column(Text)
    task: Mapped[str | None] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(Text)
    attribute: Mapped[str | None] = mapped_column(Text)
    applicable: Mapped[bool] = mapped_column(default=True)
    baseline_year: Mapped[int | None]
    baseline_text: Mapped[str | None] = mapped_column(Text)
    standard_code: Mapped[str | None] = mapped_column(String(100))
    match_confidence: Mapped[float | None] = mapped_column(Float)
    cells: Mapped[dict[str, Any]] = mapped_column(default=dict)

    plan_version: Mapped[PlanVersion] = relationship(back_populates="indicators")
    targets: Mapped[list[Target]] = relationship(
        back_populates="indicator", cascade="all, delete-orphan", order_by="Target.year"
    )


class Target(Base):
    """The plan's requirement for an indicator in a year (目标值), editable, with history."""

    __tablename__ = "target"
    __table_args__ = (UniqueConstraint("indicator_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("plan_indicator.id", ondelete="CASCADE"))
    year: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    parsed: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    """The requirement *text* parsed when it was written (``{"stamp", "expr"}``, see
    :func:`parsed_requirement`), so that judging reads it instead of parsing it again."""
    version: Mapped[int] = mapped_column(default=1)
    updated_by: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    indicator: Mapped[PlanIndicator] = relationship(back_populates="targets")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy's declared name)


class TargetHistory(Base):
    """A previous state of a :class:`Target` (one row per change)."""

    __tablename__ = "target_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("target.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    changed_by: Mapped[str | None] = mapped_column(String(100))
    changed_at: Mapped[datetime]


class Project(Base):
    """A key project (重点项目) of a plan version."""

    __tablename__ = "project"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_version_id: Mapped[int] = mapped_column(ForeignKey("plan_version.id", ondelete="CASCADE"))
    position: Mapped[int]
    seq: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(Text)
    subcategory: Mapped[str | None] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    content: Mapped[str | None] = mapped_column(Text)
    nature: Mapped[str | None] = mapped_column(Text)
    period_start: Mapped[int | None]
    period_end: Mapped[int | None]
    investment_wan_yuan: Mapped[float | None] = mapped_column(Float)
    investment_text: Mapped[str | None] = mapped_column(Text)
    investment_note: Mapped[str | None] = mapped_column(Text)
    period_text: Mapped[str | None] = mapped_column(Text)
    lead_units: Mapped[list[str]] = mapped_column(JSONType, default=list)
    implementing_units: Mapped[list[str]] = mapped_column(JSONType, default=list)
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    """Where the project is (WGS 84 degrees), when known: a point on the map (一张图)."""

    plan_version: Mapped[PlanVersion] = relationship(back_populates="projects")


# --------------------------------------------------------------------------- observations


class Observation(Base):
    """The value of an indicator for a region and a year (年度监测/统计值).

    ``version`` guards against lost updates: an update names the version it read, and a
    second editor working from the same version gets a :class:`~ecociv.store.errors.Conflict`.
    """

    __tablename__ = "observation"
    __table_args__ = (UniqueConstraint("region_id", "indicator_code", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    indicator_code: Mapped[str] = mapped_column(String(100), index=True)
    year: Mapped[int]
    value: Mapped[float | None] = mapped_column(Float)
    text: Mapped[str | None] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    confirmation: Mapped[str | None] = mapped_column(Text)
    """Why an outlier (``ecociv.assess.outliers``) was kept: the editor's reason, required to save it."""
    version: Mapped[int] = mapped_column(default=1)
    updated_by: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    region: Mapped[Region] = relationship()

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy's declared name)


class ObservationHistory(Base):
    """A previous state of an :class:`Observation` (written before each change or deletion)."""

    __tablename__ = "observation_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    observation_id: Mapped[int | None] = mapped_column(index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    indicator_code: Mapped[str] = mapped_column(String(100))
    year: Mapped[int]
    version: Mapped[int]
    value: Mapped[float | None] = mapped_column(Float)
    text: Mapped[str | None] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    confirmation: Mapped[str | None] = mapped_column(Text)
    changed_by: Mapped[str | None] = mapped_column(String(100))
    changed_at: Mapped[datetime]
    replaced_by: Mapped[str | None] = mapped_column(String(100))
    replaced_at: Mapped[datetime]


# --------------------------------------------------------------------------- people


class User(Base):
    """A person or machine client; ``role`` is admin, editor (of ``region``'s subtree) or viewer."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    region: Mapped[Region | None] = relationship()


class ApiToken(Base):
    """An API token; only the SHA-256 of the secret is stored (the secret is shown once)."""

    __tablename__ = "api_token"
    __table_args__ = (UniqueConstraint("user_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class UserSession(Base):
    """A signed-in browser session, kept on the server so that it can be revoked.

    The cookie carries a random secret; only its SHA-256 is stored.  Signing out revokes the
    row, and a password change revokes every row of the user: a copied cookie then stops
    working at once instead of living out its lifetime.
    """

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    address: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class LoginAttempt(Base):
    """One sign-in attempt (name as typed, client address, outcome) for throttling."""

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    succeeded: Mapped[bool]


class AuditEntry(Base):
    """One write: who, when, what (entity + key), and the record before and after as JSON."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str | None] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(32))
    entity: Mapped[str] = mapped_column(String(32))
    entity_key: Mapped[str] = mapped_column(String(300), index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONType)


def parsed_requirement(text: str) -> dict[str, Any]:
    """A requirement text's syntax tree as stored with a target, stamped with the parser that
    made it (:func:`ecociv.expr.codec.parser_stamp`)."""
    from ecociv.expr import parse
    from ecociv.expr.codec import parser_stamp, to_json

    return {"stamp": parser_stamp(), "expr": to_json(parse(text).expr)}


@event.listens_for(Target.text, "set")
def _parse_target_text(target: Target, text: str, _old: object, _initiator: object) -> None:
    """Every write of a target's text (import, edit, exchange) stores its parse."""
    target.parsed = parsed_requirement(text) if text is not None else None


# The tables of later areas live in ecociv.store.tables.<area>; importing the package here puts
# them on Base.metadata wherever the schema is used (migrations, create_all, tests).
from ecociv.store import tables as _area_tables  # noqa: E402,F401
