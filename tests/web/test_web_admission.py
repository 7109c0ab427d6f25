"""Admission (``ecociv.web.admission``): at most *limit* requests inside the app at once, the
others wait their turn; ``/healthz`` is never held back."""

from __future__ import annotations

import anyio
import httpx
import pytest

from ecociv.web.admission import AdmissionMiddleware


class Recorder:
    """An ASGI app that stays inside for a while and records how many requests are inside."""

    def __init__(self) -> None:
        self.inside = 0
        self.most = 0
        self.release = anyio.Event()

    async def __call__(self, scope, receive, send) -> None:
        self.inside += 1
        self.most = max(self.most, self.inside)
        if scope["path"] != "/healthz":
            await self.release.wait()
        self.inside -= 1
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


@pytest.mark.parametrize(("limit", "requests"), [(1, 4), (3, 10), (5, 5)])
def test_at_most_limit_requests_are_inside(limit: int, requests: int) -> None:
    async def scenario() -> tuple[int, list[int], int]:
        inner = Recorder()
        app = AdmissionMiddleware(inner, limit=limit)
        transport = httpx.ASGITransport(app=app)
        statuses: list[int] = []
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:

            async def ask(path: str) -> None:
                statuses.append((await client.get(path)).status_code)

            async with anyio.create_task_group() as group:
                for n in range(requests):
                    group.start_soon(ask, f"/work/{n}")
                await anyio.sleep(0.05)
                inside_while_full = inner.inside
                with anyio.fail_after(5):  # every slot taken, the health check still answers
                    await ask("/healthz")
                inner.release.set()
        return inside_while_full, statuses, inner.most

    inside_while_full, statuses, most = anyio.run(scenario)
    assert inside_while_full == min(limit, requests)
    assert most <= limit + 1  # the health check came in past the limit
    assert statuses.count(200) == requests + 1
