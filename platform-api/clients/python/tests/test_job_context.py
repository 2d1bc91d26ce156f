"""JobContext lifecycle: start, heartbeats, snapshots, events, shipped logs, failure."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from deltaplane import Deltaplane, JobContext

from conftest import add


def test_a_run_completes_with_its_snapshots_events_and_shipped_logs(
    client: Deltaplane, name: str, tmp_path: Path
) -> None:
    raw, curated = f"{name}_raw", f"{name}_curated"
    with JobContext(client, job_name=f"{name}_ingest") as loader:
        loader.register_snapshot(raw, f"file:///lake/{raw}/v1", format="parquet")

    log_file = tmp_path / "run.log"
    log_file.write_bytes(b"line 1\nline 2 \xe2\x9c\x93\n" * 1000)
    extra = tmp_path / "extra.log"
    extra.write_text("more\n")
    with JobContext(
        client, job_name=f"{name}_etl", metadata={"source": "s3"}, ship_logs=True, log_path=log_file
    ) as job:
        assert job.job_name == f"{name}_etl"
        run_id = job.run_id
        assert job.get_table_latest_uri(raw) == f"file:///lake/{raw}/v1"
        job.register_snapshot(curated, f"file:///lake/{curated}/v1", format="parquet", schema={"id": "long"})
        assert job.log_event("metrics", {"rows": 42})
        job.attach_log(extra)
        time.sleep(0.5)  # heartbeats are sent every 0.2 s meanwhile

    assert job.state == "COMPLETED"
    run = client.runs.get(run_id)
    assert run.state == "COMPLETED"
    assert run.metadata == {"source": "s3"}
    assert run.last_heartbeat_at is not None and run.last_heartbeat_at > run.started_at
    assert [e.event_type for e in run.events if e.event_type == "metrics"] == ["metrics"]
    logs = [a for a in run.artifacts if a.type == "log"]
    assert len(logs) == 2
    assert client.resolve_table_uri(curated) == f"file:///lake/{curated}/v1"

    # the shipped bytes are the file's bytes
    for local in (log_file, extra):
        copy = tmp_path / ("copy-" + local.name)
        client.download_object(client.settings.artifact_bucket, f"jobs/{name}_etl/{run_id}/{local.name}", copy)
        assert copy.read_bytes() == local.read_bytes()


def test_a_runs_commits_reach_lineage_written_by_the_run(client: Deltaplane, table: str, name: str) -> None:
    with JobContext(client, job_name=f"{name}_writer") as job:
        run_id = job.run_id
        assert job.commit(table, 0, [add("a.parquet")]).version == 1
        # a commitInfo of the caller's own keeps its fields
        assert job.commit(table, 1, [add("b.parquet"), {"commitInfo": {"engineInfo": "nightly-etl"}}]).version == 2
    newest = client.tables.history(table)[0]
    assert newest.commit_info["deltaplaneRunId"] == run_id
    assert newest.commit_info["engineInfo"] == "nightly-etl"

    # metadata-service relays each version with its writer: the run's outputs show the table,
    # without a register_snapshot
    deadline = time.monotonic() + 30
    outputs: list = []
    while time.monotonic() < deadline:
        outputs = [o for o in client.runs.get(run_id).outputs or [] if o.table_name == table]
        if len(outputs) == 2:
            break
        time.sleep(0.1)
    assert sorted(o.version for o in outputs) == [1, 2]


def test_a_block_that_raises_fails_the_run_with_the_error(client: Deltaplane, name: str) -> None:
    with pytest.raises(ValueError, match="bad input"):
        with JobContext(client, job_name=name) as job:
            run_id = job.run_id
            raise ValueError("bad input")
    assert job.state == "FAILED"
    run = client.runs.get(run_id)
    assert run.state == "FAILED"
    assert run.extra["error"] == "ValueError: bad input"
    health = client.health.job(name)
    assert health.status == "FAILING" and health.consecutive_failures == 1
    assert health.reason == f"its last run {run_id} failed"


def test_upload_object_streams_a_file_and_returns_its_uri(client: Deltaplane, name: str, tmp_path: Path) -> None:
    data = tmp_path / "blob.bin"
    data.write_bytes(bytes(range(256)) * 4096)  # 1 MiB
    uri = client.upload_object("pytest", f"{name}/blob.bin", data)
    assert uri.endswith(f"{name}/blob.bin")
    back = tmp_path / "back.bin"
    assert client.download_object("pytest", f"{name}/blob.bin", back) == data.stat().st_size
    assert back.read_bytes() == data.read_bytes()
