"""The async client: the same managers, awaitable, concurrent, and the async JobContext."""

from __future__ import annotations

import asyncio

from deltaplane import AsyncDeltaplane

from conftest import STRUCT


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
    async def scenario() -> int:
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0.001)

        async with AsyncDeltaplane(base_url=gateway, api_key=admin_key) as client:
            t = asyncio.create_task(ticker())
            await asyncio.gather(*(client.catalogs.list() for _ in range(10)))
            t.cancel()
        return ticks

    assert asyncio.run(scenario()) > 0
