"""The caches seen from outside: /api/perf/caches, /metrics, the lint disk cache, the off switch."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.engine import make_url

from anki_template_designer.perf.disk_cache import DiskCache
from anki_template_designer.server import Settings, create_app, load_settings
from anki_template_designer.server.caching import DISK_CACHE_FILE, disk_cache_path
from anki_template_designer.store import Workspace

from .conftest import BASE_URL, ORIGIN

pytestmark = pytest.mark.anyio

SRC = Path(__file__).resolve().parents[2] / "src"

DRAFT: dict[str, Any] = {
    "notetype": {
        "name": "Lint me",
        "fields": [{"name": "Front"}, {"name": "Back"}],
        "card_types": [{"name": "Card 1", "front": "{{Front}}", "back": "{{Nope}}"}],
        "css": ".card { color: red; }",
    }
}
CACHE_NAMES = {"parsed_templates", "preview_cards", "preview_pages", "disk", "exports"}


async def test_the_caches_endpoint_lists_every_cache(client: httpx.AsyncClient) -> None:
    body = {"notetype": DRAFT["notetype"], "sample": {"fields": {"Front": "a"}}}
    for _ in range(2):
        assert (await client.post("/api/preview/pages", json=body)).status_code == 200
    response = await client.get("/api/perf/caches")
    assert response.status_code == 200
    listing = response.json()
    assert listing["enabled"] is True
    by_name = {cache["name"]: cache for cache in listing["caches"]}
    assert set(by_name) == CACHE_NAMES
    cards = by_name["preview_cards"]
    assert set(cards) >= {
        "entries",
        "bytes",
        "max_entries",
        "max_bytes",
        "hits",
        "misses",
        "hit_ratio",
        "evictions",
        "health",
        "health_message",
        "window_lookups",
    }
    assert (cards["entries"], cards["hits"], cards["misses"], cards["hit_ratio"]) == (1, 1, 1, 0.5)
    assert cards["bytes"] > 0 and cards["health"] == "idle"
    assert "too few" in cards["health_message"]


async def test_metrics_expose_cache_figures(client: httpx.AsyncClient) -> None:
    body = {"notetype": DRAFT["notetype"]}
    await client.post("/api/preview/pages", json=body)
    await client.post("/api/preview/pages", json=body)
    text = (await client.get("/metrics")).text
    assert re.search(r'^atd_cache_hits_total\{cache="preview_cards"\} 1\.0$', text, re.M)
    assert re.search(r'^atd_cache_misses_total\{cache="preview_pages"\} 2\.0$', text, re.M)
    for family in ("evictions_total", "entries", "bytes", "max_bytes", "hit_ratio"):
        assert f'atd_cache_{family}{{cache="parsed_templates"}}' in text


async def test_lint_results_come_from_the_disk_cache_across_restarts(
    app: FastAPI, client: httpx.AsyncClient, workspace: Workspace, settings: Settings
) -> None:
    first = await client.post("/api/lint", json=DRAFT)
    assert first.status_code == 200, first.text
    assert any(d["rule"] for d in first.json()["diagnostics"])
    again = await client.post("/api/lint", json=DRAFT)
    assert again.json() == first.json()
    disk: DiskCache = app.state.disk_cache
    assert (disk.stats().hits, disk.stats().misses) == (1, 1)
    assert disk.path == Path(workspace.engine.url.database or "").parent / DISK_CACHE_FILE

    restarted = create_app(workspace, settings)
    transport = httpx.ASGITransport(app=restarted)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL, headers=ORIGIN) as http:
        third = await http.post("/api/lint", json=DRAFT)
    assert third.json() == first.json()
    assert restarted.state.disk_cache.stats().hits == 1

    changed = dict(DRAFT["notetype"], css=".card { color: blue; }")
    fourth = await client.post("/api/lint", json={"notetype": changed})
    assert fourth.status_code == 200
    assert disk.stats().misses == 2


async def test_a_corrupt_disk_cache_never_fails_a_lint(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    disk: DiskCache = app.state.disk_cache
    disk.close()
    disk.path.write_bytes(b"garbage " * 1000)
    for name in ("-wal", "-shm"):
        Path(f"{disk.path}{name}").unlink(missing_ok=True)
    response = await client.post("/api/lint", json=DRAFT)
    assert response.status_code == 200, response.text
    assert (await client.post("/api/lint", json=DRAFT)).status_code == 200
    assert disk.stats().hits == 1


async def test_lint_with_caches_off_writes_nothing(tmp_path: Path) -> None:
    settings = Settings(port=8730, author="tester", cache_enabled=False)
    with Workspace.open(tmp_path / "off") as workspace:
        app = create_app(workspace, settings)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url=BASE_URL, headers=ORIGIN
        ) as http:
            for _ in range(2):
                assert (await http.post("/api/lint", json=DRAFT)).status_code == 200
        assert not disk_cache_path(workspace.engine.url).exists()
        assert app.state.disk_cache.stats().misses == 2


def test_postgres_workspaces_cache_in_the_user_cache_folder(workspace: Workspace) -> None:
    beside = disk_cache_path(workspace.engine.url)
    assert beside.parent == Path(workspace.engine.url.database or "").parent
    remote = disk_cache_path(make_url("postgresql+psycopg://atd:secret@db/atd"))
    assert "anki-template-designer" in str(remote) and remote.name.startswith("cache-")
    assert remote != disk_cache_path(make_url("postgresql+psycopg://atd@db/other"))


@pytest.mark.parametrize(
    ("env", "flag", "enabled"),
    [({}, None, True), ({"ATD_CACHE": "off"}, None, False), ({"ATD_CACHE": "on"}, False, False)],
)
def test_the_cache_switch(env: dict[str, str], flag: bool | None, enabled: bool) -> None:
    assert load_settings(env, cache_enabled=flag).cache_enabled is enabled


def test_a_bad_cache_switch_is_refused() -> None:
    from anki_template_designer.server import SettingsError

    with pytest.raises(SettingsError, match="ATD_CACHE"):
        load_settings({"ATD_CACHE": "maybe"})


@pytest.mark.e2e
@pytest.mark.parametrize(("flags", "enabled"), [(["--no-cache"], False), ([], True)])
def test_atd_serve_no_cache(tmp_path: Path, flags: list[str], enabled: bool) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    environ = dict(os.environ, PYTHONPATH=f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    environ.pop("ATD_DATABASE_URL", None)
    environ.pop("ATD_CACHE", None)
    command = [sys.executable, "-m", "anki_template_designer.cli.main", "serve", "--no-browser"]
    args = ["--port", str(port), "--workspace", str(tmp_path / "ws"), *flags]
    server = subprocess.Popen(
        [*command, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environ
    )
    try:
        assert server.stdout is not None
        lines = [server.stdout.readline() for _ in range(2)]
        assert "Serving the designer" in lines[1], lines
        listing = httpx.get(f"http://127.0.0.1:{port}/api/perf/caches", timeout=30).json()
        assert listing["enabled"] is enabled
        assert all(cache["enabled"] is enabled for cache in listing["caches"])
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
