"""The one scenario list of the REST surface (platform-api/e2e/src/test/resources/scenarios.json),
run through the Python SDK: the same steps the Java client and the CLI run (ScenariosTest.java),
checked the same way. PythonSdkTest passes the file's path in DELTAPLANE_TEST_SCENARIOS.
"""

from __future__ import annotations

import json
import os
import uuid
from typing import Any, Dict, List

import pytest

from deltaplane import Deltaplane
from deltaplane.errors import Conflict, InvalidRequest, NotFound

ERRORS = {NotFound: "not_found", Conflict: "conflict", InvalidRequest: "invalid_request"}


def load(prefix: str) -> List[Dict[str, Any]]:
    """The scenarios of the file PythonSdkTest names, ``{p}`` replaced by ``prefix`` and the scenario's number."""
    path = os.environ.get("DELTAPLANE_TEST_SCENARIOS")
    if not path:
        pytest.fail("DELTAPLANE_TEST_SCENARIOS is not set: run this suite through ./mvnw (PythonSdkTest)")
    with open(path, encoding="utf-8") as f:
        scenarios = json.load(f)["scenarios"]
    # a prefix per scenario: one that fails half-way leaves nothing in the next one's way
    return [json.loads(json.dumps(s).replace("{p}", f"{prefix}{i}")) for i, s in enumerate(scenarios)]


def struct(columns: List[str]) -> Dict[str, Any]:
    fields = []
    for column in columns:
        name, kind, *rest = column.split(":")
        fields.append({"name": name, "type": kind, "nullable": not rest, "metadata": {}})
    return {"type": "struct", "fields": fields}


def perform(client: Deltaplane, op: str, step: Dict[str, Any], last_run: Dict[str, str]) -> Any:
    """One step's operation; ``last_run`` keeps the run of each job this client started last."""
    catalog, schema, table, job = step.get("catalog"), step.get("schema"), step.get("table"), step.get("job")
    if op == "create_catalog":
        return client.catalogs.create(catalog).to_dict()
    if op == "show_catalog":
        return client.catalogs.get(catalog).to_dict()
    if op == "drop_catalog":
        return client.catalogs.delete(catalog, force=step.get("force", False))
    if op == "create_schema":
        return client.schemas.create(schema).to_dict()
    if op == "list_schemas":
        return [s.name for s in client.schemas.list(catalog)]
    if op == "drop_schema":
        return client.schemas.delete(schema)
    if op == "create_table":
        return client.tables.create(table, struct(step["columns"])).to_dict()
    if op == "show_table":
        return client.tables.get(table).to_dict()
    if op == "list_tables":
        catalog_name, schema_name = schema.split(".")
        return [t.name for t in client.tables.list(catalog_name, schema_name)]
    if op == "history":
        return [c.operation for c in client.tables.history(table)]
    if op == "files":
        return len(list(client.tables.files(table)))
    if op == "drop_table":
        return client.tables.delete(table)
    if op == "start_run":
        started = client.jobs.start_run(job).to_dict()
        last_run[job] = str(started["run_id"])
        return started
    if op == "complete_run":
        return client.jobs.complete_run(job, last_run[job], success=not step.get("failed", False)).to_dict()
    if op == "list_runs":
        return [str(run.state) for run in client.jobs.runs(job)]
    if op == "show_run":
        return client.runs.get(step.get("run") or last_run[job]).to_dict()
    raise AssertionError(f"no such operation in the scenarios: {op}")


def check(step: Dict[str, Any], value: Any, where: str) -> None:
    for field, want in step.get("expect", {}).items():
        assert str(value.get(field)) == str(want), f"{where}: {field} in {value}"
    if "expect_names" in step:
        assert sorted(value) == sorted(step["expect_names"]), f"{where}: {value}"
    if "expect_operations" in step:
        assert value == step["expect_operations"], f"{where}: {value}"
    if "expect_count" in step:
        assert value == step["expect_count"], f"{where}: {value}"


def test_every_scenario_through_the_sdk(client: Deltaplane) -> None:
    scenarios = load("sc_py_" + uuid.uuid4().hex[:8])
    planned = sum(len(s["steps"]) for s in scenarios)
    assert planned > 0, "steps in scenarios.json"
    ran = 0
    last_run: Dict[str, str] = {}
    for scenario in scenarios:
        for number, step in enumerate(scenario["steps"], start=1):
            where = f"step {number} of '{scenario['name']}': {step}"
            try:
                value, error = perform(client, step["do"], step, last_run), None
            except tuple(ERRORS) as e:
                value, error = None, next(kind for cls, kind in ERRORS.items() if isinstance(e, cls))
            if "expect_error" in step:
                assert error == step["expect_error"], f"{where}: answered {value!r}"
            else:
                assert error is None, f"{where}: failed with {error}"
                check(step, value, where)
            ran += 1
    assert ran == planned
