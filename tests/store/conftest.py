"""Fixtures for the workspace store: a real PostgreSQL server, fresh databases, sample bundles.

PostgreSQL comes from ``ATD_TEST_POSTGRES_URL`` when set, else this session
starts one with ``scripts/postgres`` (installing Debian's package when run as
root) and stops it at the end. Under CI (``CI`` set) a server that cannot be
started fails the run instead of skipping the PostgreSQL tests.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from anki_template_designer.store import Workspace

POSTGRES_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "postgres"
BACKENDS = ["sqlite", "postgresql"]


def _start_postgres() -> tuple[str, str]:
    directory = tempfile.mkdtemp(prefix="atd-postgres-")
    result = subprocess.run(
        ["bash", str(POSTGRES_SCRIPT), "start", directory],
        capture_output=True,
        text=True,
        timeout=900,  # a first run installs the package
        check=False,
    )
    if result.returncode != 0:
        subprocess.run(["bash", str(POSTGRES_SCRIPT), "stop", directory], check=False)
        message = f"could not start PostgreSQL with {POSTGRES_SCRIPT}:\n{result.stderr[-3000:]}"
        if os.environ.get("CI"):
            pytest.fail(
                f"{message}\nCI needs PostgreSQL: fix the above or set ATD_TEST_POSTGRES_URL"
            )
        pytest.skip(message)
    return result.stdout.strip().splitlines()[-1], directory


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """URL of a PostgreSQL server whose databases the tests may create and drop."""
    given = os.environ.get("ATD_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    url, directory = _start_postgres()
    try:
        yield url
    finally:
        subprocess.run(
            ["bash", str(POSTGRES_SCRIPT), "stop", directory], capture_output=True, check=False
        )


def _admin_dsn(url: str) -> str:
    parsed = make_url(url).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


@pytest.fixture
def postgres_url(postgres_server_url: str) -> Iterator[str]:
    """URL of a new, empty PostgreSQL database, dropped after the test."""
    name = f"atd_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_admin_dsn(postgres_server_url), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(postgres_server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(_admin_dsn(postgres_server_url), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """URL of a new SQLite database file."""
    return f"sqlite:///{tmp_path / 'workspace.sqlite3'}"


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest) -> str:
    """A fresh empty database on each backend in turn."""
    fixture = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    url: str = request.getfixturevalue(fixture)
    return url


@pytest.fixture
def workspace(database_url: str) -> Iterator[Workspace]:
    """An opened (migrated) workspace on each backend in turn."""
    with Workspace.open(database_url) as opened:
        yield opened
