"""Previews, lint and exports under the work manager: coalescing, supersession, degradation.

The app gets one worker; a test occupies it with a gated job of its own, so what queues, what
is refused and what is shed is decided by the test, never by timing.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from anki_template_designer.perf.work import Job, Priority, WorkConfig
from anki_template_designer.server import Settings

from .helpers import problem, until, work_of

pytestmark = pytest.mark.anyio

UI, LINT, BG = Priority.INTERACTIVE, Priority.LINT, Priority.BACKGROUND
BASIC: dict[str, Any] = {
    "name": "Basic",
    "fields": [{"name": "Front"}, {"name": "Back"}],
    "card_types": [
        {"name": "Card 1", "front": "{{Front}}", "back": "{{FrontSide}}<hr id=answer>{{Back}}"}
    ],
}
PLATFORMS = ["desktop-linux", "ankidroid"]


def pages_body(front: str = "cat", **extra: Any) -> dict[str, Any]:
    body = {
        "notetype": BASIC,
        "sample": {"fields": {"Front": front, "Back": "Katze"}},
        "platforms": PLATFORMS,
    }
    return {**body, **extra}


@pytest.fixture
def settings() -> Settings:
    """One worker, a short interactive queue: overload is two requests away."""
    depths = {UI: 2, LINT: 4, BG: 4}
    return Settings(port=8730, author="tester", work=WorkConfig(workers=1, depths=depths))


def sample(app: FastAPI, name: str, **labels: str) -> float:
    return app.state.metrics.registry.get_sample_value(name, labels) or 0.0


def queued(app: FastAPI, priority: Priority = UI) -> int:
    return work_of(app).snapshot().queued[priority.label]


async def test_a_preview_answers_fresh_pages_not_stale(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/preview/pages", json=pages_body())
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["stale"] is False and answer["notice"] is None
    assert [p["platform"] for p in answer["pages"]] == PLATFORMS


async def test_identical_concurrent_previews_render_once(
    app: FastAPI, client: httpx.AsyncClient, busy: threading.Event
) -> None:
    requests = [
        asyncio.create_task(client.post("/api/preview/pages", json=pages_body())) for _ in range(4)
    ]
    coalesced = {"priority": "interactive"}
    await until(lambda: sample(app, "atd_work_coalesced_total", **coalesced) == 3, "3 joined")
    assert queued(app) == 1  # one job for the four requests
    busy.set()
    responses = await asyncio.gather(*requests)
    assert {r.status_code for r in responses} == {200}
    assert len({r.text for r in responses}) == 1
    assert sample(app, "atd_preview_render_seconds_count", notetype="Basic") == 1


async def test_a_newer_keystroke_on_the_stream_supersedes_the_queued_one(
    app: FastAPI, client: httpx.AsyncClient, busy: threading.Event
) -> None:
    stream = {"X-ATD-Stream": "editor-1"}
    older = asyncio.create_task(
        client.post("/api/preview/pages", json=pages_body("ca"), headers=stream)
    )
    await until(lambda: queued(app) == 1, "the older keystroke waits")
    newer = asyncio.create_task(
        client.post("/api/preview/pages", json=pages_body("cat"), headers=stream)
    )
    superseded = problem(await older, 409)
    assert superseded["type"] == "urn:atd:problem:superseded"
    assert queued(app) == 1  # the older job left the queue
    busy.set()
    response = await newer
    assert response.status_code == 200
    assert "cat" in response.json()["pages"][0]["question"]
    assert sample(app, "atd_preview_render_seconds_count", notetype="Basic") == 1


async def test_other_streams_are_not_superseded(
    app: FastAPI, client: httpx.AsyncClient, busy: threading.Event
) -> None:
    first = asyncio.create_task(
        client.post("/api/preview/pages", json=pages_body("a"), headers={"X-ATD-Stream": "tab-a"})
    )
    await until(lambda: queued(app) == 1, "first waits")
    second = asyncio.create_task(
        client.post("/api/preview/pages", json=pages_body("b"), headers={"X-ATD-Stream": "tab-b"})
    )
    await until(lambda: queued(app) == 2, "second waits")
    busy.set()
    assert (await first).status_code == 200
    assert (await second).status_code == 200


def render_body(front: str = "cat") -> dict[str, Any]:
    """A /api/preview body (every card of the sample)."""
    return {"notetype": BASIC, "sample": {"fields": {"Front": front, "Back": "Katze"}}}


def page_body(front: str = "cat") -> dict[str, Any]:
    """A /api/preview/page body (the question of card 1 on AnkiDroid)."""
    return {**render_body(front), "card_ord": 0, "side": "question", "platform": "ankidroid"}


def grid_body(front: str = "cat") -> dict[str, Any]:
    """A /api/preview/grid body (every card of the sample, one job for all of them)."""
    return {**render_body(front), "platforms": PLATFORMS}


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/preview", render_body),
        ("/api/preview/page", page_body),
        ("/api/preview/grid", grid_body),
    ],
)
async def test_other_previews_are_coalesced_superseded_and_refused_like_pages(
    app: FastAPI,
    client: httpx.AsyncClient,
    busy: threading.Event,
    path: str,
    body: Callable[[str], dict[str, Any]],
) -> None:
    stream = {"X-ATD-Stream": "editor-1"}
    older = asyncio.create_task(client.post(path, json=body("ca"), headers=stream))
    await until(lambda: queued(app) == 1, "the older keystroke waits")
    newer = [asyncio.create_task(client.post(path, json=body("cat"))) for _ in range(2)]
    await until(lambda: queued(app) == 2, "the newer one waits once, for both")
    assert sample(app, "atd_work_coalesced_total", priority="interactive") == 1
    superseding = asyncio.create_task(client.post(path, json=body("cats"), headers=stream))
    assert problem(await older, 409)["type"] == "urn:atd:problem:superseded"
    await until(lambda: queued(app) == 2, "the superseding one took the older one's place")
    full = await client.post(path, json=body("dog"))  # the interactive queue holds 2
    assert problem(full, 503)["type"] == "urn:atd:problem:overloaded"
    assert full.headers["retry-after"] == "1"
    busy.set()
    answers = [await task for task in newer] + [await superseding]
    assert {r.status_code for r in answers} == {200}
    assert "cats" in answers[-1].text and "cats" not in answers[0].text
    assert sample(app, "atd_preview_render_seconds_count", notetype="Basic") == 2


async def test_overload_answers_the_last_good_preview_marked_stale(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    good = await client.post("/api/preview/pages", json=pages_body("cat"))
    assert good.status_code == 200
    opened, started = threading.Event(), threading.Event()

    def hold(job: Job) -> bool:
        started.set()
        return opened.wait(10)

    holder = asyncio.create_task(work_of(app).run(UI, hold))
    await until(started.is_set, "worker held")
    # Two other cards' previews fill the queue (depth 2) ...
    fillers = [
        asyncio.create_task(client.post("/api/preview/pages", json=pages_body(f"x{i}")))
        for i in range(2)
    ]
    await until(lambda: queued(app) == 2, "queue full")
    # ... so the next keystroke is refused, and answered with the last good pages.
    response = await client.post("/api/preview/pages", json=pages_body("cats"))
    assert response.status_code == 200
    answer = response.json()
    assert answer["stale"] is True
    assert "busy" in answer["notice"]
    assert answer["pages"] == good.json()["pages"]
    labels = {"priority": "interactive", "reason": "queue-full"}
    assert sample(app, "atd_work_refused_total", **labels) == 1
    opened.set()
    await holder
    assert {r.status_code for r in await asyncio.gather(*fillers)} == {200}


async def test_overload_without_a_good_preview_is_a_503_with_retry_after(
    app: FastAPI, client: httpx.AsyncClient, busy: threading.Event
) -> None:
    fillers = [
        asyncio.create_task(client.post("/api/preview/pages", json=pages_body(f"x{i}")))
        for i in range(2)
    ]
    await until(lambda: queued(app) == 2, "queue full")
    response = await client.post("/api/preview/pages", json=pages_body("new", night_mode=True))
    body = problem(response, 503)
    assert body["type"] == "urn:atd:problem:overloaded"
    assert response.headers["retry-after"] == "1"
    assert "no earlier preview" in body["detail"]
    busy.set()
    await asyncio.gather(*fillers)


async def test_a_render_over_its_budget_answers_the_last_good_preview(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    good = await client.post("/api/preview/compare", json=pages_body(typed_answer="Kat"))
    assert good.status_code == 200 and good.json()["stale"] is False
    work_of(app).config = WorkConfig(workers=1, budgets={UI: 0.0})  # every render overruns
    response = await client.post("/api/preview/compare", json=pages_body(typed_answer="Katz"))
    assert response.status_code == 200
    answer = response.json()
    assert answer["stale"] is True
    assert "0 s preview budget" in answer["notice"]
    assert answer["pages"] == good.json()["pages"]
    labels = {"priority": "interactive", "reason": "over-budget"}
    assert sample(app, "atd_work_stopped_total", **labels) == 1


async def test_a_render_over_its_budget_without_a_good_preview_is_a_503(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    work_of(app).config = WorkConfig(workers=1, budgets={UI: 0.0})
    response = await client.post("/api/preview/pages", json=pages_body())
    body = problem(response, 503)
    assert body["type"] == "urn:atd:problem:over-budget"
    assert "ATD_PREVIEW_BUDGET_MS" in body["detail"]
    assert response.headers["retry-after"] == "1"


async def test_lint_and_exports_wait_while_previews_wait(
    app: FastAPI, client: httpx.AsyncClient, basic: dict[str, Any], busy: threading.Event
) -> None:
    """A busy-but-healthy server queues lint and exports behind previews; it refuses none."""
    preview = asyncio.create_task(client.post("/api/preview/pages", json=pages_body()))
    await until(lambda: queued(app) == 1, "a preview waits")
    lint = asyncio.create_task(client.post("/api/lint", json={"notetype": BASIC}))
    export = asyncio.create_task(client.get(f"/api/notetypes/{basic['id']}/export"))
    await until(lambda: queued(app, LINT) == 1 and queued(app, BG) == 1, "both queued")
    busy.set()
    assert (await preview).status_code == 200
    assert (await lint).status_code == 200
    assert (await export).status_code == 200
    assert sample(app, "atd_work_refused_total", priority="lint", reason="shed") == 0


async def test_lint_waiting_past_its_limit_is_a_503_busy_with_retry_after(
    app: FastAPI, client: httpx.AsyncClient, busy: threading.Event
) -> None:
    work = work_of(app)
    work.config = replace(work.config, waits={LINT: 0.01})
    lint = await client.post("/api/lint", json={"notetype": BASIC})
    shed = problem(lint, 503)
    assert shed["type"] == "urn:atd:problem:busy"
    assert lint.headers["retry-after"] == "1"
    assert shed["retry_after"] == 1  # the lint panel asks again then, keeping its findings
    assert sample(app, "atd_work_refused_total", priority="lint", reason="shed") == 1


async def test_exports_past_a_full_queue_are_a_503_overloaded(
    app: FastAPI, client: httpx.AsyncClient, basic: dict[str, Any], busy: threading.Event
) -> None:
    work = work_of(app)
    work.config = replace(work.config, depths={UI: 2, LINT: 4, BG: 1})
    first = asyncio.create_task(client.get(f"/api/notetypes/{basic['id']}/export"))
    await until(lambda: queued(app, BG) == 1, "one export waits")
    # Another format: the same package would join the waiting export instead of queueing.
    everything = await client.get("/api/export?format=folder")
    assert problem(everything, 503)["type"] == "urn:atd:problem:overloaded"
    assert everything.headers["retry-after"] == "1"
    busy.set()
    assert (await first).status_code == 200


async def test_queue_metrics_are_on_the_metrics_page(client: httpx.AsyncClient) -> None:
    assert (await client.post("/api/preview/pages", json=pages_body())).status_code == 200
    text = (await client.get("/metrics")).text
    assert 'atd_work_queue_depth{priority="interactive"} 0.0' in text
    assert 'atd_work_wait_seconds_count{priority="interactive"} 1.0' in text


def test_budgets_and_workers_come_from_the_environment() -> None:
    from anki_template_designer.server.settings import SettingsError, load_settings

    settings = load_settings(
        {"ATD_WORK_THREADS": "2", "ATD_PREVIEW_BUDGET_MS": "500", "ATD_LINT_BUDGET_MS": "0"}
    )
    assert settings.work.workers == 2
    assert settings.work.budget(UI) == 0.5
    assert settings.work.budget(LINT) is None
    assert load_settings({}).work.budget(UI) == 2.0
    with pytest.raises(SettingsError, match="ATD_WORK_THREADS"):
        load_settings({"ATD_WORK_THREADS": "0"})


async def test_packages_are_written_in_the_server_when_the_export_process_is_off(
    app: FastAPI, client: httpx.AsyncClient, basic: dict[str, Any]
) -> None:
    from anki_template_designer.server.settings import load_settings

    assert load_settings({"ATD_EXPORT_PROCESS": "off"}).export_process is False
    assert load_settings({}).export_process is True
    app.state.exporter = None  # what ATD_EXPORT_PROCESS=off gives the app
    response = await client.get(f"/api/notetypes/{basic['id']}/export?format=apkg")
    assert response.status_code == 200
    assert response.content[:2] == b"PK"


async def test_the_served_app_tunes_the_collector_and_starts_its_export_process(
    app: FastAPI,
) -> None:
    import gc

    from anki_template_designer.perf.gc_tuning import SERVING_THRESHOLDS

    before = gc.get_threshold()
    async with app.router.lifespan_context(app):
        assert gc.get_threshold() == SERVING_THRESHOLDS
        await until(lambda: app.state.exporter.pid is not None, "the export process runs")
    assert gc.get_threshold() == before
    assert app.state.exporter.pid is None
