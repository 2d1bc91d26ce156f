"""``JobContext``: one run of a job, recorded in lineage, used as a ``with`` block."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Sequence, Type, Union

from ._generated.lineage import models as lineage_models

if TYPE_CHECKING:
    from ._client import Deltaplane

log = logging.getLogger("deltaplane")

#: The commitInfo field naming the lineage run that wrote a version (metadata-service reads it).
RUN_ID_FIELD = "deltaplaneRunId"


class JobContext:
    """A run of ``job_name``: started on entry, heartbeating meanwhile, completed on exit.

    On exit the run is COMPLETED, or FAILED with the exception's type and message when the block
    raised (the exception still propagates). With ``ship_logs`` the ``log_path`` file and every
    ``attach_log`` file are uploaded to ``<bucket>/jobs/<job>/<run_id>/<file name>`` and linked to
    the run as ``log`` artifacts.

    Example:
        >>> with JobContext(client, job_name="daily_sales_etl", metadata={"source": "s3"}) as job:
        ...     src = job.get_table_latest_uri("sales_raw")
        ...     job.register_snapshot("sales_curated", "s3://lake/curated/v1", format="parquet")
    """

    def __init__(
        self,
        client: "Deltaplane",
        job_name: str,
        metadata: Optional[Mapping[str, Any]] = None,
        ship_logs: Optional[bool] = None,
        log_path: Optional[Union[str, os.PathLike]] = None,
    ) -> None:
        """Prepares a run; nothing is sent before the ``with`` block is entered.

        Args:
            client: The client to record through.
            job_name: The job (created on its first run).
            metadata: Run metadata (string keys, JSON values).
            ship_logs: Upload logs on exit (default: the client's ``log_ship`` setting).
            log_path: A log file to ship on exit.
        """
        self._client = client
        self.job_name = job_name
        self._metadata = dict(metadata or {})
        self._ship = client.settings.log_ship if ship_logs is None else ship_logs
        self._logs: List[Path] = [Path(log_path)] if log_path is not None else []
        self._run_id: Optional[str] = None
        self._stop = threading.Event()
        self._beat: Optional[threading.Thread] = None
        self.state: Optional[str] = None
        self.artifacts: List[Dict[str, str]] = []

    @property
    def run_id(self) -> str:
        """The run's id (available inside the ``with`` block)."""
        if self._run_id is None:
            raise RuntimeError("The run starts when the with block is entered")
        return self._run_id

    def __enter__(self) -> "JobContext":
        started = self._client.jobs.start_run(self.job_name, self._metadata)
        self._run_id = str(started.run_id)
        self.state = started.state
        self._beat = threading.Thread(target=self._heartbeats, name=f"deltaplane-heartbeat-{self._run_id}", daemon=True)
        self._beat.start()
        return self

    def _heartbeats(self) -> None:
        interval = self._client.settings.heartbeat_interval_s
        while not self._stop.wait(interval):
            try:
                self._client.jobs.heartbeat(self.job_name, self.run_id)
            except Exception as e:  # noqa: BLE001 - a missed heartbeat must not end the job
                log.warning("Heartbeat of %s run %s failed: %s", self.job_name, self._run_id, e)

    def get_table_latest_uri(self, table_name: str) -> str:
        """The URI of ``table_name``'s latest snapshot, recorded as an input of this run."""
        snap = self._client._calls.idempotent(
            lambda h: self._client._api.lineage_tables.get_tables_by_table_name_snapshots_latest(
                table_name, run_id=self.run_id, **self._client._opts(h)
            )
        )
        return snap.uri

    def register_snapshot(
        self,
        table_name: str,
        uri: str,
        format: str = "parquet",
        schema: Optional[Any] = None,
        version: Optional[int] = None,
    ) -> lineage_models.Snapshot:
        """Records that this run wrote ``uri`` as a new snapshot of ``table_name`` (an output)."""
        body = lineage_models.RegisterSnapshot.from_dict(
            {
                "table_name": table_name,
                "uri": uri,
                "format": format,
                "schema": schema,
                "version": version,
                "job_name": self.job_name,
                "run_id": self.run_id,
            }
        )
        return self._client._calls.create(
            lambda h: self._client._api.jobs.post_jobs_register_snapshot(body, **self._client._opts(h))
        )

    def commit(
        self,
        table: str,
        expected_version: int,
        actions: Sequence[Mapping[str, Any]],
        operation: Optional[str] = None,
    ) -> Any:
        """Commits Delta actions to a platform table as this run, as ``client.tables.commit`` does.

        The version's commitInfo names the run (``deltaplaneRunId``), so lineage records the run as
        the version's writer (an output) once metadata-service relays it: no ``register_snapshot``
        for it. A ``commitInfo`` among ``actions`` keeps its fields and gains the run's id.

        Raises:
            Conflict: Another commit landed first; ``current_version`` says where the table is.
        """
        written: List[Dict[str, Any]] = []
        named = False
        for action in actions:
            if isinstance(action.get("commitInfo"), Mapping):
                written.append({"commitInfo": {**action["commitInfo"], RUN_ID_FIELD: self.run_id}})
                named = True
            else:
                written.append(dict(action))
        if not named:
            written.append({"commitInfo": {RUN_ID_FIELD: self.run_id}})
        return self._client.tables.commit(table, expected_version, written, operation=operation)

    def log_event(self, event_type: str, data: Optional[Mapping[str, Any]] = None) -> Optional[str]:
        """Records an event of this run (metrics, progress); returns its id."""
        body = lineage_models.BroadcastEvent.from_dict(
            {"event_type": event_type, "data": dict(data or {}), "job_name": self.job_name, "run_id": self.run_id}
        )
        created = self._client._calls.create(
            lambda h: self._client._api.events.post_events_broadcast(body, **self._client._opts(h))
        )
        return str(created.event_id) if created is not None and created.event_id is not None else None

    def attach_log(self, path: Union[str, os.PathLike]) -> None:
        """Adds a file to ship with the run's logs on exit."""
        p = Path(path)
        if not p.is_file():
            raise FileNotFoundError(f"Not a file: {p}")
        self._logs.append(p)

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self._stop.set()
        if self._beat is not None:
            self._beat.join(timeout=5)
        extra: Dict[str, Any] = {}
        if self._ship:
            for path in self._logs:
                object_name = f"jobs/{self.job_name}/{self.run_id}/{path.name}"
                try:
                    uri = self._client.upload_object(self._client.settings.artifact_bucket, object_name, path)
                    self.artifacts.append({"type": "log", "uri": uri})
                except Exception as e:  # noqa: BLE001 - the run's outcome matters more than its log
                    log.warning("Could not ship log %s of run %s: %s", path, self._run_id, e)
                    extra["log_upload_error"] = str(e)
        if exc is not None:
            extra["error"] = f"{exc_type.__name__ if exc_type else 'Exception'}: {exc}"
        completed = self._client.jobs.complete_run(
            self.job_name, self.run_id, success=exc is None, extra=extra, artifacts=self.artifacts
        )
        self.state = completed.state
