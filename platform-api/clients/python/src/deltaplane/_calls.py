"""How every call goes out: request ids, idempotency keys, retries and error mapping.

One ``X-Request-Id`` per call, kept across its retries; POSTs that create something carry an
``Idempotency-Key`` generated once per call and kept across retries, so a retried create is
applied once. Idempotent calls and keyed POSTs are retried on no answer, 429 (honouring
``Retry-After``) and 502/503/504, with exponential back-off and jitter.
"""

from __future__ import annotations

import json
import logging
import random
import time
import uuid
from typing import Any, Callable, Dict, Mapping, Optional, TypeVar

import urllib3

from .errors import (
    AuthError,
    Conflict,
    DeltaplaneError,
    InvalidRequest,
    NotFound,
    RateLimited,
    ServerError,
    TransientNetworkError,
)

REQUEST_ID = "X-Request-Id"
IDEMPOTENCY_KEY = "Idempotency-Key"

T = TypeVar("T")
log = logging.getLogger("deltaplane")

_FIRST_WAIT_S = 0.2
_LONGEST_WAIT_S = 10.0
_LONGEST_RETRY_AFTER_S = 30.0


class Calls:
    """Runs calls with retries; ``sleep`` is injectable so tests need not wait."""

    def __init__(self, max_attempts: int, sleep: Callable[[float], None] = time.sleep) -> None:
        self._max_attempts = max_attempts
        self._sleep = sleep

    def idempotent(self, call: Callable[[Dict[str, str]], T]) -> T:
        """Runs a call that may be repeated safely (GET, PUT, DELETE, pause/resume)."""
        return self._run(call, {REQUEST_ID: str(uuid.uuid4())})

    def create(self, call: Callable[[Dict[str, str]], T]) -> T:
        """Runs a POST with an ``Idempotency-Key`` kept across its retries."""
        return self._run(call, {REQUEST_ID: str(uuid.uuid4()), IDEMPOTENCY_KEY: str(uuid.uuid4())})

    def _run(self, call: Callable[[Dict[str, str]], T], headers: Dict[str, str]) -> T:
        request_id = headers[REQUEST_ID]
        attempt = 0
        while True:
            attempt += 1
            try:
                return call(dict(headers))
            except DeltaplaneError:
                raise
            except Exception as e:  # noqa: BLE001 - every failure becomes one typed error
                error = map_error(e, request_id)
            if attempt >= self._max_attempts or not retryable(error):
                raise error from None
            wait = backoff(attempt)
            if isinstance(error, RateLimited) and error.retry_after is not None:
                wait = max(wait, min(error.retry_after, _LONGEST_RETRY_AFTER_S))
            log.debug("Retrying call %s in %.2f s after: %s", request_id, wait, error)
            self._sleep(wait)


def backoff(attempt: int) -> float:
    """The wait before retry ``attempt`` (1 = first): doubling from 0.2 s, ±50% jitter, ≤ 10 s."""
    base = min(_FIRST_WAIT_S * (2 ** (attempt - 1)), _LONGEST_WAIT_S)
    return base * random.uniform(0.5, 1.5)


def retryable(error: DeltaplaneError) -> bool:
    if isinstance(error, (TransientNetworkError, RateLimited)):
        return True
    return isinstance(error, ServerError) and error.status in (502, 503, 504)


def map_error(e: BaseException, sent_request_id: str) -> DeltaplaneError:
    """One typed error for anything a generated client or urllib3 raised."""
    if isinstance(e, urllib3.exceptions.HTTPError) or isinstance(e, (ConnectionError, TimeoutError)):
        return TransientNetworkError(
            f"No answer from the platform: {type(e).__name__}", request_id=sent_request_id
        )
    status = getattr(e, "status", None)
    if isinstance(status, int) and hasattr(e, "body"):
        if status == 0:
            return TransientNetworkError(
                f"No answer from the platform: {getattr(e, 'reason', e)}", request_id=sent_request_id
            )
        headers = getattr(e, "headers", None) or {}
        return from_response(status, getattr(e, "body", None), headers, sent_request_id)
    if type(e).__name__ == "ValidationError" or isinstance(e, (ValueError, TypeError)):
        # pydantic's check of an argument, before anything was sent
        return InvalidRequest(f"Invalid argument: {e}", request_id=sent_request_id)
    return DeltaplaneError(f"Unexpected failure: {type(e).__name__}: {e}", request_id=sent_request_id)


def from_response(
    status: int, body: Optional[Any], headers: Mapping[str, str], sent_request_id: str
) -> DeltaplaneError:
    """The error for a non-2xx answer, from its problem+json body."""
    problem: Dict[str, Any] = {}
    if isinstance(body, (bytes, bytearray)):
        body = body.decode("utf-8", "replace")
    if isinstance(body, str) and body.strip().startswith("{"):
        try:
            parsed = json.loads(body)
            if isinstance(parsed, dict):
                problem = parsed
        except ValueError:
            pass
    request_id = (
        _text(problem.get("request_id")) or _header(headers, REQUEST_ID) or sent_request_id
    )
    code = _text(problem.get("error_code"))
    detail = _text(problem.get("detail")) or f"HTTP {status}"
    message = f"{code}: {detail}" if code else detail
    kwargs: Dict[str, Any] = dict(
        status=status, error_code=code, request_id=request_id, problem=problem
    )
    if status in (401, 403):
        return AuthError(message, **kwargs)
    if status == 404:
        return NotFound(message, **kwargs)
    if status == 409 or (status == 400 and code is not None and code.endswith("_ALREADY_EXISTS")):
        # (Unity Catalog's door answers a rename onto a taken name as UC's server does: 400 with
        # its own code, RESOURCE_ALREADY_EXISTS for a volume; still a taken name, a conflict)
        return Conflict(message, **kwargs)
    if status == 429:
        return RateLimited(message, retry_after=_retry_after(_header(headers, "Retry-After")), **kwargs)
    if 400 <= status < 500:
        return InvalidRequest(message, **kwargs)
    return ServerError(message, **kwargs)


def _header(headers: Mapping[str, str], name: str) -> Optional[str]:
    if headers is None:
        return None
    getter = getattr(headers, "get", None)
    if getter is None:
        return None
    value = getter(name) or getter(name.lower())
    return str(value) if value else None


def _retry_after(value: Optional[str]) -> Optional[float]:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _text(value: Any) -> Optional[str]:
    return str(value) if value not in (None, "") else None
