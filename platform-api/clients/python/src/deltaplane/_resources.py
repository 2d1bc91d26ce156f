"""Resource managers: catalogs, schemas, tables, volumes, ingest mappings, jobs and runs.

Each method is one call to the platform (lists follow ``next_page_token`` to the end) and returns
the generated pydantic models of the committed OpenAPI contract.
"""

from __future__ import annotations

import os
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterator, List, Mapping, Optional, Sequence, Union
from urllib.parse import quote, unquote

from ._generated.ingest import models as ingest_models
from ._generated.lineage import models as lineage_models
from ._generated.metadata import models as metadata_models

if TYPE_CHECKING:
    from ._client import Deltaplane

PAGE_SIZE = 1000


def _pages(fetch: Callable[[Optional[str]], Any], items: str) -> Iterator[Any]:
    """Every item of a paged list: ``fetch(page_token)`` returns a page with ``items`` and a token."""
    token: Optional[str] = None
    while True:
        page = fetch(token)
        yield from getattr(page, items) or []
        token = page.next_page_token
        if not token:
            return


def _every(client: "Deltaplane", method: Callable[..., Any], items: str, *args: Any, **kwargs: Any) -> Iterator[Any]:
    """Every item of a paged list operation of a generated client, each page one retried call."""
    return _pages(
        lambda token: client._calls.idempotent(
            lambda h: method(*args, max_results=PAGE_SIZE, page_token=token, **kwargs, **client._opts(h))
        ),
        items,
    )


class Catalogs:
    """Catalogs, the top level of ``catalog.schema.table`` names."""

    def __init__(self, client: "Deltaplane") -> None:
        self._c = client

    def list(self) -> List[metadata_models.Catalog]:
        """Every catalog, all pages."""
        api = self._c._api.catalogs
        return list(_every(self._c, api.get_catalogs, "catalogs"))

    def get(self, name: str) -> metadata_models.Catalog:
        """One catalog.

        Raises:
            NotFound: There is no such catalog.
        """
        return self._c._calls.idempotent(
            lambda h: self._c._api.catalogs.get_catalogs_by_name(name, **self._c._opts(h))
        )

    def create(self, name: str, comment: Optional[str] = None) -> metadata_models.Catalog:
        """Creates a catalog.

        Raises:
            Conflict: A catalog of that name exists.
            InvalidRequest: The name is not a valid identifier.
        """
        body = metadata_models.CreateCatalog(name=name, comment=comment)
        return self._c._calls.create(
            lambda h: self._c._api.catalogs.post_catalogs(body, **self._c._opts(h))
        )

    def delete(self, name: str, force: bool = False) -> None:
        """Drops a catalog; ``force`` drops its schemas and tables too (else 409 when not empty)."""
        self._c._calls.idempotent(
            lambda h: self._c._api.catalogs.delete_catalogs_by_name(name, force=force, **self._c._opts(h))
        )


class Schemas:
    """Schemas inside a catalog; short names resolve against ``use_catalog``."""

    def __init__(self, client: "Deltaplane") -> None:
        self._c = client

    def list(self, catalog: Optional[str] = None) -> List[metadata_models.ModelSchema]:
        """Every schema of ``catalog`` (default: the current catalog), all pages."""
        catalog_name = catalog or self._c._require_catalog("schemas.list()")
        api = self._c._api.schemas
        return list(_every(self._c, api.get_schemas, "schemas", catalog_name))

    def get(self, name: str) -> metadata_models.ModelSchema:
        """One schema by ``catalog.schema`` or, with a current catalog, ``schema``."""
        full = self._c.resolve_schema(name)
        return self._c._calls.idempotent(
            lambda h: self._c._api.schemas.get_schemas_by_full_name(full, **self._c._opts(h))
        )

    def create(self, name: str, comment: Optional[str] = None) -> metadata_models.ModelSchema:
        """Creates a schema (``catalog.schema`` or a short name in the current catalog)."""
        catalog, schema = self._c.resolve_schema(name).split(".")
        body = metadata_models.CreateSchema(catalog_name=catalog, name=schema, comment=comment)
        return self._c._calls.create(lambda h: self._c._api.schemas.post_schemas(body, **self._c._opts(h)))

    def delete(self, name: str, force: bool = False) -> None:
        """Drops a schema; ``force`` drops its tables too."""
        full = self._c.resolve_schema(name)
        self._c._calls.idempotent(
            lambda h: self._c._api.schemas.delete_schemas_by_full_name(full, force=force, **self._c._opts(h))
        )


