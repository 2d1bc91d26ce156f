"""Retries, idempotency keys, request ids and error mapping, against the real gateway."""

from __future__ import annotations

import socket

import pytest

from deltaplane import Deltaplane
from deltaplane.errors import AuthError, RateLimited, TransientNetworkError

from proxy import Proxy


def test_a_create_whose_answer_was_lost_is_applied_once(gateway: str, admin_key: str, name: str) -> None:
    proxy = Proxy(gateway, lambda n: "lose" if n == 1 else None)
    try:
        with Deltaplane(base_url=proxy.url, api_key=admin_key) as c:
            created = c.catalogs.create(name)
            assert created.name == name
        first, second = proxy.seen[0], proxy.seen[1]
        # the retry carried the same key and request id, so the platform replayed its answer
        assert first["headers"]["Idempotency-Key"] == second["headers"]["Idempotency-Key"]
        assert first["headers"]["X-Request-Id"] == second["headers"]["X-Request-Id"]
        with Deltaplane(base_url=gateway, api_key=admin_key) as direct:
            assert [c.name for c in direct.catalogs.list()].count(name) == 1
            direct.catalogs.delete(name)
    finally:
        proxy.close()


def test_two_calls_never_share_an_idempotency_key(gateway: str, admin_key: str, name: str) -> None:
    proxy = Proxy(gateway, lambda n: None)
    try:
        with Deltaplane(base_url=proxy.url, api_key=admin_key) as c:
            c.catalogs.create(name + "_a")
            c.catalogs.create(name + "_b")
            c.catalogs.delete(name + "_a")
            c.catalogs.delete(name + "_b")
        keys = [s["headers"].get("Idempotency-Key") for s in proxy.seen if s["method"] == "POST"]
        assert len(keys) == 2 and keys[0] != keys[1]
    finally:
        proxy.close()


def test_429_is_retried_after_retry_after_then_raised_as_rate_limited(gateway: str, admin_key: str) -> None:
    proxy = Proxy(gateway, lambda n: "429" if n <= 2 else None)
    try:
        with Deltaplane(base_url=proxy.url, api_key=admin_key) as c:
            assert isinstance(c.catalogs.list(), list)  # two 429s, then the real answer
        assert len(proxy.seen) == 3
    finally:
        proxy.close()
    always = Proxy(gateway, lambda n: "429")
    try:
        with Deltaplane(base_url=always.url, api_key=admin_key, max_attempts=3) as c:
            with pytest.raises(RateLimited) as limited:
                c.catalogs.list()
        assert limited.value.status == 429
        assert limited.value.error_code == "RATE_LIMITED"
        assert limited.value.retry_after == 0
        assert len(always.seen) == 3
    finally:
        always.close()


def test_a_stopped_service_is_a_transient_network_error_after_retries() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again below: nothing listens there
    with Deltaplane(base_url=f"http://127.0.0.1:{port}", api_key="k" * 20, max_attempts=2) as c:
        with pytest.raises(TransientNetworkError) as down:
            c.catalogs.list()
    assert down.value.status == 0
    assert down.value.request_id


def test_unknown_and_narrow_keys_are_auth_errors_without_the_key_in_the_text(
    gateway: str, read_key: str, name: str
) -> None:
    secret = "not-a-real-key-" + name
    with Deltaplane(base_url=gateway, api_key=secret) as c:
        with pytest.raises(AuthError) as unknown:
            c.catalogs.list()
    assert unknown.value.status == 401
    assert secret not in str(unknown.value) and secret not in repr(unknown.value)
    with Deltaplane(base_url=gateway, api_key=read_key) as reader:
        assert isinstance(reader.catalogs.list(), list)
        with pytest.raises(AuthError) as forbidden:
            reader.catalogs.create(name)
        assert forbidden.value.status == 403
        assert read_key not in repr(reader) and read_key not in repr(reader.settings)


def test_the_gateway_is_reached_with_the_key_of_the_client(gateway: str, admin_key: str) -> None:
    proxy = Proxy(gateway, lambda n: None)
    try:
        with Deltaplane(base_url=proxy.url, api_key=admin_key) as c:
            c.catalogs.list()
        assert proxy.seen[0]["headers"]["Authorization"] == f"Bearer {admin_key}"
        assert proxy.seen[0]["headers"]["X-Request-Id"]
    finally:
        proxy.close()
