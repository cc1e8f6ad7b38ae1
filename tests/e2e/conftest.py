"""End-to-end fixtures: the real ``atd serve`` in a subprocess and Debian's chromium.

Each xdist worker starts its own server (session scope) over its own temporary workspace;
tests keep out of each other's way by giving their note types unique names. Every test gets
a fresh browser context (so a fresh localStorage) and fails on any console error or uncaught
page error, unless the test declares that error expected.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Generator, Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Error,
    Page,
    expect,
    sync_playwright,
)

from .helpers import ARTIFACTS, STATIC_INDEX, BrowserErrors, Server

# Playwright must never fetch its own browser build; the tests drive Debian's chromium.
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

# Not a performance limit: how long a locator waits before reporting a missing element, long
# enough for 2 busy cores (Playwright's 5 s default is not).
UI_WAIT_MS = 30_000
# The server prints its URL right after it starts listening; this only bounds a hung start.
START_WAIT_S = 120.0


def _atd_command() -> list[str]:
    """The installed ``atd`` next to this Python, as a user runs it."""
    script = Path(sys.executable).with_name("atd")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "anki_template_designer.cli.main"]


def _wait_for_url(process: subprocess.Popen[bytes], out: Path, log: Path) -> str:
    """The URL ``atd serve`` prints, or a failure quoting its output if it never comes."""
    deadline = time.monotonic() + START_WAIT_S
    while time.monotonic() < deadline:
        match = re.search(r"Serving the designer at (\S+)", out.read_text(errors="replace"))
        if match:
            return match.group(1)
        if process.poll() is not None:
            break
        time.sleep(0.05)
    pytest.fail(
        f"atd serve did not print its URL (exit code {process.poll()}):\n"
        f"{out.read_text(errors='replace')}\n{log.read_text(errors='replace')}"
    )


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``atd serve --port 0 --no-browser`` over a new workspace, stopped after the session."""
    if not STATIC_INDEX.exists():
        pytest.fail(
            f"the designer's UI is not built ({STATIC_INDEX} is missing): "
            "run scripts/build-frontend"
        )
    root = tmp_path_factory.mktemp("e2e-server")
    out, log = root / "stdout.txt", root / "stderr.txt"
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env.pop("ATD_DATABASE_URL", None)  # the workspace folder, not a shared database
    command = [*_atd_command(), "serve", "--workspace", str(root / "ws"), "--port", "0"]
    with out.open("wb") as stdout, log.open("wb") as stderr:
        process = subprocess.Popen(
            [*command, "--no-browser"], stdout=stdout, stderr=stderr, env=env
        )
    try:
        url = _wait_for_url(process, out, log)
        with httpx.Client(base_url=url, headers={"Origin": url.rstrip("/")}, timeout=60) as api:
            info = api.get("/api/info")
            assert info.status_code == 200, info.text
            yield Server(url=url, workspace=root / "ws", log=log, api=api)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _chromium() -> str | None:
    """Debian's chromium, or None (a failure under CI, where scripts/test installs it)."""
    found = shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )
    if found is None and os.environ.get("CI"):
        pytest.fail(
            "chromium is not installed (scripts/test installs it: apt-get install chromium)"
        )
    return found


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Debian chromium driven by Playwright (never a downloaded browser build)."""
    executable = _chromium()
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
    with server.log.open(errors="replace") as log:
        log.seek(log_start)
        server_errors = [line for line in log.read().splitlines() if "Traceback" in line]
    assert not problems, "errors in the designer's page:\n" + "\n".join(problems)
    assert not server_errors, f"the server logged a traceback: see {server.log}"


@pytest.fixture
def page(context: BrowserContext) -> Page:
    """A page in the test's context (not yet navigated)."""
    return context.new_page()