class Tables:
    """Delta tables: create, commit, snapshots, time travel, files, history, data files on any
    storage, OPTIMIZE, VACUUM and the maintenance worker's state."""

    def __init__(self, client: "Deltaplane") -> None:
        self._c = client

    def list(self, catalog: Optional[str] = None, schema: Optional[str] = None) -> List[metadata_models.TableResponse]:
        """Every table of a schema (default: the current catalog and schema), all pages."""
        catalog_name = catalog or self._c._require_catalog("tables.list()")
        schema_name = schema or self._c._require_schema("tables.list()")
        api = self._c._api.tables
        return list(_every(self._c, api.get_tables, "tables", catalog_name, schema_name))

    def get(self, name: str) -> metadata_models.TableResponse:
        """One table by full or short name (short names resolve against the current schema)."""
        full = self._c.resolve_table(name)
        return self._c._calls.idempotent(
            lambda h: self._c._api.tables.get_tables_by_full_name(full, **self._c._opts(h))
        )

    def create(
        self,
        name: str,
        schema: Mapping[str, Any],
        partition_columns: Optional[Sequence[str]] = None,
        properties: Optional[Mapping[str, str]] = None,
        location: Optional[str] = None,
        comment: Optional[str] = None,
    ) -> metadata_models.TableResponse:
        """Creates a Delta table at version 0.

        Args:
            name: ``catalog.schema.table`` or a short name.
            schema: A Delta StructType, e.g. ``{"type": "struct", "fields": [{"name": "id",
                "type": "long", "nullable": False, "metadata": {}}]}``.
            partition_columns: Columns the table is partitioned by.
            properties: Delta table properties (``delta.*``).
            location: Where the table lives; default: the warehouse.
            comment: A description.
        """
        catalog, schema_name, table = self._c.resolve_table(name).split(".")
        body = metadata_models.CreateTableRequest.from_dict(
            {
                "catalog_name": catalog,
                "schema_name": schema_name,
                "name": table,
                "schema": dict(schema),
                "partition_columns": list(partition_columns or []),
                "properties": dict(properties or {}),
                "location": location,
                "comment": comment,
            }
        )
        return self._c._calls.create(lambda h: self._c._api.tables.post_tables(body, **self._c._opts(h)))

    def delete(self, name: str, purge: bool = False) -> None:
        """Drops a table; ``purge`` also deletes its files (platform-managed locations only)."""
        full = self._c.resolve_table(name)
        self._c._calls.idempotent(
            lambda h: self._c._api.tables.delete_tables_by_full_name(full, purge=purge, **self._c._opts(h))
        )

    def commit(
        self,
        name: str,
        expected_version: int,
        actions: Sequence[Mapping[str, Any]],
        operation: Optional[str] = None,
    ) -> metadata_models.CommitResponse:
        """Commits Delta actions on top of ``expected_version`` (optimistic concurrency).

        Args:
            name: The table.
            expected_version: The version the actions were prepared against.
            actions: Delta actions, e.g. ``[{"add": {"path": "part-0.parquet", "size": 1024,
                "modificationTime": 0, "dataChange": True}}]``.
            operation: The commitInfo operation (default ``WRITE``).

        Raises:
            Conflict: Another commit landed first; ``current_version`` says where the table is.
        """
        full = self._c.resolve_table(name)
        body = metadata_models.CommitRequest.from_dict(
            {"expected_version": expected_version, "actions": [dict(a) for a in actions], "operation": operation}
        )
        return self._c._calls.create(
            lambda h: self._c._api.tables.post_tables_by_full_name_commits(full, body, **self._c._opts(h))
        )

    def append(
        self,
        name: str,
        actions: Sequence[Mapping[str, Any]],
        read_version: Optional[int] = None,
        operation: Optional[str] = None,
    ) -> metadata_models.CommitResponse:
        """Appends files at the table's next version, which the platform picks: other writers'
        appends never conflict with it, however many race.

        Args:
            name: The table.
            actions: ``add`` actions (with ``txn`` and ``domainMetadata``); a remove, metaData or
                protocol commits with :meth:`commit` and a version.
            read_version: The version the files were written against, or None. A later version that
                changed the table's metaData or protocol, or recorded a txn of one of these
                actions' applications, is then a conflict.
            operation: The commitInfo operation (default ``WRITE``).

        Raises:
            Conflict: Something the files were written against changed since ``read_version``.
        """
        full = self._c.resolve_table(name)
        body: dict[str, Any] = {"actions": [dict(a) for a in actions], "operation": operation}
        if read_version is not None:
            body["read_version"] = read_version
        request = metadata_models.CommitRequest.from_dict(body)
        return self._c._calls.create(
            lambda h: self._c._api.tables.post_tables_by_full_name_commits(full, request, **self._c._opts(h))
        )

    def snapshot(
        self, name: str, version: Optional[int] = None, timestamp: Optional[datetime | str] = None
    ) -> metadata_models.SnapshotResponse:
        """The table's state now, at ``version``, or as of ``timestamp`` (time travel)."""
        full = self._c.resolve_table(name)
        ts = _instant(timestamp)
        return self._c._calls.idempotent(
            lambda h: self._c._api.tables.get_tables_by_full_name_snapshot(
                full, version=version, timestamp=ts, **self._c._opts(h)
            )
        )

    def files(
        self, name: str, version: Optional[int] = None, timestamp: Optional[datetime | str] = None
    ) -> Iterator[Any]:
        """The live files of a version (dicts with path, size, partition_values, stats ...), every page, lazily."""
        full = self._c.resolve_table(name)
        ts = _instant(timestamp)
        api = self._c._api.tables
        return _every(self._c, api.get_tables_by_full_name_snapshot_files, "files", full, version=version, timestamp=ts)

    def history(self, name: str) -> List[Any]:
        """Every commit of the table, newest first, all pages."""
        full = self._c.resolve_table(name)
        api = self._c._api.tables
        return list(_every(self._c, api.get_tables_by_full_name_history, "commits", full))

    def upload_file(self, name: str, path: str, file_path: Union[str, os.PathLike]) -> Dict[str, Any]:
        """Puts a data file you wrote into the table's location, on whatever storage the table lives
        on, with the platform's credentials (you need none), streamed. Commit its ``add`` afterwards
        (:meth:`append_files` does both).

        Args:
            name: The table.
            path: Where the file goes, relative to the table's location (``day=2026-11-01/part-0.parquet``).
            file_path: The local file.

        Returns:
            ``{"path", "size", "sha256", "created"}``; ``created`` is False when the same bytes were there.

        Raises:
            Conflict: A different file is at ``path`` (files are never replaced).
            InvalidRequest: ``path`` is ``_delta_log``, hidden or outside the table.
        """
        full = self._c.resolve_table(name)
        segments = "/".join(quote(s, safe="") for s in path.split("/"))
        url = f"{self._c.settings.base_url}/api/v1/tables/{quote(full, safe='')}/data/{segments}"
        return self._c._put_file(url, Path(file_path), "application/octet-stream")

    def append_files(
        self,
        name: str,
        files: Mapping[str, Union[str, os.PathLike]],
        operation: Optional[str] = None,
    ) -> metadata_models.CommitResponse:
        """Uploads Parquet files you wrote and commits them as one version, on any storage.

        Args:
            name: The table.
            files: Path in the table (Hive-style partition folders, ``day=2026-11-01/part-0.parquet``,
                give the partition values) → local file.
            operation: The commitInfo operation (default ``WRITE``).

        Raises:
            Conflict: Another commit landed between reading the table and committing; the files are
                uploaded, so committing them again with the new version is enough.
        """
        table = self.get(name)
        partitions = list(table.partition_columns or [])
        actions: List[Dict[str, Any]] = []
        for path, local in files.items():
            uploaded = self.upload_file(name, path, local)
            values: Dict[str, Optional[str]] = {}
            for segment in path.split("/")[:-1]:
                column, eq, value = segment.partition("=")
                if eq and column in partitions:
                    values[column] = None if value == "__HIVE_DEFAULT_PARTITION__" else unquote(value)
            actions.append(
                {
                    "add": {
                        "path": "/".join(quote(s, safe="=") for s in path.split("/")),
                        "partitionValues": values,
                        "size": uploaded["size"],
                        "modificationTime": int(time.time() * 1000),
                        "dataChange": True,
                    }
                }
            )
        return self.commit(name, table.version or 0, actions, operation)

    def optimize(
        self,
        name: str,
        where: Optional[Mapping[str, str]] = None,
        target_file_size_bytes: Optional[int] = None,
    ) -> metadata_models.OptimizeResult:
        """OPTIMIZE: the platform compacts the table's small files into files of the target size, as
        one version that changes no data; ``version`` is None when nothing was small.

        Args:
            name: The table.
            where: Only these partitions (partition column → value).
            target_file_size_bytes: Default: the table's ``delta.targetFileSize``, else 1 GiB.
        """
        full = self._c.resolve_table(name)
        body = metadata_models.OptimizeRequest.from_dict(
            {"where": dict(where) if where else None, "target_file_size_bytes": target_file_size_bytes}
        )
        return self._c._calls.create(
            lambda h: self._c._api.tables.post_tables_by_full_name_optimize(full, body, **self._c._opts(h))
        )

    def vacuum(
        self,
        name: str,
        dry_run: bool = False,
        retention_hours: Optional[float] = None,
        allow_short_retention: bool = False,
    ) -> metadata_models.VacuumResult:
        """VACUUM: deletes (or, ``dry_run``, lists) the files no version within the retention needs.

        Args:
            name: The table.
            dry_run: List them, delete nothing.
            retention_hours: Default: the table's ``delta.deletedFileRetentionDuration`` (a week);
                under the platform's minimum (168 h) only with ``allow_short_retention`` as a metastore admin.
        """
        full = self._c.resolve_table(name)
        body = metadata_models.VacuumRequest.from_dict(
            {
                "dry_run": dry_run,
                "retention_hours": retention_hours,
                "allow_short_retention": allow_short_retention or None,
            }
        )
        return self._c._calls.create(
            lambda h: self._c._api.tables.post_tables_by_full_name_vacuum(full, body, **self._c._opts(h))
        )

    def health(self, name: str) -> metadata_models.TableHealth:
        """Whether the table is fresh: ``status`` FRESH, LATE or UNKNOWN, the ``freshness``
        expectation it was judged by (``deltaplane.freshness.sla`` of the table, schema or catalog,
        else one learned from its commit history) and its daily ``volume``."""
        full = self._c.resolve_table(name)
        return self._c._calls.idempotent(
            lambda h: self._c._api.tables.get_tables_by_full_name_health(full, **self._c._opts(h))
        )

    def maintenance(self, name: str) -> metadata_models.MaintenanceStatus:
        """The maintenance worker's policy for the table and its last OPTIMIZE, VACUUM and log cleanup."""
        full = self._c.resolve_table(name)
        return self._c._calls.idempotent(
            lambda h: self._c._api.tables.get_tables_by_full_name_maintenance(full, **self._c._opts(h))
        )


