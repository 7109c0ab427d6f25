"""Tables of the map (一张图): monitoring stations as points.

A station belongs to a region (the one whose map shows it); its coordinates are optional, as
many station lists give only names, and a station without them is listed, not drawn.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ecociv.store.models import Base, Region, utcnow


class MonitoringStation(Base):
    """A monitoring station (监测站点): air (HJ 664 classes), water section, noise … ."""

    __tablename__ = "monitoring_station"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str | None] = mapped_column(Text)
    updated_by: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    region: Mapped[Region] = relationship()
