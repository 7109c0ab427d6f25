"""Calendar days that come in (deadlines, planned and actual dates) are plausible ones."""

from __future__ import annotations

from datetime import date

from ecociv.store.errors import ValidationError

FIRST_DAY = date(1949, 10, 1)
LAST_DAY = date(2100, 12, 31)


def check_day(day: date, where: str, field: str) -> date:
    """*day* when it lies in 1949-10-01 … 2100-12-31; else a :class:`ValidationError`
    naming *field*."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationError(
            f"{field}：日期 {day.isoformat()} 不在 {FIRST_DAY.isoformat()} 至 {LAST_DAY.isoformat()} 之间",
            f"{field}: the date {day.isoformat()} is not between {FIRST_DAY.isoformat()} and "
            f"{LAST_DAY.isoformat()}",
            where=where,
            problems=[{"field": field, "zh": "日期超出范围", "en": "date out of range"}],
        )
    return day
