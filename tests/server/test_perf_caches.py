"""Profiles in the disk cache (across restarts, invalidated by content), cache alerts in the
Performance API, and the work manager's queues at /api/perf/work."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from anki_template_designer.perf.cache import BoundedCache, CacheRegistry
from anki_template_designer.perf.disk_cache import DiskCache
from anki_template_designer.perf.work import Job, Priority, WorkConfig, WorkManager
from anki_template_designer.server import Settings, create_app
from anki_template_designer.store import Workspace

from .conftest import BASE_URL, ORIGIN

pytestmark = pytest.mark.anyio

VOCAB: dict[str, Any] = {
    "name": "Plain",
    "fields": [{"name": "Word"}, {"name": "Reading"}],
    "card_types": [
        {
            "name": "Recognition",
            "front": "{{Word}}\n{{furigana:Reading}}",
            "back": "{{FrontSide}}<hr id=answer>{{text:Word}}",
        }
    ],
}
SAMPLES = [{"fields": {"Word": "w", "Reading": "日本語[にほんご]"}}]


async def saved_notetype(client: httpx.AsyncClient, **changes: Any) -> dict[str, Any]:
    created = (await client.post("/api/notetypes", json={"name": "Plain"})).json()
    saved = await client.put(
        f"/api/notetypes/{created['id']}",
        json={
            "expected_revision": created["revision"],
            "notetype": {**VOCAB, **changes},
            "samples": SAMPLES,
        },
    )
    assert saved.status_code == 200, saved.text
    return {"id": created["id"], "revision": saved.json()["revision"]}


async def profile(http: httpx.AsyncClient, notetype_id: str, **params: Any) -> dict[str, Any]:
    response = await http.post(f"/api/perf/profile/notetypes/{notetype_id}", params=params)
    assert response.status_code == 200, response.text
    document: dict[str, Any] = response.json()
    return document


async def test_a_stored_profile_comes_from_the_disk_cache_across_restarts(
    app: FastAPI, client: httpx.AsyncClient, workspace: Workspace, settings: Settings
) -> None:
    stored = await saved_notetype(client)
    first = await profile(client, stored["id"], repeat=2)
    assert first["cached"] is False and first["measured_at"] > 0
    again = await profile(client, stored["id"], repeat=2)
    assert again["cached"] is True
    assert again["templates"] == first["templates"]  # the same measurement, not a new one
    assert again["measured_at"] == first["measured_at"]
    other_repeat = await profile(client, stored["id"], repeat=3)
    assert other_repeat["cached"] is False  # repeat is part of the key

    restarted = create_app(workspace, settings)
    transport = httpx.ASGITransport(app=restarted)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL, headers=ORIGIN) as http:
        third = await profile(http, stored["id"], repeat=2)
        fresh = await profile(http, stored["id"], repeat=2, fresh="true")
    assert third["cached"] is True and third["templates"] == first["templates"]
    assert fresh["cached"] is False and fresh["measured_at"] > first["measured_at"]
    disk: DiskCache = restarted.state.disk_cache
    assert disk.stats().hits == 1


async def test_saving_a_change_measures_the_note_type_again(
    client: httpx.AsyncClient,
) -> None:
    stored = await saved_notetype(client)
    before = await profile(client, stored["id"], repeat=1)
    assert before["templates"][0]["bottleneck"]["tag"] == "{{furigana:Reading}}"
    changed = {**VOCAB["card_types"][0], "front": "{{Word}}\n{{kana:Reading}}"}
    saved = await client.put(
        f"/api/notetypes/{stored['id']}",
        json={
            "expected_revision": stored["revision"],
            "notetype": {**VOCAB, "card_types": [changed]},
            "samples": SAMPLES,
        },
    )
    assert saved.status_code == 200, saved.text
    after = await profile(client, stored["id"], repeat=1)
    assert after["cached"] is False  # a stale profile is never served
    assert after["templates"][0]["bottleneck"]["tag"] == "{{kana:Reading}}"


async def test_the_scan_reuses_profiles_of_unchanged_note_types(
    client: httpx.AsyncClient,
) -> None:
    await saved_notetype(client)
    first = (await client.get("/api/perf/templates")).json()
    assert (first["scanned"], first["cached"]) == (1, 0)
    second = (await client.get("/api/perf/templates")).json()
    assert (second["scanned"], second["cached"]) == (1, 1)
    assert second["templates"] == first["templates"]
    assert len(second["templates"][0]["hotspots"]) <= 3
    fresh = (await client.get("/api/perf/templates", params={"fresh": "true"})).json()
    assert fresh["cached"] == 0


async def test_a_draft_profile_is_cached_by_its_content(client: httpx.AsyncClient) -> None:
    body = {"notetype": VOCAB, "samples": SAMPLES, "repeat": 2}
    first = (await client.post("/api/perf/profile", json=body)).json()
    second = (await client.post("/api/perf/profile", json=body)).json()
    assert (first["cached"], second["cached"]) == (False, True)
    body["notetype"] = {**VOCAB, "css": ".card { color: red }"}
    third = (await client.post("/api/perf/profile", json=body)).json()
    assert third["cached"] is False


async def test_profiles_with_caches_off_are_measured_every_time(
    workspace: Workspace,
) -> None:
    app = create_app(workspace, Settings(port=8730, author="tester", cache_enabled=False))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL, headers=ORIGIN) as http:
        body = {"notetype": VOCAB, "samples": SAMPLES, "repeat": 1}
        answers = [(await http.post("/api/perf/profile", json=body)).json() for _ in range(2)]
    assert [a["cached"] for a in answers] == [False, False]


async def test_a_thrashing_cache_raises_an_alert_in_the_api(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    registry: CacheRegistry = app.state.caches
    small: BoundedCache[str, str] = registry.add(
        BoundedCache("small_test_cache", max_entries=10, max_bytes=10_000, window=200)
    )
    assert (await client.get("/api/perf/alerts")).json()["cache_alerts"] == []
    for i in range(300):
        small.get_or_compute(f"k{i % 20}", lambda: "v")
    live = (await client.get("/api/perf/live")).json()  # judges the caches on the way
    (alert,) = live["cache_alerts"]
    assert (alert["cache"], alert["status"]) == ("small_test_cache", "thrashing")
    assert "raise its entries bound" in alert["message"]
    assert (await client.get("/api/perf/alerts")).json()["cache_alerts"] == [alert]
    listed = (await client.get("/api/perf/caches")).json()["caches"]
    assert {c["name"]: c["health"] for c in listed}["small_test_cache"] == "thrashing"


@pytest.fixture
def settings() -> Settings:
    """One worker: a test can hold it and see what queues and what is shed."""
    depths = {Priority.INTERACTIVE: 2, Priority.LINT: 4, Priority.BACKGROUND: 4}
    return Settings(port=8730, author="tester", work=WorkConfig(workers=1, depths=depths))


async def test_the_work_endpoint_shows_queues_and_refusals(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    idle = (await client.get("/api/perf/work")).json()
    assert (idle["workers"], idle["flights"]) == (1, 0)
    by_priority = {p["priority"]: p for p in idle["priorities"]}
    assert list(by_priority) == ["interactive", "lint", "background"]
    assert by_priority["interactive"]["max_queued"] == 2
    assert by_priority["interactive"]["budget_ms"] == 2000.0
    assert by_priority["background"]["budget_ms"] is None

    work: WorkManager = app.state.work
    opened, started = threading.Event(), threading.Event()

    def hold(job: Job) -> None:
        started.set()
        assert opened.wait(10)

    held = asyncio.create_task(work.run(Priority.INTERACTIVE, hold))
    while not started.is_set():
        await asyncio.sleep(0.001)
    body = {"notetype": VOCAB, "sample": {"fields": {"Word": "w"}}}
    preview = asyncio.create_task(client.post("/api/preview/pages", json=body))
    while work.snapshot().queued["interactive"] != 1:
        await asyncio.sleep(0.001)
    shed = await client.post("/api/lint", json={"notetype": VOCAB})
    assert shed.status_code == 503
    busy = {p["priority"]: p for p in (await client.get("/api/perf/work")).json()["priorities"]}
    assert (busy["interactive"]["queued"], busy["interactive"]["running"]) == (1, 1)
    assert busy["lint"]["refused"] == {"shed": 1}
    opened.set()
    await held
    assert (await preview).status_code == 200
    after = (await client.get("/api/perf/work")).json()
    assert {p["priority"]: p["queued"] for p in after["priorities"]}["interactive"] == 0


def test_the_cache_budget_sizes_every_in_memory_cache(tmp_path: Path) -> None:
    from anki_template_designer.server import Settings, create_app
    from anki_template_designer.store import Workspace

    def bounds(megabytes: float) -> dict[str, tuple[int, int]]:
        with Workspace.open(tmp_path / f"w{megabytes}") as workspace:
            app = create_app(workspace, Settings(port=8730, author="t", cache_mb=megabytes))
            caches = {c.name: c.stats() for c in app.state.caches}
            last_good = app.state.last_good_previews.cache.stats()
        found = {name: (s.max_entries, s.max_bytes) for name, s in caches.items()}
        found["last_good"] = (last_good.max_entries, last_good.max_bytes)
        return found

    default, tenth = bounds(56), bounds(5.6)
    in_memory = {"parsed_templates", "preview_cards", "preview_pages", "exports", "last_good"}
    assert in_memory <= set(default)
    total = sum(default[name][1] for name in in_memory)
    assert total == 56 * 1024 * 1024  # the default budget, shared out
    for name in in_memory:
        entries, nbytes = default[name]
        assert tenth[name] == (round(entries / 10), round(nbytes / 10)), name
    assert tenth["disk"] == default["disk"]  # the disk cache has its own cap
