"""The async client: the same managers, awaitable, concurrent, and the async JobContext."""

from __future__ import annotations

import asyncio
import time
from typing import List, Tuple

from deltaplane import AsyncDeltaplane

from conftest import STRUCT
from proxy import SLOW_SECONDS, Proxy


def test_async_client_manages_resources_concurrently(gateway: str, admin_key: str, name: str) -> None:
    async def scenario() -> None:
        async with AsyncDeltaplane(base_url=gateway, api_key=admin_key) as client:
            await client.catalogs.create(name)
            await asyncio.gather(*(client.schemas.create(f"{name}.s{i}") for i in range(5)))
            client.use_catalog(name)
            assert sorted(s.name for s in await client.schemas.list()) == [f"s{i}" for i in range(5)]
            await client.tables.create(f"{name}.s0.t", schema=STRUCT)
            files = await client.tables.files(f"{name}.s0.t")
            assert files == []
            async with client.job(f"{name}_async") as job:
                await job.log_event("progress", {"step": 1})
                run_id = job.run_id
            assert job.state == "COMPLETED"
            assert (await client.runs.get(run_id)).state == "COMPLETED"
            await client.catalogs.delete(name, force=True)

    asyncio.run(scenario())


def test_async_calls_do_not_block_the_event_loop(gateway: str, admin_key: str) -> None:
    """Eight calls through a gateway that answers 300 ms late: they overlap, and a ticker on the
    event loop keeps ticking meanwhile (a blocking call would stall it for 300 ms)."""
    proxy = Proxy(gateway, lambda n: "slow")
    try:

        async def scenario() -> Tuple[float, List[float]]:
            gaps: List[float] = []
            done = asyncio.Event()

            async def ticker() -> None:
                last = time.monotonic()
                while not done.is_set():
                    await asyncio.sleep(0.01)
                    now = time.monotonic()
                    gaps.append(now - last)
                    last = now

            async with AsyncDeltaplane(base_url=proxy.url, api_key=admin_key) as client:
                ticking = asyncio.create_task(ticker())
                started = time.monotonic()
                await asyncio.gather(*(client.catalogs.list() for _ in range(8)))
                elapsed = time.monotonic() - started
                done.set()
                await ticking
            return elapsed, gaps

        elapsed, gaps = asyncio.run(scenario())
        assert len(proxy.seen) >= 8, "every call went through the slow proxy"
        assert elapsed < 8 * SLOW_SECONDS * 0.75, f"the calls overlapped: {elapsed:.2f} s for 8 slow answers"
        assert len(gaps) > 10 and max(gaps) < 0.25, f"the event loop kept running: longest gap {max(gaps):.3f} s"
    finally:
        proxy.close()
