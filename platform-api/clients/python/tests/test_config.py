"""Settings: from the environment and DSNs, and the errors for bad ones (no platform needed)."""

from __future__ import annotations

import pytest

from deltaplane import AsyncDeltaplane, Deltaplane
from deltaplane.errors import InvalidConfiguration


def test_from_environment_reads_every_setting() -> None:
    c = Deltaplane.from_environment(
        {
            "DELTAPLANE_API_URL": "http://platform:8080/",
            "DELTAPLANE_API_KEY": "k-123",
            "DELTAPLANE_DEFAULT_TIMEOUT_MS": "1500",
            "DELTAPLANE_ARTIFACT_BUCKET": "logs",
            "DELTAPLANE_LOG_SHIP": "true",
        }
    )
    s = c.settings
    assert (s.base_url, s.api_key, s.timeout_ms, s.artifact_bucket, s.log_ship) == (
        "http://platform:8080",
        "k-123",
        1500,
        "logs",
        True,
    )


def test_a_dsn_gives_url_and_key_in_arguments_and_environment() -> None:
    assert Deltaplane(dsn="deltaplane://:sekret@localhost:8080").settings.base_url == "http://localhost:8080"
    s = Deltaplane.from_environment({"DELTAPLANE_API_URL": "deltaplanes://:sekret@lake.example.com"}).settings
    assert (s.base_url, s.api_key) == ("https://lake.example.com", "sekret")
    assert AsyncDeltaplane.from_environment({"DELTAPLANE_API_URL": "deltaplane://:k@h:1"}).sync.settings.api_key == "k"


@pytest.mark.parametrize(
    "env, complaint",
    [
        ({}, "DELTAPLANE_API_URL"),
        ({"DELTAPLANE_API_URL": "http://h:1"}, "DELTAPLANE_API_KEY, DELTAPLANE_TOKEN or DELTAPLANE_TOKEN_FILE"),
        ({"DELTAPLANE_API_URL": "ftp://h", "DELTAPLANE_API_KEY": "k"}, "http"),
        ({"DELTAPLANE_API_URL": "http://h", "DELTAPLANE_API_KEY": "k", "DELTAPLANE_DEFAULT_TIMEOUT_MS": "soon"}, "milliseconds"),
        ({"DELTAPLANE_API_URL": "http://h", "DELTAPLANE_API_KEY": "k", "DELTAPLANE_DEFAULT_TIMEOUT_MS": "-5"}, "positive"),
        ({"DELTAPLANE_API_URL": "http://h", "DELTAPLANE_API_KEY": "k", "DELTAPLANE_LOG_SHIP": "maybe"}, "true or false"),
        ({"DELTAPLANE_API_URL": "deltaplane://:k@"}, "no host"),
        ({"DELTAPLANE_API_URL": "deltaplane://:k@h:1/path"}, "no path"),
    ],
)
def test_missing_or_malformed_settings_fail_at_construction(env: dict, complaint: str) -> None:
    with pytest.raises(InvalidConfiguration, match=complaint):
        Deltaplane.from_environment(env)


def test_the_key_never_shows_in_repr_or_errors() -> None:
    c = Deltaplane(base_url="http://h:1", api_key="very-secret-key")
    assert "very-secret-key" not in repr(c) and "very-secret-key" not in repr(c.settings)
    with pytest.raises(InvalidConfiguration) as bad:
        Deltaplane(dsn="deltaplane://:very-secret-key@h:1/x")
    assert "very-secret-key" not in str(bad.value)


def test_one_credential_from_the_environment(tmp_path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text("eyJ.from-a-file\n")
    from_file = Deltaplane.from_environment({"DELTAPLANE_API_URL": "http://h:1", "DELTAPLANE_TOKEN_FILE": str(token_file)})
    assert from_file.settings.bearer() == "eyJ.from-a-file"
    fixed = Deltaplane.from_environment({"DELTAPLANE_API_URL": "http://h:1", "DELTAPLANE_TOKEN": "eyJ.fixed"})
    assert fixed.settings.bearer() == "eyJ.fixed" and "eyJ.fixed" not in repr(fixed.settings)
    for env, complaint in [
        ({"DELTAPLANE_API_KEY": "k", "DELTAPLANE_TOKEN": "eyJ.x"}, "not several"),
        ({"DELTAPLANE_TOKEN": "eyJ.x", "DELTAPLANE_TOKEN_FILE": str(token_file)}, "not several"),
        ({"DELTAPLANE_TOKEN_FILE": str(tmp_path / "missing")}, "not there or not readable"),
    ]:
        with pytest.raises(InvalidConfiguration, match=complaint):
            Deltaplane.from_environment({"DELTAPLANE_API_URL": "http://h:1", **env})
    with pytest.raises(InvalidConfiguration, match="not both"):
        Deltaplane(base_url="http://h:1", api_key="k", token="eyJ.x")
    with pytest.raises(InvalidConfiguration, match="one of"):
        Deltaplane(base_url="http://h:1", token="eyJ.x", token_file=str(token_file))
