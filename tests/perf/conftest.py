"""Fixtures for the perf tests: a real SQLite workspace, the app over it, an in-process client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from anki_template_designer.server import Settings, create_app
from anki_template_designer.store import Workspace

BASE_URL = "http://127.0.0.1:8730"


@pytest.fixture
def anyio_backend() -> str:
    """Run the async tests on asyncio only."""
    return "asyncio"


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    """A new, migrated SQLite workspace in a temporary folder."""
    with Workspace.open(tmp_path / "workspace") as opened:
        yield opened


@pytest.fixture
def app(workspace: Workspace) -> FastAPI:
    """The application over the test workspace."""
    return create_app(workspace, Settings(port=8730, author="tester"))


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """An in-process client whose requests come from the designer's own origin."""
    transport = httpx.ASGITransport(app=app)
    origin = {"Origin": BASE_URL}
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL, headers=origin) as http:
        yield http
