"""Times as users read them: Beijing time (UTC+8, no daylight saving).

The store keeps UTC (:class:`ecociv.store.models.UTCDateTime`); pages show
``2026-12-02 15:08`` in China Standard Time, which is what a bureau's clock says, and the
audit log adds the seconds.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")


def beijing(moment: datetime | str | None, *, seconds: bool = False) -> str:
    """*moment* (a datetime or an ISO 8601 text; naive means UTC) as Beijing time, or ``""``."""
    if moment is None or moment == "":
        return ""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
