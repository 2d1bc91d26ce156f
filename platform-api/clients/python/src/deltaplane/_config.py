"""Client settings: from arguments, from a DSN or from the environment, checked at construction."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Callable, Mapping, Optional
from urllib.parse import unquote, urlsplit

from .errors import AuthError, InvalidConfiguration

ENV_URL = "DELTAPLANE_API_URL"
ENV_KEY = "DELTAPLANE_API_KEY"
ENV_TOKEN = "DELTAPLANE_TOKEN"
ENV_TOKEN_FILE = "DELTAPLANE_TOKEN_FILE"
ENV_TIMEOUT_MS = "DELTAPLANE_DEFAULT_TIMEOUT_MS"
ENV_TIMEOUT_MS_JAVA = "DELTAPLANE_TIMEOUT_MS"  # the Java client's name, accepted too
ENV_ARTIFACT_BUCKET = "DELTAPLANE_ARTIFACT_BUCKET"
ENV_LOG_SHIP = "DELTAPLANE_LOG_SHIP"

DEFAULT_TIMEOUT_MS = 30_000
DEFAULT_BUCKET = "artifacts"


@dataclass(frozen=True)
class Settings:
    """Everything a client needs; neither the API key nor a token ever appears in ``repr``.

    The credential is an API key, or a ``token_provider``: a callable asked for a single sign-on
    access token before every request (see ``token_file``), so a refreshed token is always used.
    """

    base_url: str
    api_key: Optional[str] = field(default=None, repr=False)
    timeout_ms: int = DEFAULT_TIMEOUT_MS
    artifact_bucket: str = DEFAULT_BUCKET
    log_ship: bool = False
    max_attempts: int = 4
    heartbeat_interval_s: float = 10.0
    token_provider: Optional[Callable[[], str]] = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not self.base_url:
            raise InvalidConfiguration(f"No platform URL: pass base_url= or dsn=, or set {ENV_URL}")
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InvalidConfiguration(
                f"The platform URL must be http(s)://host[:port], got '{_safe(self.base_url)}'"
            )
        has_key = bool(self.api_key and self.api_key.strip())
        if has_key and self.token_provider is not None:
            raise InvalidConfiguration("Give an API key or a token, not both")
        if not has_key and self.token_provider is None:
            raise InvalidConfiguration(
                f"No API key or token: pass api_key=, token=, token_provider= or token_file=, or a DSN,"
                f" or set {ENV_KEY}, {ENV_TOKEN} or {ENV_TOKEN_FILE}"
            )
        if has_key and any(c.isspace() for c in self.api_key or ""):
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


    def bearer(self) -> str:
        """The value sent after ``Bearer``: the API key, or a token asked of the provider now.

        Raises:
            AuthError: The provider failed or gave no token; nothing is sent then.
        """
        if self.token_provider is None:
            return self.api_key or ""
        try:
            token = self.token_provider()
        except Exception as e:  # the provider's own failure, whatever it is
            raise AuthError(f"Could not get an access token: {type(e).__name__}: {e}") from e
        if not token or not str(token).strip():
            raise AuthError("The token provider gave no access token")
        token = str(token).strip()
        if any(c.isspace() or not c.isascii() for c in token):
            raise AuthError("The access token contains whitespace or non-ASCII characters")
        return token


def token_file(path: str) -> Callable[[], str]:
    """A token provider reading ``path`` (a file an agent or sidecar keeps fresh), read again whenever
    the file changes.

    Raises:
        InvalidConfiguration: The file is not there or not readable.
    """
    if not os.access(path, os.R_OK) or not os.path.isfile(path):
        raise InvalidConfiguration(f"The token file {path} is not there or not readable ({ENV_TOKEN_FILE})")
    state: dict = {}

    def read() -> str:
        st = os.stat(path)
        seen = (st.st_mtime_ns, st.st_size)
        if state.get("seen") != seen:
            with open(path, encoding="utf-8") as f:
                state["token"] = f.read().strip()
            state["seen"] = seen
        return state["token"]

    return read


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
    token = env.get(ENV_TOKEN, "").strip()
    token_path = env.get(ENV_TOKEN_FILE, "").strip()
    if sum(1 for v in (key, token, token_path) if v) > 1:
        raise InvalidConfiguration(f"Set one of {ENV_KEY}, {ENV_TOKEN} and {ENV_TOKEN_FILE}, not several")
    if url.startswith(("deltaplane://", "deltaplanes://")):
        url, dsn_key = parse_dsn(url)
        if not token and not token_path:
            key = key or dsn_key
    provider: Optional[Callable[[], str]] = None
    if token:
        provider = lambda: token  # noqa: E731 - a fixed token is a provider of one value
    elif token_path:
        provider = token_file(token_path)
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
        api_key=key or None,
        token_provider=provider,
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
