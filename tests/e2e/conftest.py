"""End-to-end fixtures: the real ``atd serve`` in a subprocess and Debian's chromium.

Each xdist worker starts its own server (session scope) over its own temporary workspace;
tests keep out of each other's way by giving their note types unique names. Every test gets
a fresh browser context (so a fresh localStorage) and fails on any console error or uncaught
page error, unless the test declares that error expected.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Generator, Iterator

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Error,
    Page,
    expect,
    sync_playwright,
)

from .helpers import ARTIFACTS, STATIC_INDEX, UI_WAIT_MS, BrowserErrors, Server
from .launch import find_chromium, require_ui, running_server

# Playwright must never fetch its own browser build; the tests drive Debian's chromium.
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``atd serve --port 0 --no-browser`` over a new workspace, stopped after the session."""
    require_ui(STATIC_INDEX)
    with running_server(tmp_path_factory.mktemp("e2e-server")) as started:
        yield started


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Debian chromium driven by Playwright (never a downloaded browser build).

    Module-scoped, not session-scoped: Playwright's sync API keeps an asyncio loop running
    in this thread while it is started, and under xdist a worker runs async server tests
    between browser modules; they need the thread's loop free.
    """
    executable = find_chromium()
    if executable is None:
        pytest.skip("chromium is not installed: apt-get install chromium (or run scripts/test)")
    expect.set_options(timeout=UI_WAIT_MS)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def browser_errors() -> BrowserErrors:
    """The test's browser errors; a test may ``allow`` the ones it provokes."""
    return BrowserErrors()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item,
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report on the item, so fixtures know whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def context(
    browser: Browser, server: Server, browser_errors: BrowserErrors, request: pytest.FixtureRequest
) -> Iterator[BrowserContext]:
    """A fresh browser context on the server; fails the test on unexpected browser errors."""
    log_start = server.log.stat().st_size
    created = browser.new_context(
        base_url=server.url, accept_downloads=True, viewport={"width": 1440, "height": 900}
    )
    created.set_default_timeout(UI_WAIT_MS)
    created.on("page", browser_errors.watch)
    yield created
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for number, page in enumerate(created.pages):
            # A crashed page has nothing to show; the failure itself says why.
            with contextlib.suppress(Error):
                page.screenshot(path=ARTIFACTS / f"failed-{request.node.name}-{number}.png")
    created.close()
    problems = browser_errors.unexpected()
    with server.log.open("rb") as log:
        log.seek(log_start)
        server_log = log.read().decode(errors="replace")
    assert not problems, "errors in the designer's page:\n" + "\n".join(problems)
    assert "Traceback" not in server_log, f"the server failed ({server.log}):\n{server_log}"


@pytest.fixture
def page(context: BrowserContext) -> Page:
    """A page in the test's context (not yet navigated)."""
    return context.new_page()
