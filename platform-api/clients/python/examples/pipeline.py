"""A pipeline's whole lineage lifecycle and a Delta commit, with the Deltaplane Python SDK.

Run it against `./platform up` (from the repository root):

    export DELTAPLANE_API_URL=http://localhost:8080 DELTAPLANE_API_KEY=$(cat .platform/admin-api-key)
    python3 platform-api/clients/python/examples/pipeline.py
"""

from __future__ import annotations

import json
import tempfile
import uuid
from pathlib import Path

from deltaplane import Deltaplane, JobContext
from deltaplane.errors import Conflict

SCHEMA = {
    "type": "struct",
    "fields": [
        {"name": "order_id", "type": "long", "nullable": False, "metadata": {}},
        {"name": "amount", "type": "double", "nullable": True, "metadata": {}},
    ],
}


def main() -> None:
    client = Deltaplane.from_environment()
    catalog = "example_" + uuid.uuid4().hex[:8]

    # 1. A catalog, a schema and a Delta table; short names resolve against use_catalog/use_schema.
    client.catalogs.create(catalog, comment="made by examples/pipeline.py")
    client.use_catalog(catalog).schemas.create("sales")
    client.use_schema("sales")
    table = client.tables.create("orders", schema=SCHEMA)
    print(f"created {table.full_name} at version {table.version}")

    # 2. A run of a job: reads the raw table, writes a curated snapshot, logs metrics and ships its log.
    with tempfile.TemporaryDirectory() as tmp:
        log_file = Path(tmp) / "run.log"
        log_file.write_text("loaded 2 orders\n")
        with JobContext(client, job_name=f"{catalog}_daily_sales", metadata={"source": "example"},
                        ship_logs=True, log_path=log_file) as job:
            print(f"run {job.run_id} of {job.job_name} started")
            stats = json.dumps({"numRecords": 2})
            add = {"add": {"path": "part-00000.parquet", "size": 1024, "modificationTime": 0,
                           "dataChange": True, "partitionValues": {}, "stats": stats}}
            committed = client.tables.commit("orders", expected_version=0, actions=[add])
            print(f"committed version {committed.version}")
            try:
                client.tables.commit("orders", expected_version=0, actions=[add])
            except Conflict as e:
                print(f"a stale commit is refused: the table is at {e.current_version}")
            job.register_snapshot(f"{catalog}.sales.orders", table.location, format="delta", version=committed.version)
            job.log_event("metrics", {"rows": 2})

    run = client.runs.get(job.run_id)
    print(f"run {run.run_id}: {run.state}, {len(run.artifacts)} artifact(s)")
    snapshot = client.tables.snapshot("orders")
    print(f"{snapshot.full_name}: version {snapshot.version}, {snapshot.num_files} file(s)")
    client.catalogs.delete(catalog, force=True)


if __name__ == "__main__":
    main()
