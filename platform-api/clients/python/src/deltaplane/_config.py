"""Client settings: from arguments, from a DSN or from the environment, checked at construction."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Mapping, Optional
from urllib.parse import unquote, urlsplit

from .errors import InvalidConfiguration

ENV_URL = "DELTAPLANE_API_URL"
ENV_KEY = "DELTAPLANE_API_KEY"
ENV_TIMEOUT_MS = "DELTAPLANE_DEFAULT_TIMEOUT_MS"
ENV_TIMEOUT_MS_JAVA = "DELTAPLANE_TIMEOUT_MS"  # the Java client's name, accepted too
ENV_ARTIFACT_BUCKET = "DELTAPLANE_ARTIFACT_BUCKET"
ENV_LOG_SHIP = "DELTAPLANE_LOG_SHIP"

DEFAULT_TIMEOUT_MS = 30_000
DEFAULT_BUCKET = "artifacts"


@dataclass(frozen=True)
class Settings:
    """Everything a client needs; the API key never appears in ``repr``."""

    base_url: str
    api_key: str = field(repr=False)
    timeout_ms: int = DEFAULT_TIMEOUT_MS
    artifact_bucket: str = DEFAULT_BUCKET
    log_ship: bool = False
    max_attempts: int = 4
    heartbeat_interval_s: float = 10.0

    def __post_init__(self) -> None:
        if not self.base_url:
            raise InvalidConfiguration(f"No platform URL: pass base_url= or dsn=, or set {ENV_URL}")
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InvalidConfiguration(
                f"The platform URL must be http(s)://host[:port], got '{_safe(self.base_url)}'"
            )
        if not self.api_key or not self.api_key.strip():
            raise InvalidConfiguration(f"No API key: pass api_key= or a DSN, or set {ENV_KEY}")
        if any(c.isspace() for c in self.api_key):
            raise InvalidConfiguration("The API key must not contain whitespace")
        if not isinstance(self.timeout_ms, int) or self.timeout_ms <= 0:
            raise InvalidConfiguration(f"timeout_ms must be a positive integer, got {self.timeout_ms!r}")
        if not self.artifact_bucket:
            raise InvalidConfiguration("artifact_bucket must not be empty")
        if self.max_attempts < 1:
            raise InvalidConfiguration(f"max_attempts must be at least 1, got {self.max_attempts}")
        if self.heartbeat_interval_s <= 0:
            raise InvalidConfiguration("heartbeat_interval_s must be positive")
        object.__setattr__(self, "base_url", self.base_url.rstrip("/"))


def parse_dsn(dsn: str) -> tuple[str, str]:
    """Splits ``deltaplane://:KEY@host:port`` (``deltaplanes://`` for HTTPS) into URL and key.

    Raises:
        InvalidConfiguration: The DSN is malformed; the message never repeats the key.
    """
    try:
        parts = urlsplit(dsn)
        port = parts.port
    except ValueError as e:
        raise InvalidConfiguration("Malformed DSN (expected deltaplane://:KEY@host:port)") from e
    if parts.scheme not in ("deltaplane", "deltaplanes"):
        raise InvalidConfiguration("A DSN starts with deltaplane:// or deltaplanes://")
    if not parts.hostname:
        raise InvalidConfiguration("The DSN has no host (expected deltaplane://:KEY@host:port)")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise InvalidConfiguration("A DSN has no path or query (expected deltaplane://:KEY@host:port)")
    key = unquote(parts.password or parts.username or "")
    scheme = "https" if parts.scheme == "deltaplanes" else "http"
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{scheme}://{host}{':' + str(port) if port else ''}", key


def from_environment(environ: Optional[Mapping[str, str]] = None) -> Settings:
    """Settings from ``DELTAPLANE_*`` variables (``DELTAPLANE_API_URL`` may be a DSN)."""
    env = os.environ if environ is None else environ
    url = env.get(ENV_URL, "").strip()
    key = env.get(ENV_KEY, "").strip()
    if url.startswith(("deltaplane://", "deltaplanes://")):
        url, dsn_key = parse_dsn(url)
        key = key or dsn_key
    timeout_text = env.get(ENV_TIMEOUT_MS) or env.get(ENV_TIMEOUT_MS_JAVA)
    timeout = DEFAULT_TIMEOUT_MS
    if timeout_text:
        try:
            timeout = int(timeout_text)
        except ValueError:
            raise InvalidConfiguration(
                f"{ENV_TIMEOUT_MS} must be a whole number of milliseconds, got '{timeout_text}'"
            ) from None
    return Settings(
        base_url=url,
        api_key=key,
        timeout_ms=timeout,
        artifact_bucket=env.get(ENV_ARTIFACT_BUCKET) or DEFAULT_BUCKET,
        log_ship=_flag(env.get(ENV_LOG_SHIP), ENV_LOG_SHIP),
    )


def _flag(value: Optional[str], name: str) -> bool:
    if value is None or value.strip() == "":
        return False
    v = value.strip().lower()
    if v in ("true", "1", "yes"):
        return True
    if v in ("false", "0", "no"):
        return False
    raise InvalidConfiguration(f"{name} must be true or false, got '{value}'")


def _safe(url: str) -> str:
    """The URL without any user info, for messages."""
    parts = urlsplit(url)
    if parts.password or parts.username:
        return url.replace(parts.netloc, parts.hostname or "")
    return url
