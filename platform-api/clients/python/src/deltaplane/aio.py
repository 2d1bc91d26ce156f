"""``AsyncDeltaplane``: every manager method awaitable.

It runs the synchronous client off the event loop (``asyncio.to_thread``), so it needs no extra
dependency and never blocks the loop; many awaits run concurrently on the default executor.
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any, Mapping, Optional

from ._client import Deltaplane
from .lineage import JobContext


class _AsyncManager:
    """Wraps a manager: each public method becomes a coroutine function."""

    def __init__(self, manager: Any) -> None:
        self._manager = manager

    def __getattr__(self, name: str) -> Any:
        target = getattr(self._manager, name)
        if not callable(target) or name.startswith("_"):
            return target

        @functools.wraps(target)
        async def call(*args: Any, **kwargs: Any) -> Any:
            result = await asyncio.to_thread(target, *args, **kwargs)
            if hasattr(result, "__next__"):  # a lazy iterator (files): fetch it off the loop too
                result = await asyncio.to_thread(list, result)
            return result

        return call


class AsyncJobContext:
    """``JobContext`` as an ``async with`` block; its methods are awaitable."""

    def __init__(self, context: JobContext) -> None:
        self._context = context

    @property
    def run_id(self) -> str:
        return self._context.run_id

    @property
    def job_name(self) -> str:
        return self._context.job_name

    @property
    def state(self) -> Optional[str]:
        return self._context.state

    async def __aenter__(self) -> "AsyncJobContext":
        await asyncio.to_thread(self._context.__enter__)
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await asyncio.to_thread(self._context.__exit__, *exc)

    def __getattr__(self, name: str) -> Any:
        return _AsyncManager(self._context).__getattr__(name)


class AsyncDeltaplane:
    """The asynchronous client: the same managers as ``Deltaplane``, every method awaitable.

    Example:
        >>> async with AsyncDeltaplane.from_environment() as client:
        ...     tables = await client.tables.list("main", "sales")
        ...     async with client.job("daily_sales_etl") as job:
        ...         await job.log_event("metrics", {"rows": 42})
    """

    def __init__(self, *args: Any, client: Optional[Deltaplane] = None, **kwargs: Any) -> None:
        """Takes the same arguments as ``Deltaplane`` (or a ready ``client=``)."""
        self.sync = client if client is not None else Deltaplane(*args, **kwargs)
        self.catalogs = _AsyncManager(self.sync.catalogs)
        self.schemas = _AsyncManager(self.sync.schemas)
        self.tables = _AsyncManager(self.sync.tables)
        self.health = _AsyncManager(self.sync.health)
        self.ingest_mappings = _AsyncManager(self.sync.ingest_mappings)
        self.jobs = _AsyncManager(self.sync.jobs)
        self.runs = _AsyncManager(self.sync.runs)

    @classmethod
    def from_environment(cls, environ: Optional[Mapping[str, str]] = None) -> "AsyncDeltaplane":
        """As ``Deltaplane.from_environment``."""
        return cls(client=Deltaplane.from_environment(environ))

    def use_catalog(self, catalog: str) -> "AsyncDeltaplane":
        self.sync.use_catalog(catalog)
        return self

    def use_schema(self, schema: str) -> "AsyncDeltaplane":
        self.sync.use_schema(schema)
        return self

    def job(self, job_name: str, **kwargs: Any) -> AsyncJobContext:
        """An ``async with`` run of ``job_name``."""
        return AsyncJobContext(self.sync.job(job_name, **kwargs))

    async def resolve_table_uri(self, table: str) -> str:
        return await asyncio.to_thread(self.sync.resolve_table_uri, table)

    async def upload_object(self, bucket: str, object_name: str, file_path: Any) -> str:
        return await asyncio.to_thread(self.sync.upload_object, bucket, object_name, file_path)

    async def close(self) -> None:
        await asyncio.to_thread(self.sync.close)

    async def __aenter__(self) -> "AsyncDeltaplane":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()
