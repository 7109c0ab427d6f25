"""Evidence files (佐证材料) attached to a record of any area: a value, a quota, a problem …

The record is named by ``owner_kind`` (``observation``, ``problem`` …) and ``owner_key`` (its
stable key in that area); the bytes live on disk under the data directory, addressed by their
SHA-256, so the row says exactly which content was attached and a changed file is detected.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ecociv.store.models import Base, Region, utcnow


class Attachment(Base):
    """One attached file: what it belongs to, whose region it is, its name, type and checksum."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_kind: Mapped[str] = mapped_column(String(40), index=True)
    owner_key: Mapped[str] = mapped_column(String(300), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(String(500), default="")
    uploaded_by: Mapped[str] = mapped_column(String(100))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    region: Mapped[Region] = relationship()
