"""The synchronous client."""

from __future__ import annotations

import mimetypes
import os
import threading
from pathlib import Path
from typing import Any, Callable, Dict, Mapping, Optional, Union
from urllib.parse import quote

import urllib3

from . import _config
from ._calls import Calls, from_response
from ._generated import ingest as _ingest
from ._generated import lineage as _lineage
from ._generated import metadata as _metadata
from ._generated.ingest.api import IngestApi
from ._generated.lineage.api import EventsApi, JobsApi, RunsApi
from ._generated.lineage.api import TablesApi as LineageTablesApi
from ._generated.metadata.api import ApiApi, CatalogsApi, HealthApi, IncidentsApi, SchemasApi, TablesApi, TransactionsApi
from ._resources import Catalogs, Health, IngestMappings, Jobs, Runs, Schemas, Tables, Volumes
from ._config import Settings
from .errors import InvalidConfiguration, InvalidRequest, NotFound

_CHUNK = 1 << 20


class _Apis:
    """The generated low-level clients, one per service contract, sharing one key and URL."""

    def __init__(self, settings: Settings) -> None:
        def client(package: Any) -> Any:
            class _ApiClient(package.ApiClient):  # type: ignore[misc, name-defined]
                # The credential, asked for once per request: a token provider's refreshed token is
                # always the one sent (the generated client would read a fixed token).
                def update_params_for_auth(
                    self, headers: Any, queries: Any, auth_settings: Any, *args: Any, **kwargs: Any
                ) -> None:
                    if auth_settings:
                        headers["Authorization"] = f"Bearer {settings.bearer()}"

            conf = package.Configuration(host=settings.base_url, retries=False)
            api_client = _ApiClient(conf)
            api_client.user_agent = "deltaplane-python"
            return api_client

        self.metadata_client = client(_metadata)
        self.lineage_client = client(_lineage)
        self.ingest_client = client(_ingest)
        self.catalogs = CatalogsApi(self.metadata_client)
        self.schemas = SchemasApi(self.metadata_client)
        self.tables = TablesApi(self.metadata_client)
        self.transactions = TransactionsApi(self.metadata_client)
        self.unity = ApiApi(self.metadata_client)  # Unity Catalog's routes (volumes, ...)
        self.incidents = IncidentsApi(self.metadata_client)
        self.health = HealthApi(self.metadata_client)
        self.jobs = JobsApi(self.lineage_client)
        self.runs = RunsApi(self.lineage_client)
        self.events = EventsApi(self.lineage_client)
        self.lineage_tables = LineageTablesApi(self.lineage_client)
        self.ingest = IngestApi(self.ingest_client)


