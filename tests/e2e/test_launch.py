"""The e2e launcher's own failures say what to do (build the UI, install chromium, …)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from .launch import find_chromium, require_ui, start_server

pytestmark = pytest.mark.e2e


def test_missing_ui_says_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(pytest.fail.Exception, match="run scripts/build-frontend"):
        require_ui(tmp_path / "static" / "index.html")


def test_missing_chromium_fails_under_ci_naming_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH without chromium
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="apt-get install chromium"):
        find_chromium(fallback=tmp_path / "chromium")
    monkeypatch.delenv("CI")
    assert find_chromium(fallback=tmp_path / "chromium") is None  # the browser fixture skips


def test_server_that_cannot_start_fails_quoting_its_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(pytest.fail.Exception, match=f"cannot listen on 127.0.0.1:{port}"):
            start_server(tmp_path, port=port)
