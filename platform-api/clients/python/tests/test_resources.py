"""CRUD of every resource, commits, snapshots, time travel and paging against the real apps."""

from __future__ import annotations

import time
from datetime import datetime, timezone

import pytest

from deltaplane import Deltaplane
from deltaplane.errors import Conflict, InvalidRequest, NotFound

from conftest import STRUCT, add


def test_catalog_schema_table_lifecycle(client: Deltaplane, name: str) -> None:
    created = client.catalogs.create(name, comment="from pytest")
    assert created.name == name
    assert name in [c.name for c in client.catalogs.list()]
    assert client.catalogs.get(name).comment == "from pytest"

    client.use_catalog(name)
    client.schemas.create("sales")
    assert [s.name for s in client.schemas.list()] == ["sales"]
    client.use_schema("sales")
    assert client.current_catalog == name and client.current_schema == "sales"

    table = client.tables.create("orders", schema=STRUCT, partition_columns=["region"])
    assert table.full_name == f"{name}.sales.orders"
    assert table.version == 0
    assert table.partition_columns == ["region"]
    assert [t.name for t in client.tables.list()] == ["orders"]
    assert client.tables.get("orders").full_name == table.full_name

    nested = {
        "type": "struct",
        "fields": [
            {"name": "id", "type": "long", "nullable": False, "metadata": {}},
            {"name": "tags", "type": {"type": "array", "elementType": "string", "containsNull": True},
             "nullable": True, "metadata": {}},
            {"name": "origin", "type": {"type": "struct", "fields": [
                {"name": "site", "type": "string", "nullable": True, "metadata": {}}]}, "nullable": True, "metadata": {}},
        ],
    }
    events = client.tables.create("events", schema=nested)
    assert [f["name"] for f in events.var_schema["fields"]] == ["id", "tags", "origin"]
    client.tables.delete("events")
    client.tables.delete("orders")
    with pytest.raises(NotFound) as missing:
        client.tables.get("orders")
    assert missing.value.status == 404
    assert missing.value.error_code == "TABLE_NOT_FOUND"
    assert missing.value.request_id

    client.schemas.delete("sales")
    client.catalogs.delete(name)
    with pytest.raises(NotFound):
        client.catalogs.get(name)


def test_commit_snapshot_history_and_time_travel(client: Deltaplane, table: str) -> None:
    first = client.tables.commit(table, 0, [add("part-0.parquet")])
    assert first.version == 1
    time.sleep(0.01)  # the two commits' timestamps must differ for time travel by timestamp
    between = datetime.now(timezone.utc)
    time.sleep(0.01)
    second = client.tables.commit(table, 1, [add("part-1.parquet"), add("part-2.parquet")])
    assert second.version == 2

    assert client.tables.snapshot(table).num_files == 3
    assert client.tables.snapshot(table, version=1).num_files == 1
    assert client.tables.snapshot(table, timestamp=between).version == 1
    assert sorted(f["path"] for f in client.tables.files(table, version=1)) == ["part-0.parquet"]
    assert [c.version for c in client.tables.history(table)] == [2, 1, 0]


def test_version_conflict_carries_the_current_version(client: Deltaplane, table: str) -> None:
    client.tables.commit(table, 0, [add("a.parquet")])
    with pytest.raises(Conflict) as conflict:
        client.tables.commit(table, 0, [add("b.parquet")])
    assert conflict.value.error_code == "VERSION_CONFLICT"
    assert conflict.value.current_version == 1
    assert client.tables.snapshot(table).num_files == 1  # the losing commit changed nothing


def test_appends_the_platform_places_never_conflict_with_each_other(client: Deltaplane, table: str) -> None:
    # two writers read version 0 and append: both land, one after the other
    assert client.tables.append(table, [add("a.parquet")], read_version=0).version == 1
    assert client.tables.append(table, [add("b.parquet")], read_version=0).version == 2
    assert client.tables.append(table, [add("c.parquet")]).version == 3
    assert client.tables.snapshot(table).num_files == 3
    # a remove is no append: it names its version
    with pytest.raises(InvalidRequest):
        client.tables.append(table, [{"remove": {"path": "a.parquet", "dataChange": True}}])
    assert client.tables.snapshot(table).version == 3


def test_files_pages_past_a_thousand(client: Deltaplane, table: str) -> None:
    client.tables.commit(table, 0, [add(f"part-{i:05d}.parquet") for i in range(1205)])
    paths = [f["path"] for f in client.tables.files(table)]
    assert len(paths) == 1205
    assert len(set(paths)) == 1205


def test_invalid_input_is_an_invalid_request_and_creates_nothing(client: Deltaplane, name: str) -> None:
    with pytest.raises(InvalidRequest) as bad:
        client.catalogs.create("not a valid name!")
    assert bad.value.status == 400
    assert bad.value.error_code
    assert "not a valid name!" not in [c.name for c in client.catalogs.list()]


def test_short_names_need_a_catalog_in_use(gateway: str, admin_key: str) -> None:
    with Deltaplane(base_url=gateway, api_key=admin_key) as c:
        with pytest.raises(InvalidRequest, match="use_catalog"):
            c.tables.get("orders")