class Deltaplane:
    """A client of a Deltaplane platform (through its gateway).

    Example:
        >>> client = Deltaplane.from_environment()
        >>> client.use_catalog("main").use_schema("sales")
        >>> client.tables.get("orders").version

    Thread-safe: one client can serve many threads. Close it (or use it as a context manager) to
    release its connections.
    """

    def __init__(
        self,
        base_url: Optional[str] = None,
        api_key: Optional[str] = None,
        *,
        dsn: Optional[str] = None,
        token: Optional[str] = None,
        token_provider: Optional[Callable[[], str]] = None,
        token_file: Optional[str] = None,
        timeout_ms: int = _config.DEFAULT_TIMEOUT_MS,
        artifact_bucket: str = _config.DEFAULT_BUCKET,
        log_ship: bool = False,
        max_attempts: int = 4,
        heartbeat_interval_s: float = 10.0,
        settings: Optional[Settings] = None,
    ) -> None:
        """Connects to the platform at ``base_url`` with ``api_key``, or to a ``dsn``.

        Args:
            base_url: The gateway, e.g. ``http://localhost:8080``.
            api_key: An API key (read, write or admin scope).
            dsn: ``deltaplane://:KEY@host:port`` instead of ``base_url`` and ``api_key``.
            token: A single sign-on access token (a JWT from an issuer the platform trusts), instead
                of an API key.
            token_provider: A callable asked for an access token before every request (an identity
                library's cached token, refreshed as it expires), instead of an API key.
            token_file: A file holding an access token, read again when it changes (as an agent or
                sidecar refreshes it), instead of an API key.
            timeout_ms: Per-request timeout in milliseconds.
            artifact_bucket: Where ``JobContext`` ships logs.
            log_ship: Whether ``JobContext`` uploads its logs on exit.
            max_attempts: Attempts per call, retries included.
            heartbeat_interval_s: How often a running ``JobContext`` heartbeats.
            settings: Ready-made settings (as from ``from_environment``); overrides the rest.

        Raises:
            InvalidConfiguration: A setting is missing or malformed.
        """
        if settings is None:
            if dsn is not None:
                base_url, dsn_key = _config.parse_dsn(dsn)
                api_key = api_key or dsn_key
            given = [v for v in (token, token_provider, token_file) if v is not None]
            if len(given) > 1:
                raise InvalidConfiguration("Give one of token=, token_provider= and token_file=")
            provider: Optional[Callable[[], str]] = token_provider
            if token is not None:
                fixed = token
                provider = lambda: fixed  # noqa: E731
            elif token_file is not None:
                provider = _config.token_file(token_file)
            settings = Settings(
                base_url=base_url or "",
                api_key=api_key or None,
                token_provider=provider,
                timeout_ms=timeout_ms,
                artifact_bucket=artifact_bucket,
                log_ship=log_ship,
                max_attempts=max_attempts,
                heartbeat_interval_s=heartbeat_interval_s,
            )
        self._settings = settings
        self._calls = Calls(settings.max_attempts)
        self._api = _Apis(settings)
        self._http = urllib3.PoolManager(retries=False)
        self._lock = threading.Lock()
        self._catalog: Optional[str] = None
        self._schema: Optional[str] = None
        self.catalogs = Catalogs(self)
        self.schemas = Schemas(self)
        self.tables = Tables(self)
        self.volumes = Volumes(self)
        self.health = Health(self)
        self.ingest_mappings = IngestMappings(self)
        self.jobs = Jobs(self)
        self.runs = Runs(self)

    @classmethod
    def from_environment(cls, environ: Optional[Mapping[str, str]] = None) -> "Deltaplane":
        """A client from ``DELTAPLANE_API_URL`` (URL or DSN), ``DELTAPLANE_API_KEY`` (or
        ``DELTAPLANE_TOKEN`` / ``DELTAPLANE_TOKEN_FILE`` for single sign-on),
        ``DELTAPLANE_DEFAULT_TIMEOUT_MS``, ``DELTAPLANE_ARTIFACT_BUCKET`` and ``DELTAPLANE_LOG_SHIP``.

        Raises:
            InvalidConfiguration: A variable is missing or malformed.
        """
        return cls(settings=_config.from_environment(environ))

    @property
    def settings(self) -> Settings:
        """The client's settings (the key is hidden from ``repr``)."""
        return self._settings

    def __repr__(self) -> str:
        return f"Deltaplane(base_url={self._settings.base_url!r})"

    # ---- session context ------------------------------------------------------------------

    def use_catalog(self, catalog: str) -> "Deltaplane":
        """Makes ``catalog`` the one short schema and table names resolve in; returns the client."""
        if not catalog or "." in catalog:
            raise InvalidRequest(f"A catalog name is one identifier, got {catalog!r}")
        with self._lock:
            self._catalog = catalog
        return self

    def use_schema(self, schema: str) -> "Deltaplane":
        """Makes ``schema`` (or ``catalog.schema``) the one short table names resolve in."""
        parts = (schema or "").split(".")
        if len(parts) == 2:
            self.use_catalog(parts[0])
            parts = parts[1:]
        if len(parts) != 1 or not parts[0]:
            raise InvalidRequest(f"A schema is 'schema' or 'catalog.schema', got {schema!r}")
        with self._lock:
            self._schema = parts[0]
        return self

    @property
    def current_catalog(self) -> Optional[str]:
        """The catalog set by ``use_catalog``, or None."""
        return self._catalog

    @property
    def current_schema(self) -> Optional[str]:
        """The schema set by ``use_schema``, or None."""
        return self._schema

    def resolve_table(self, name: str) -> str:
        """``catalog.schema.table`` for a full or short table name."""
        parts = (name or "").split(".")
        if len(parts) == 3:
            return name
        if len(parts) == 2:
            return f"{self._require_catalog(name)}.{name}"
        if len(parts) == 1 and parts[0]:
            return f"{self._require_catalog(name)}.{self._require_schema(name)}.{name}"
        raise InvalidRequest(f"A table name has one to three parts, got {name!r}")

    def resolve_schema(self, name: str) -> str:
        """``catalog.schema`` for a full or short schema name."""
        parts = (name or "").split(".")
        if len(parts) == 2:
            return name
        if len(parts) == 1 and parts[0]:
            return f"{self._require_catalog(name)}.{name}"
        raise InvalidRequest(f"A schema name has one or two parts, got {name!r}")

    def _require_catalog(self, for_name: str) -> str:
        if self._catalog is None:
            raise InvalidRequest(f"'{for_name}' is not fully qualified and no catalog is in use: call use_catalog()")
        return self._catalog

    def _require_schema(self, for_name: str) -> str:
        if self._schema is None:
            raise InvalidRequest(f"'{for_name}' is not fully qualified and no schema is in use: call use_schema()")
        return self._schema

    # ---- lineage ----------------------------------------------------------------------------

    def resolve_table_uri(self, table: str) -> str:
        """The URI of the latest snapshot lineage knows for ``table``.

        Raises:
            NotFound: No snapshot was ever registered or committed for it.
        """
        snap = self._calls.idempotent(
            lambda h: self._api.lineage_tables.get_tables_by_table_name_snapshots_latest(table, **self._opts(h))
        )
        return snap.uri

    def job(
        self,
        job_name: str,
        metadata: Optional[Mapping[str, Any]] = None,
        ship_logs: Optional[bool] = None,
        log_path: Optional[Union[str, os.PathLike]] = None,
    ) -> Any:
        """A ``JobContext`` for a run of ``job_name``: use it as a ``with`` block."""
        from .lineage import JobContext

        return JobContext(self, job_name=job_name, metadata=metadata, ship_logs=ship_logs, log_path=log_path)

    # ---- artifacts ----------------------------------------------------------------------------

    def upload_object(self, bucket: str, object_name: str, file_path: Union[str, os.PathLike]) -> str:
        """Uploads a file to ``<bucket>/<object_name>``, streamed (never read whole into memory).

        Returns:
            The stored URI of the object.

        Raises:
            Conflict: The object exists (objects are write-once).
            InvalidRequest: The bucket or object name is not allowed.
        """
        path = Path(file_path)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return self._put_file(self._object_url(bucket, object_name), path, content_type)["uri"]

    def _put_file(self, url: str, path: Path, content_type: str) -> Dict[str, Any]:
        """PUTs a local file's bytes to ``url``, streamed, retried as one call; the JSON answer."""
        if not path.is_file():
            raise InvalidRequest(f"Not a file: {path}")
        size = path.stat().st_size

        def put(headers: Dict[str, str]) -> Dict[str, Any]:
            with path.open("rb") as f:
                r = self._http.request(
                    "PUT",
                    url,
                    body=f,
                    headers={**self._auth(), **headers, "Content-Type": content_type, "Content-Length": str(size)},
                    timeout=self._timeout(),
                    preload_content=True,
                    chunked=False,
                )
            if r.status >= 300:
                raise from_response(r.status, r.data, r.headers, headers["X-Request-Id"])
            import json

            answer: Dict[str, Any] = json.loads(r.data)
            return answer

        return self._calls.idempotent(put)

    def download_object(self, bucket: str, object_name: str, file_path: Union[str, os.PathLike]) -> int:
        """Downloads ``<bucket>/<object_name>`` into ``file_path``, streamed; returns the byte count."""
        url = self._object_url(bucket, object_name)
        target = Path(file_path)

        def get(headers: Dict[str, str]) -> int:
            r = self._http.request(
                "GET", url, headers={**self._auth(), **headers}, timeout=self._timeout(), preload_content=False
            )
            try:
                if r.status >= 300:
                    raise from_response(r.status, r.read(), r.headers, headers["X-Request-Id"])
                written = 0
                with target.open("wb") as out:
                    for chunk in r.stream(_CHUNK):
                        out.write(chunk)
                        written += len(chunk)
                return written
            finally:
                r.release_conn()

        return self._calls.idempotent(get)

    def _object_url(self, bucket: str, object_name: str) -> str:
        if not bucket or not object_name:
            raise InvalidRequest("bucket and object_name must not be empty")
        # Object names keep their '/' (the gateway refuses an encoded %2F); each segment is encoded.
        segments = "/".join(quote(s, safe="") for s in object_name.split("/"))
        return f"{self._settings.base_url}/api/v1/datasets/{quote(bucket, safe='')}/{segments}"

    # ---- plumbing -------------------------------------------------------------------------------

    def _auth(self) -> Dict[str, str]:
        return {"Authorization": f"Bearer {self._settings.bearer()}"}

    def _timeout(self) -> float:
        return self._settings.timeout_ms / 1000.0

    def _opts(self, headers: Dict[str, str]) -> Dict[str, Any]:
        return {"_headers": headers, "_request_timeout": self._timeout()}

    def close(self) -> None:
        """Releases the client's connections."""
        self._http.clear()
        for c in (self._api.metadata_client, self._api.lineage_client, self._api.ingest_client):
            c.rest_client.pool_manager.clear()

    def __enter__(self) -> "Deltaplane":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()




__all__ = ["Deltaplane", "NotFound"]
