"""Fixtures for the server: a real SQLite workspace in a temporary folder, the app, a client."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from anki_template_designer.perf.work import Job, Priority
from anki_template_designer.server import Settings, create_app
from anki_template_designer.store import Workspace

from .helpers import until, work_of

BASE_URL = "http://127.0.0.1:8730"
ORIGIN = {"Origin": BASE_URL}


@pytest.fixture
def anyio_backend() -> str:
    """Run the async tests on asyncio only."""
    return "asyncio"


@pytest.fixture
def settings() -> Settings:
    """Server settings with a small upload limit, so the 413 path is cheap to reach."""
    return Settings(port=8730, max_upload_bytes=64 * 1024, author="tester")


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    """A new, migrated SQLite workspace in a temporary folder."""
    with Workspace.open(tmp_path / "workspace") as opened:
        yield opened


@pytest.fixture
def app(workspace: Workspace, settings: Settings) -> FastAPI:
    """The application over the test workspace."""
    return create_app(workspace, settings)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """An in-process client whose requests come from the designer's own origin."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL, headers=ORIGIN) as http:
        yield http


@pytest.fixture
async def basic(client: httpx.AsyncClient) -> dict[str, Any]:
    """A note type created through the API (Anki's stock Basic), as the API returns it."""
    response = await client.post("/api/notetypes", json={"name": "Basic"})
    assert response.status_code == 201, response.text
    document: dict[str, Any] = response.json()
    return document


@pytest.fixture
async def busy(app: FastAPI) -> AsyncIterator[threading.Event]:
    """The app's worker is held by a job of the test's until it sets the returned event.

    With a one-worker app (a module's ``settings``), what queues, what is refused and what
    is superseded is then decided by the test, never by timing.
    """
    opened, started = threading.Event(), threading.Event()

    def hold(job: Job) -> None:
        started.set()
        assert opened.wait(10)

    task = asyncio.create_task(work_of(app).run(Priority.INTERACTIVE, hold))
    await until(started.is_set, "the worker is held")
    yield opened
    opened.set()
    await task
