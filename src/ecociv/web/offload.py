"""Heavy work off the event loop (耗时任务不占用事件循环).

Plan preview and confirmation, bulk upload and the import of an export parse files and write
many rows; done inside an ``async def`` route they stopped the event loop, and with it every
other request (``/healthz`` waited 75–108 s during a 6,000-cell bulk upload, issue 18 #3).
These routes are plain ``def`` functions, which FastAPI runs in a worker thread, and they take
:data:`HeavySlot`:

* at most :data:`HEAVY_SLOTS` heavy jobs run at once (one per core of a small server), so a
  crowd of uploads cannot take every worker thread the light routes need;
* a job waits at most :data:`QUEUE_BUDGET_S` for a free slot; then the request is refused
  with 503 and a bilingual "busy, try again" (:class:`ServerBusy`) instead of queueing on;
* the work itself is bounded by the readers' own limits (cells, spans, sizes: ``ingest``),
  checked before the work, and by the upload size limit.

Threads rather than processes: the work needs the request's database session, and measured
during a 6,000-cell bulk upload and a 2 MB plan preview the event loop still answers
``/healthz`` well within 100 ms while a thread parses (CPython hands the GIL over every 5 ms;
``tests/web/test_web_heavy_work.py``, figures in ``docs/platform.md``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Annotated

import anyio
from fastapi import Depends, Request

from ecociv.errors import EcocivError

HEAVY_SLOTS = 2
QUEUE_BUDGET_S = 30.0


class ServerBusy(EcocivError):
    """Every heavy-work slot stayed taken for the whole queue budget (HTTP 503)."""


@dataclass
class HeavyWork:
    """The app's heavy-work slots (the limiter is made on first use, inside the event loop)."""

    slots: int = HEAVY_SLOTS
    queue_budget_s: float = QUEUE_BUDGET_S
    _limiter: anyio.CapacityLimiter | None = field(default=None, repr=False)

    @property
    def limiter(self) -> anyio.CapacityLimiter:
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(self.slots)
        return self._limiter


async def heavy_slot(request: Request) -> AsyncIterator[None]:
    """Hold one heavy-work slot while the route runs (:class:`ServerBusy` when none comes)."""
    heavy: HeavyWork = request.app.state.heavy
    limiter, borrower = heavy.limiter, object()
    with anyio.move_on_after(heavy.queue_budget_s) as waiting:
        await limiter.acquire_on_behalf_of(borrower)
    if waiting.cancelled_caught:
        raise ServerBusy(
            f"服务器正忙：{heavy.slots} 个耗时任务（导入、批量填报）正在处理，"
            f"{heavy.queue_budget_s:g} 秒内没有空位；请稍后重试",
            f"the server is busy: {heavy.slots} long tasks (imports, bulk uploads) are running "
            f"and no slot came free within {heavy.queue_budget_s:g} s; try again shortly",
        )
    try:
        yield
    finally:
        limiter.release_on_behalf_of(borrower)


HeavySlot = Annotated[None, Depends(heavy_slot, scope="function")]
"""Declare it first among a heavy route's parameters: the slot is taken before the database
session, so requests waiting for a slot hold no connection."""
