"""Single sign-on: the SDK presents an OIDC provider's access tokens instead of an API key.

The end-to-end tier (platform-api/e2e) starts a real OpenID Connect provider every app trusts, and
PythonSdkTest.java passes two of its tokens for one principal: DELTAPLANE_TEST_TOKEN (for the platform's audience) and
DELTAPLANE_TEST_TOKEN_OTHER_AUDIENCE (for another application, which the platform must refuse).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import urllib3

from deltaplane import Deltaplane
from deltaplane.errors import AuthError


def _grant(gateway: str, admin_key: str, catalog: str, principal: str, *privileges: str) -> None:
    answer = urllib3.request(
        "PATCH",
        f"{gateway}/api/2.1/unity-catalog/permissions/catalog/{catalog}",
        headers={"Authorization": f"Bearer {admin_key}", "Content-Type": "application/json"},
        body=json.dumps({"changes": [{"principal": principal, "add": list(privileges)}]}),
    )
    assert answer.status == 200, answer.data


def test_a_token_file_signs_in_as_its_principal_and_is_read_again_when_it_changes(
    client: Deltaplane, gateway: str, admin_key: str, name: str, tmp_path: Path
) -> None:
    principal = os.environ["DELTAPLANE_TEST_TOKEN_PRINCIPAL"]
    token_file = tmp_path / "token"
    token_file.write_text(os.environ["DELTAPLANE_TEST_TOKEN"] + "\n")
    client.catalogs.create(name)
    with Deltaplane(base_url=gateway, token_file=str(token_file), max_attempts=1) as signed_in:
        # first sight makes the principal, with no grants: the new catalog is not among what it sees
        assert name not in [c.name for c in signed_in.catalogs.list()]
        _grant(gateway, admin_key, name, principal, "USE_CATALOG")
        assert name in [c.name for c in signed_in.catalogs.list()]

        # an agent rotates the file: the next request sends what it holds now
        token_file.write_text(os.environ["DELTAPLANE_TEST_TOKEN_OTHER_AUDIENCE"])
        later = token_file.stat().st_mtime_ns + 60 * 10**9
        os.utime(token_file, ns=(later, later))
        with pytest.raises(AuthError) as refused:
            signed_in.catalogs.list()
        assert refused.value.status == 401
        assert os.environ["DELTAPLANE_TEST_TOKEN_OTHER_AUDIENCE"] not in str(refused.value)


def test_a_token_provider_is_asked_before_every_request(gateway: str) -> None:
    asked = []

    def provider() -> str:
        asked.append(1)
        return os.environ["DELTAPLANE_TEST_TOKEN"]

    with Deltaplane(base_url=gateway, token_provider=provider) as signed_in:
        signed_in.catalogs.list()
        signed_in.catalogs.list()
    assert len(asked) == 2
    assert os.environ["DELTAPLANE_TEST_TOKEN"] not in repr(signed_in.settings)


def test_a_provider_without_a_token_fails_before_anything_is_sent(gateway: str) -> None:
    def down() -> str:
        raise RuntimeError("the identity endpoint is down")

    # a port nothing listens on: a request that got sent would be a transient network error instead
    for provider in (down, lambda: "  "):
        with Deltaplane(base_url="http://127.0.0.1:9", token_provider=provider, max_attempts=1) as c:
            with pytest.raises(AuthError) as refused:
                c.catalogs.list()
            assert refused.value.status == 0
