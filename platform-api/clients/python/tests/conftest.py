"""Fixtures: clients of the real platform the build started (platform-api/e2e, PythonSdkTest.java).

The Maven test passes DELTAPLANE_API_URL (the gateway), DELTAPLANE_API_KEY (an admin key) and
DELTAPLANE_TEST_KAFKA (the embedded broker the ingest worker reads).
"""

from __future__ import annotations

import json
import os
import uuid

import pytest
import urllib3

from deltaplane import Deltaplane


@pytest.fixture(scope="session")
def gateway() -> str:
    url = os.environ.get("DELTAPLANE_API_URL")
    if not url:
        pytest.fail("DELTAPLANE_API_URL is not set: run this suite through ./mvnw (PythonSdkTest)")
    return url


@pytest.fixture(scope="session")
def admin_key() -> str:
    return os.environ["DELTAPLANE_API_KEY"]


@pytest.fixture()
def client(gateway: str, admin_key: str) -> Deltaplane:
    with Deltaplane(base_url=gateway, api_key=admin_key, heartbeat_interval_s=0.2) as c:
        yield c


@pytest.fixture()
def name() -> str:
    """A fresh identifier, so tests never see each other's objects."""
    return "py_" + uuid.uuid4().hex[:10]


def create_key(gateway: str, admin_key: str, scope: str) -> str:
    r = urllib3.request(
        "POST",
        f"{gateway}/api/v1/admin/api-keys",
        body=json.dumps({"name": f"pytest {scope}", "scope": scope}),
        headers={"Authorization": f"Bearer {admin_key}", "Content-Type": "application/json"},
    )
    assert r.status == 201, r.data
    return json.loads(r.data)["key"]


@pytest.fixture(scope="session")
def read_key(gateway: str, admin_key: str) -> str:
    return create_key(gateway, admin_key, "read")


STRUCT = {
    "type": "struct",
    "fields": [
        {"name": "id", "type": "long", "nullable": False, "metadata": {}},
        {"name": "region", "type": "string", "nullable": True, "metadata": {}},
    ],
}


def add(path: str, size: int = 100) -> dict:
    return {
        "add": {
            "path": path,
            "size": size,
            "modificationTime": 1_700_000_000_000,
            "dataChange": True,
            "partitionValues": {},
            "stats": json.dumps({"numRecords": 1}),
        }
    }


@pytest.fixture()
def table(client: Deltaplane, name: str) -> str:
    """A fresh catalog.schema.table at version 0; the catalog is dropped afterwards."""
    client.catalogs.create(name)
    client.schemas.create(f"{name}.sales")
    client.tables.create(f"{name}.sales.orders", schema=STRUCT)
    yield f"{name}.sales.orders"
    client.catalogs.delete(name, force=True)