class Volumes:
    """Unity Catalog's volumes: directories of files that are not tables, named ``catalog.schema.volume``.

    Short names resolve against ``use_catalog`` and ``use_schema``.
    """

    def __init__(self, client: "Deltaplane") -> None:
        self._c = client

    def list(self, schema: Optional[str] = None) -> List[metadata_models.VolumeInfo]:
        """The volumes of ``schema`` (``catalog.schema``; default: the current one) you may read, all pages."""
        full = self._c.resolve_schema(schema or self._c._require_schema("volumes.list()"))
        catalog, schema_name = full.split(".")
        api = self._c._api.unity
        return list(_every(self._c, api.get_api21_unity_catalog_volumes, "volumes", catalog, schema_name))

    def get(self, name: str) -> metadata_models.VolumeInfo:
        """One volume.

        Raises:
            NotFound: There is no such volume.
        """
        full = self._c.resolve_table(name)
        return self._c._calls.idempotent(
            lambda h: self._c._api.unity.get_api21_unity_catalog_volumes_by_name(full, **self._c._opts(h))
        )

    def create(
        self, name: str, storage_location: Optional[str] = None, comment: Optional[str] = None
    ) -> metadata_models.VolumeInfo:
        """Creates a volume: MANAGED (the catalog places its directory) unless ``storage_location``
        names an EXTERNAL one's directory (under an external location you may use).

        Raises:
            Conflict: A volume of that name exists.
            AuthError: You lack CREATE_VOLUME on the schema (or CREATE_EXTERNAL_VOLUME where it lies).
        """
        catalog, schema, volume = self._c.resolve_table(name).split(".")
        body = metadata_models.CreateVolumeRequestContent(
            catalog_name=catalog,
            schema_name=schema,
            name=volume,
            volume_type="EXTERNAL" if storage_location else "MANAGED",
            storage_location=storage_location,
            comment=comment,
        )
        return self._c._calls.create(
            lambda h: self._c._api.unity.post_api21_unity_catalog_volumes(body, **self._c._opts(h))
        )

    def rename(self, name: str, new_name: str) -> metadata_models.VolumeInfo:
        """Renames a volume within its schema; its grants follow it.

        Raises:
            Conflict: A volume of that name exists (Unity Catalog's 400 RESOURCE_ALREADY_EXISTS).
        """
        full = self._c.resolve_table(name)
        body = metadata_models.UpdateVolumeRequestContent(new_name=new_name)
        return self._c._calls.create(
            lambda h: self._c._api.unity.patch_api21_unity_catalog_volumes_by_name(full, body, **self._c._opts(h))
        )

    def delete(self, name: str) -> None:
        """Drops a volume (a MANAGED one's files are deleted after the retention)."""
        full = self._c.resolve_table(name)
        self._c._calls.idempotent(
            lambda h: self._c._api.unity.delete_api21_unity_catalog_volumes_by_name(full, **self._c._opts(h))
        )


