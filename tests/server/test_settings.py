"""Settings: ATD_* variables, then CLI flags; bad values are refused with the variable's name."""

from __future__ import annotations

from pathlib import Path

import pytest

from anki_template_designer.server import SettingsError, load_settings
from anki_template_designer.server.settings import DEFAULT_MAX_UPLOAD_BYTES


def test_defaults_bind_loopback() -> None:
    settings = load_settings({})
    assert settings.host == "127.0.0.1"
    assert settings.max_upload_bytes == DEFAULT_MAX_UPLOAD_BYTES == 200 * 1024 * 1024
    assert settings.workspace_location is None
    assert settings.url == f"http://127.0.0.1:{settings.port}/"


def test_environment_then_flags(tmp_path: Path) -> None:
    env = {
        "ATD_PORT": "9000",
        "ATD_HOST": "::1",
        "ATD_MAX_UPLOAD_BYTES": "1000",
        "ATD_DATABASE_URL": "postgresql://db/atd",
        "ATD_AUTHOR": "ana",
        "ATD_ALLOWED_HOSTS": "a.lan, b.lan",
    }
    settings = load_settings(env)
    assert (settings.port, settings.max_upload_bytes, settings.author) == (9000, 1000, "ana")
    assert settings.url == "http://[::1]:9000/"
    assert settings.workspace_location == "postgresql://db/atd"
    assert settings.allowed_hosts == {"a.lan", "b.lan"}
    flagged = load_settings(env, port=9001, workspace=tmp_path, host=None)
    assert flagged.port == 9001 and flagged.host == "::1"
    # A folder on the command line beats the database URL from the environment.
    assert flagged.workspace_location == str(tmp_path)


def test_every_interface_accepts_any_host() -> None:
    settings = load_settings({}, host="0.0.0.0")
    assert settings.host_allowed("my-laptop.local")
    assert settings.url.startswith("http://127.0.0.1:")
    assert not load_settings({}).host_allowed("my-laptop.local")


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"ATD_PORT": "eighty"}, "ATD_PORT"),
        ({"ATD_PORT": "70000"}, "65535"),
        ({"ATD_MAX_UPLOAD_BYTES": "0"}, "upload"),
        ({"ATD_CACHE_MB": "lots"}, "ATD_CACHE_MB"),
        ({"ATD_CACHE_MB": "0"}, "more than 0 MB"),
        ({"ATD_CACHE_MB": "nan"}, "more than 0 MB"),
    ],
)
def test_bad_values(env: dict[str, str], says: str) -> None:
    with pytest.raises(SettingsError, match=says):
        load_settings(env)


def test_the_cache_budget_comes_from_the_environment_then_the_flag() -> None:
    assert load_settings({}).cache_mb == 56
    assert load_settings({"ATD_CACHE_MB": "12.5"}).cache_mb == 12.5
    assert load_settings({"ATD_CACHE_MB": "12.5"}, cache_mb=200.0).cache_mb == 200
