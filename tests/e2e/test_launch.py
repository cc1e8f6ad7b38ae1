"""The e2e harness itself: its failures say what to do, and it sees every browser error."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from .helpers import BrowserErrors
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


def test_browser_errors_are_collected_from_the_page_and_its_frames(browser: Browser) -> None:
    errors = BrowserErrors()
    page = browser.new_page()
    try:
        errors.watch(page)
        frame = "<script>console.error('from the card')</script>"
        page.set_content(
            "<script>console.error('from the page');"
            "setTimeout(() => { throw new Error('never caught') })</script>"
            f'<iframe sandbox="allow-scripts" srcdoc="{frame}"></iframe>'
        )
        # Playwright delivers events while the test waits in Playwright, not in time.sleep.
        for _ in range(600):
            if len(errors.seen) == 3:
                break
            page.wait_for_timeout(50)
        assert len(errors.seen) == 3, errors.seen
    finally:
        page.close()
    errors.allow("from the (page|card)")
    assert errors.unexpected() == ["uncaught: never caught"]