class Health:
    """Incidents of late tables the caller may read, webhook subscriptions to them, and a job's
    health (one table's health: ``Tables.health``)."""

    def __init__(self, client: "Deltaplane") -> None:
        self._c = client

    def incidents(self, status: Optional[str] = None, catalog: Optional[str] = None) -> List[metadata_models.Incident]:
        """Incidents newest first, all pages.

        Args:
            status: ``OPEN``, ``RESOLVED`` or None for both.
            catalog: Only this catalog's tables.
        """
        api = self._c._api.incidents
        return list(_every(self._c, api.get_incidents, "incidents", status=status, catalog_name=catalog))

    def incident(self, incident_id: str) -> metadata_models.Incident:
        """One incident.

        Raises:
            NotFound: No such incident, or one of a table the caller may not read.
        """
        return self._c._calls.idempotent(
            lambda h: self._c._api.incidents.get_incidents_by_id(incident_id, **self._c._opts(h))
        )

    def job(self, name: str) -> lineage_models.JobHealth:
        """Whether a job's runs fail, run long or are overdue, judged from its newest 50 runs:
        ``status`` FAILING, RUNNING_LONG, OVERDUE, HEALTHY or UNKNOWN (no runs), with a ``reason``,
        ``consecutive_failures``, its usual duration and interval, and ``next_start_due_by``.

        Raises:
            NotFound: No such job.
        """
        return self._c._calls.idempotent(
            lambda h: self._c._api.jobs.get_jobs_by_job_name_health(name, **self._c._opts(h))
        )

    def webhooks(self) -> List[metadata_models.HealthWebhook]:
        """The caller's webhooks (a metastore admin's: all); secrets as their references only."""
        answer = self._c._calls.idempotent(lambda h: self._c._api.health.get_health_webhooks(**self._c._opts(h)))
        return list(answer.webhooks or [])

    def create_webhook(
        self,
        name: str,
        url: Optional[str] = None,
        url_secret: Optional[str] = None,
        signing_secret: Optional[str] = None,
        format: Optional[str] = None,
        catalog: Optional[str] = None,
    ) -> metadata_models.HealthWebhook:
        """Subscribes a webhook to the incidents of the tables the caller may read.

        Args:
            name: Unique: letters, digits, ``_`` and ``-``.
            url: Where to POST; its host must be one the operator allows.
            url_secret: Instead of ``url``: a ``DELTAPLANE_SECRET_*`` reference to it.
            signing_secret: A ``DELTAPLANE_SECRET_*`` reference to the HMAC-SHA256 key.
            format: ``json`` (default) or ``slack``.
            catalog: Only this catalog's tables.

        Raises:
            InvalidRequest: A host the operator does not allow, or a reference the service may not read.
            Conflict: A webhook of that name exists.
        """
        body = metadata_models.WebhookRequest(
            name=name,
            url=url,
            url_secret=url_secret,
            signing_secret=signing_secret,
            format=format,
            catalog_name=catalog,
        )
        return self._c._calls.create(
            lambda h: self._c._api.health.post_health_webhooks(body, **self._c._opts(h))
        )

    def delete_webhook(self, name: str) -> None:
        """Deletes one of the caller's webhooks.

        Raises:
            NotFound: No webhook of that name is the caller's.
        """
        self._c._calls.idempotent(
            lambda h: self._c._api.health.delete_health_webhooks_by_name(name, **self._c._opts(h))
        )


