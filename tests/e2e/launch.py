"""Starting what the e2e tests drive: ``atd serve`` in a subprocess, and finding chromium.

Each failure names what to do about it (build the UI, install chromium, read the server's
output), since these are the first things a fresh checkout trips on.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from .helpers import Server

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
# The server prints its URL right after it starts listening; this only bounds a hung start.
START_WAIT_S = 120.0


def require_ui(index: Path) -> None:
    """Fail unless the designer's UI has been built into ``index``."""
    if not index.exists():
        pytest.fail(
            f"the designer's UI is not built ({index} is missing): run scripts/build-frontend"
        )


def find_chromium(fallback: Path = DEBIAN_CHROMIUM) -> str | None:
    """Debian's chromium, or None; under CI a failure (scripts/test installs it there)."""
    found = shutil.which("chromium") or (str(fallback) if fallback.exists() else None)
    if found is None and os.environ.get("CI"):
        pytest.fail(
            "chromium is not installed (scripts/test installs it: apt-get install chromium)"
        )
    return found


def atd_command() -> list[str]:
    """The installed ``atd`` next to this Python, as a user runs it."""
    script = Path(sys.executable).with_name("atd")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "anki_template_designer.cli.main"]


def start_server(
    root: Path, port: int = 0, env: Mapping[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], str]:
    """Run ``atd serve --no-browser`` over ``root/ws``; the process and the URL it printed.

    ``env`` adds environment variables (e.g. ``ATD_ANKICONNECT_URL``). Its output goes to
    ``root/stdout.txt`` and ``root/stderr.txt`` (the server's log). If it never prints a URL,
    the test fails quoting both, and the process is stopped.
    """
    out, log = root / "stdout.txt", root / "stderr.txt"
    environ = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    environ.pop("ATD_DATABASE_URL", None)  # the workspace folder, not a shared database
    command = [*atd_command(), "serve", "--workspace", str(root / "ws"), "--port", str(port)]
    with out.open("wb") as stdout, log.open("wb") as stderr:
        process = subprocess.Popen(
            [*command, "--no-browser"], stdout=stdout, stderr=stderr, env=environ
        )
    deadline = time.monotonic() + START_WAIT_S
    while time.monotonic() < deadline:
        match = re.search(r"Serving the designer at (\S+)", out.read_text(errors="replace"))
        if match:
            return process, match.group(1)
        if process.poll() is not None:
            break
        time.sleep(0.05)
    stop_server(process)
    pytest.fail(
        f"atd serve did not print its URL (exit code {process.returncode}):\n"
        f"{out.read_text(errors='replace')}{log.read_text(errors='replace')}"
    )


def stop_server(process: subprocess.Popen[bytes]) -> None:
    """Stop the server as Ctrl+C would, killing it if it hangs."""
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def running_server(root: Path, env: Mapping[str, str] | None = None) -> Iterator[Server]:
    """A started ``atd serve`` (see :func:`start_server`) answering ``/api/info``; then stopped."""
    process, url = start_server(root, env=env)
    try:
        with httpx.Client(base_url=url, headers={"Origin": url.rstrip("/")}, timeout=60) as api:
            info = api.get("/api/info")
            assert info.status_code == 200, info.text
            yield Server(url=url, workspace=root / "ws", log=root / "stderr.txt", api=api)
    finally:
        stop_server(process)
