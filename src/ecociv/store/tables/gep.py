"""Stored GEP accounts (生态产品总值核算结果), one per region, year, method set and version.

A computation is never overwritten: computing the same region, year and method set again adds
the next ``version``, so that a reviewer can compare editions and price sets.  Each account
keeps what it was computed from — the uploaded workbook as uploaded (bytes and SHA-256), the
method-set code, document and whether it is verified, the price-set code and version, the
ecociv version — and what came out: the totals, the full result (notices, prices used,
constant-price series; ``docs/gep.md`` "Results") and one row per line of the account table
with its quantity, unit, price, value, share and provenance.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from ecociv.store.models import Base, JSONType, Region, utcnow


class GepAccount(Base):
    """One computed GEP account of a region for a year by a method set (a version)."""

    __tablename__ = "gep_account"
    __table_args__ = (UniqueConstraint("region_id", "year", "method_code", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    year: Mapped[int]
    method_code: Mapped[str] = mapped_column(String(100))
    method_document: Mapped[str] = mapped_column(Text)
    method_verified: Mapped[bool]
    price_set_code: Mapped[str] = mapped_column(String(100))
    price_set_version: Mapped[str] = mapped_column(String(64))
    version: Mapped[int]
    inputs_sha256: Mapped[str] = mapped_column(String(64))
    input_filename: Mapped[str] = mapped_column(String(255))
    input_workbook: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    """The workbook as uploaded (nothing lost: the account can be recomputed from it)."""
    ecociv_version: Mapped[str] = mapped_column(String(32))
    gross: Mapped[float] = mapped_column(Float)
    deduction: Mapped[float] = mapped_column(Float)
    gep: Mapped[float] = mapped_column(Float)
    gdp: Mapped[float | None] = mapped_column(Float)
    yoy: Mapped[float | None] = mapped_column(Float)
    """Change on the previous year at constant prices (a fraction), when the inputs hold it."""
    result: Mapped[dict[str, Any]] = mapped_column(JSONType)
    """``ecociv.gep.output.result_dict`` of the computation, as the CLI's ``--json`` prints it."""
    computed_by: Mapped[str | None] = mapped_column(String(100))
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)

    region: Mapped[Region] = relationship()
    lines: Mapped[list[GepAccountLine]] = relationship(
        back_populates="account",
        cascade="all, delete-orphan",
        order_by="GepAccountLine.position",
    )


class GepAccountLine(Base):
    """A line of the account table (an item): quantity, unit, price, value, share, provenance."""

    __tablename__ = "gep_account_line"
    __table_args__ = (UniqueConstraint("account_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("gep_account.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    code: Mapped[str] = mapped_column(String(100))
    account_code: Mapped[str] = mapped_column(String(64))
    indicator: Mapped[str] = mapped_column(String(64))
    zh: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(32))
    price: Mapped[float | None] = mapped_column(Float)
    price_unit: Mapped[str | None] = mapped_column(String(32))
    value: Mapped[float] = mapped_column(Float)
    """万元."""
    share: Mapped[float] = mapped_column(Float)
    valuation: Mapped[str] = mapped_column(String(64))
    verified: Mapped[bool]
    provenance: Mapped[dict[str, Any]] = mapped_column(JSONType)

    account: Mapped[GepAccount] = relationship(back_populates="lines")