class IngestMappings:
    """Streaming ingest mappings: a source (Kafka, Event Hubs) into a target table."""

    def __init__(self, client: "Deltaplane") -> None:
        self._c = client

    def list(self) -> List[ingest_models.MappingResource]:
        """Every mapping."""
        answer = self._c._calls.idempotent(
            lambda h: self._c._api.ingest.get_ingest_mappings(**self._c._opts(h))
        )
        return list(answer.get("mappings", []))

    def get(self, name: str) -> ingest_models.MappingResource:
        """One mapping."""
        return self._c._calls.idempotent(
            lambda h: self._c._api.ingest.get_ingest_mappings_by_name(name, **self._c._opts(h))
        )

    def create(self, mapping: Mapping[str, Any]) -> ingest_models.MappingResource:
        """Creates a mapping from its JSON form (see docs/ingest.md); checked before it is stored."""
        body = ingest_models.MappingResource.from_dict(dict(mapping))
        return self._c._calls.create(lambda h: self._c._api.ingest.post_ingest_mappings(body, **self._c._opts(h)))

    def update(self, name: str, mapping: Mapping[str, Any]) -> ingest_models.MappingResource:
        """Replaces a mapping; its consumer restarts with the new version."""
        body = ingest_models.MappingResource.from_dict(dict(mapping))
        return self._c._calls.idempotent(
            lambda h: self._c._api.ingest.put_ingest_mappings_by_name(name, body, **self._c._opts(h))
        )

    def delete(self, name: str) -> None:
        """Deletes a mapping (its consumer stops; the target keeps what was written)."""
        self._c._calls.idempotent(
            lambda h: self._c._api.ingest.delete_ingest_mappings_by_name(name, **self._c._opts(h))
        )

    def status(self, name: str) -> ingest_models.MappingStatus:
        """State, lag and totals of a mapping."""
        return self._c._calls.idempotent(
            lambda h: self._c._api.ingest.get_ingest_mappings_by_name_status(name, **self._c._opts(h))
        )

    def pause(self, name: str) -> ingest_models.MappingResource:
        """Stops consuming; offsets are kept."""
        return self._c._calls.idempotent(
            lambda h: self._c._api.ingest.post_ingest_mappings_by_name_pause(name, **self._c._opts(h))
        )

    def resume(self, name: str) -> ingest_models.MappingResource:
        """Consumes again from the committed offsets."""
        return self._c._calls.idempotent(
            lambda h: self._c._api.ingest.post_ingest_mappings_by_name_resume(name, **self._c._opts(h))
        )

    def validate(self) -> ingest_models.Report:
        """Checks every stored mapping against the worker's policy and reachability."""
        return self._c._calls.idempotent(lambda h: self._c._api.ingest.post_ingest_validate(**self._c._opts(h)))