def test_jobs_runs_and_ingest_mappings(client: Deltaplane, name: str) -> None:
    run = client.jobs.start_run(name, {"owner": "pytest"})
    assert run.state == "RUNNING"
    client.jobs.heartbeat(name, str(run.run_id))
    done = client.jobs.complete_run(name, str(run.run_id), success=True)
    assert done.state == "COMPLETED"
    assert client.jobs.get(name).job_name == name
    assert name in [j.job_name for j in client.jobs.list()]
    assert [str(r.run_id) for r in client.jobs.runs(name)] == [str(run.run_id)]
    assert client.runs.get(str(run.run_id)).metadata == {"owner": "pytest"}

    mapping = {
        "name": name,
        "source": {"type": "kafka", "topic": f"{name}_topic"},
        "format": "json",
        "target": {"schema": "pytest", "table": f"{name}_rows"},
        "columns": [{"name": "id", "type": "BIGINT", "path": "$.id"}],
    }
    created = client.ingest_mappings.create(mapping)
    assert created.name == name
    assert name in [m.name for m in client.ingest_mappings.list()]
    assert client.ingest_mappings.pause(name).paused is True
    assert client.ingest_mappings.resume(name).paused is False
    assert client.ingest_mappings.status(name).name == name
    mapping["columns"].append({"name": "amount", "type": "DOUBLE", "path": "$.amount"})
    assert len(client.ingest_mappings.update(name, mapping).columns) == 2
    assert client.ingest_mappings.validate() is not None
    client.ingest_mappings.delete(name)
    with pytest.raises(NotFound):
        client.ingest_mappings.get(name)


def test_data_files_on_any_storage_optimize_vacuum_and_maintenance(
    client: Deltaplane, name: str, tmp_path
) -> None:
    client.catalogs.create(name)
    client.schemas.create(f"{name}.sales")
    table = f"{name}.sales.events"
    client.tables.create(table, schema=STRUCT, partition_columns=["region"])
    first = tmp_path / "a.parquet"
    first.write_bytes(b"PAR1 not really parquet PAR1")
    second = tmp_path / "b.parquet"
    second.write_bytes(b"PAR1 another file PAR1")

    uploaded = client.tables.upload_file(table, "region=eu/part-a.parquet", first)
    assert uploaded["size"] == first.stat().st_size and uploaded["created"] is True
    assert client.tables.upload_file(table, "region=eu/part-a.parquet", first)["created"] is False
    with pytest.raises(Conflict):
        client.tables.upload_file(table, "region=eu/part-a.parquet", second)
    with pytest.raises(InvalidRequest):
        client.tables.upload_file(table, "_delta_log/00000000000000000009.json", second)

    committed = client.tables.append_files(table, {"region=us/part-b.parquet": second})
    assert committed.version == 1
    files = {f["path"]: f for f in client.tables.files(table)}
    assert list(files) == ["region=us/part-b.parquet"]
    assert files["region=us/part-b.parquet"]["partitionValues"] == {"region": "us"}

    # one file in its partition: nothing to compact
    result = client.tables.optimize(table, where={"region": "us"})
    assert result.version is None and result.files_removed == 0
    # the uploaded-but-never-committed part-a is fresh: within the week's retention it stays
    vacuum = client.tables.vacuum(table, dry_run=True)
    assert vacuum.dry_run is True and vacuum.file_count == 0
    assert client.tables.maintenance(table).target_file_size_bytes == 1 << 30
    client.catalogs.delete(name, force=True)


def test_health_incidents_and_webhooks(client: Deltaplane, name: str) -> None:
    client.catalogs.create(name)
    client.schemas.create(f"{name}.sales")
    table = f"{name}.sales.events"
    client.tables.create(table, schema=STRUCT, partition_columns=["region"])
    health = client.tables.health(table)
    assert health.table == table
    assert health.status == "UNKNOWN" and health.freshness.source == "none"
    assert health.last_data_version is None
    assert client.health.incidents(status="OPEN", catalog=name) == []
    # the platform the suite runs allows no webhook host: nothing leaves it
    with pytest.raises(InvalidRequest):
        client.health.create_webhook(name="py-" + name[:20], url="https://hooks.example.com/x")
    assert all(w.name != "py-" + name[:20] for w in client.health.webhooks())
    client.catalogs.delete(name, force=True)


def test_volume_lifecycle(client: Deltaplane, name: str) -> None:
    client.catalogs.create(name)
    client.use_catalog(name)
    client.schemas.create("raw")
    client.use_schema("raw")
    created = client.volumes.create("landing", comment="drops")
    assert created.full_name == f"{name}.raw.landing"
    assert created.volume_type == "MANAGED"
    assert "/__unitystorage/catalogs/" in created.storage_location
    assert [v.name for v in client.volumes.list()] == ["landing"]
    assert client.volumes.get("landing").comment == "drops"
    assert client.volumes.rename("landing", "inbox").full_name == f"{name}.raw.inbox"
    with pytest.raises(Conflict):
        client.volumes.create("inbox")
    client.volumes.delete("inbox")
    with pytest.raises(NotFound) as missing:
        client.volumes.get("inbox")
    assert missing.value.status == 404  # Unity Catalog's error shape: error_code NOT_FOUND
    client.catalogs.delete(name, force=True)