class Jobs:
    """Lineage jobs and their runs."""

    def __init__(self, client: "Deltaplane") -> None:
        self._c = client

    def list(self) -> List[lineage_models.JobView]:
        """Every job, all pages."""
        api = self._c._api.jobs
        return list(_every(self._c, api.get_jobs, "jobs"))

    def get(self, name: str) -> lineage_models.JobView:
        """One job."""
        return self._c._calls.idempotent(lambda h: self._c._api.jobs.get_jobs_by_job_name(name, **self._c._opts(h)))

    def runs(self, name: str) -> List[Any]:
        """Every run of a job, newest first, all pages."""
        api = self._c._api.jobs
        return list(_every(self._c, api.get_jobs_by_job_name_runs, "runs", name))

    def start_run(self, name: str, metadata: Optional[Mapping[str, Any]] = None) -> lineage_models.RunStarted:
        """Starts a run of ``name`` (the job is created on its first run)."""
        body = lineage_models.StartRun.from_dict({"metadata": dict(metadata or {})})
        return self._c._calls.create(
            lambda h: self._c._api.jobs.post_jobs_by_job_name_runs(name, body, **self._c._opts(h))
        )

    def heartbeat(self, name: str, run_id: str) -> None:
        """Tells lineage the run is alive (silent runs become ABANDONED)."""
        self._c._calls.idempotent(
            lambda h: self._c._api.jobs.post_jobs_by_job_name_runs_by_run_id_heartbeat(name, run_id, **self._c._opts(h))
        )

    def complete_run(
        self,
        name: str,
        run_id: str,
        success: bool,
        extra: Optional[Mapping[str, Any]] = None,
        artifacts: Optional[Sequence[Mapping[str, str]]] = None,
    ) -> lineage_models.RunCompleted:
        """Ends a run as COMPLETED (``success``) or FAILED."""
        body = lineage_models.CompleteRun.from_dict(
            {"success": success, "extra": dict(extra or {}), "artifacts": [dict(a) for a in artifacts or []]}
        )
        return self._c._calls.idempotent(
            lambda h: self._c._api.jobs.put_jobs_by_job_name_runs_by_run_id_complete(
                name, run_id, body, **self._c._opts(h)
            )
        )


class Runs:
    """Runs by id."""

    def __init__(self, client: "Deltaplane") -> None:
        self._c = client

    def get(self, run_id: str) -> lineage_models.RunView:
        """A run with its events, inputs, outputs and artifacts."""
        return self._c._calls.idempotent(lambda h: self._c._api.runs.get_runs_by_run_id(run_id, **self._c._opts(h)))


def _instant(value: Optional[datetime | str]) -> Optional[str]:
    if value is None or isinstance(value, str):
        return value
    if value.tzinfo is None:
        raise ValueError("timestamp must be timezone-aware (e.g. datetime.now(timezone.utc))")
    return value.isoformat().replace("+00:00", "Z")


