"""``GET /metrics``: request latency by route template, requests in flight, render time, memory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client.parser import text_string_to_metric_families
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from anki_template_designer.perf import MetricsMiddleware, ServerMetrics, timed_render
from anki_template_designer.server import Settings, create_app
from anki_template_designer.store import Workspace

from .conftest import BASE_URL

pytestmark = pytest.mark.anyio

REQUESTS = "atd_http_request_duration_seconds"
RENDERS = "atd_preview_render_seconds"
REVERSED: dict[str, Any] = {
    "name": "Reversed",
    "fields": [{"name": "Front"}, {"name": "Back"}],
    "card_types": [
        {"name": "Forward", "front": "{{Front}}", "back": "{{FrontSide}}<hr id=answer>{{Back}}"},
        {"name": "Reverse", "front": "{{Back}}", "back": "{{type:Front}}"},
    ],
}
SAMPLE = {"fields": {"Front": "cat", "Back": "Katze"}}


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a Prometheus text exposition, by name and sorted labels."""
    found: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def value(text: str, name: str, **labels: str) -> float | None:
    """The value of one sample in an exposition, or None if it is absent."""
    return samples(text).get((name, tuple(sorted(labels.items()))))


async def scrape(client: httpx.AsyncClient) -> str:
    """The text of ``GET /metrics``, checked for 200."""
    response = await client.get("/metrics")
    assert response.status_code == 200, response.text
    return response.text


async def created(client: httpx.AsyncClient, name: str = "Basic") -> str:
    """Create a note type through the API; its id."""
    response = await client.post("/api/notetypes", json={"name": name})
    assert response.status_code == 201, response.text
    notetype_id: str = response.json()["id"]
    return notetype_id


async def test_latency_is_labelled_by_route_template_method_and_status_class(
    client: httpx.AsyncClient,
) -> None:
    first = await created(client, "One")
    second = await created(client, "Two")
    for notetype_id in (first, second, first):
        assert (await client.get(f"/api/notetypes/{notetype_id}")).status_code == 200
    assert (await client.get("/api/notetypes/no-such-id")).status_code == 404
    text = await scrape(client)
    get_one = {"method": "GET", "route": "/api/notetypes/{notetype_id}"}
    assert value(text, f"{REQUESTS}_count", **get_one, status="2xx") == 3
    assert value(text, f"{REQUESTS}_count", **get_one, status="4xx") == 1
    create = {"method": "POST", "route": "/api/notetypes", "status": "2xx"}
    assert value(text, f"{REQUESTS}_count", **create) == 2
    assert value(text, f"{REQUESTS}_bucket", **get_one, status="2xx", le="+Inf") == 3
    # Ids never become label values: one series per route, whatever was asked for.
    assert first not in text and second not in text and "no-such-id" not in text


async def test_unmatched_paths_and_unknown_methods_share_one_series(
    client: httpx.AsyncClient,
) -> None:
    for path in ("/api/nothing-here", "/api/nothing-either/42"):
        assert (await client.get(path)).status_code == 404
    assert (await client.request("PROPFIND", "/api/notetypes")).status_code == 405
    text = await scrape(client)
    unmatched = {"method": "GET", "route": "(unmatched)", "status": "4xx"}
    assert value(text, f"{REQUESTS}_count", **unmatched) == 2
    other = {"method": "OTHER", "route": "/api/notetypes", "status": "4xx"}
    assert value(text, f"{REQUESTS}_count", **other) == 1
    assert "nothing-here" not in text


async def test_a_scrape_sees_itself_in_flight_and_nothing_after(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    text = await scrape(client)
    assert value(text, "atd_http_requests_in_progress") == 1
    metrics: ServerMetrics = app.state.metrics
    assert metrics.registry.get_sample_value("atd_http_requests_in_progress") == 0
    later = await scrape(client)
    scraped = {"method": "GET", "route": "/metrics", "status": "2xx"}
    assert value(later, f"{REQUESTS}_count", **scraped) == 1


async def test_process_memory_is_exported(client: httpx.AsyncClient) -> None:
    resident = value(await scrape(client), "process_resident_memory_bytes")
    assert resident is not None and resident > 0


async def test_every_preview_route_times_its_render_by_note_type(
    client: httpx.AsyncClient,
) -> None:
    body = {"notetype": REVERSED, "sample": SAMPLE}
    assert (await client.post("/api/preview", json=body)).status_code == 200
    assert (await client.post("/api/preview", json={**body, "card_ord": 1})).status_code == 200
    assert (await client.post("/api/preview/page", json=body)).status_code == 200
    assert (await client.post("/api/preview/pages", json=body)).status_code == 200
    compare = {**body, "card_ord": 1, "typed_answer": "kat"}
    response = await client.post("/api/preview/compare", json=compare)
    assert response.status_code == 200, response.text
    other = {"notetype": {**REVERSED, "name": "Other"}, "sample": SAMPLE}
    assert (await client.post("/api/preview", json=other)).status_code == 200
    text = await scrape(client)
    assert value(text, f"{RENDERS}_count", notetype="Reversed") == 5
    assert value(text, f"{RENDERS}_count", notetype="Other") == 1
    total = value(text, f"{RENDERS}_sum", notetype="Reversed")
    assert total is not None and total > 0


async def test_a_refused_preview_renders_nothing(client: httpx.AsyncClient) -> None:
    body = {"notetype": REVERSED, "sample": SAMPLE, "card_ord": 7}
    assert (await client.post("/api/preview", json=body)).status_code == 400
    assert value(await scrape(client), f"{RENDERS}_count", notetype="Reversed") is None


def test_note_type_labels_are_bounded() -> None:
    metrics = ServerMetrics(max_notetype_labels=2)
    for name in ("A", "B", "C", "D", "A"):
        metrics.observe_render(name, 0.001)
    count = "atd_preview_render_seconds_count"
    assert metrics.registry.get_sample_value(count, {"notetype": "A"}) == 2
    assert metrics.registry.get_sample_value(count, {"notetype": "C"}) is None
    assert metrics.registry.get_sample_value(count, {"notetype": "(other)"}) == 2


def test_a_render_outside_a_request_records_nothing() -> None:
    with timed_render("Basic"):
        pass  # no server is measuring: the block simply runs


async def test_metrics_format_follows_accept(client: httpx.AsyncClient) -> None:
    plain = await client.get("/metrics")
    assert plain.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    accept = {"Accept": "application/openmetrics-text; version=1.0.0"}
    open_metrics = await client.get("/metrics", headers=accept)
    assert open_metrics.headers["content-type"].startswith("application/openmetrics-text")
    assert open_metrics.text.endswith("# EOF\n")


async def test_metrics_are_read_only_and_not_in_the_api_schema(client: httpx.AsyncClient) -> None:
    assert (await client.post("/metrics")).status_code == 405
    assert (await client.delete("/metrics")).status_code == 405
    schema = (await client.get("/openapi.json")).json()
    assert "/metrics" not in schema["paths"]


async def test_each_app_keeps_its_own_registry(client: httpx.AsyncClient, tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "second") as workspace:
        second = create_app(workspace, Settings(port=8730, author="tester"))
        transport = httpx.ASGITransport(app=second)
        async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as other:
            for _ in range(3):
                assert (await other.get("/api/notetypes")).status_code == 200
            listing = {"method": "GET", "route": "/api/notetypes", "status": "2xx"}
            assert value(await scrape(other), f"{REQUESTS}_count", **listing) == 3
    assert (await client.get("/api/notetypes")).status_code == 200
    assert value(await scrape(client), f"{REQUESTS}_count", **listing) == 1


def _failing_app(metrics: ServerMetrics) -> MetricsMiddleware:
    async def fail(request: Request) -> Response:
        raise RuntimeError("a bug in a route")

    async def stream(request: Request) -> Response:
        async def chunks() -> Any:
            for part in (b"one ", b"two ", b"three"):
                yield part

        return StreamingResponse(chunks(), media_type="text/plain")

    async def ok(request: Request) -> Response:
        return PlainTextResponse("ok")

    routes = [Route("/fail", fail), Route("/stream", stream), Route("/items/{item_id}", ok)]
    return MetricsMiddleware(Starlette(routes=routes), metrics)


async def test_a_failing_route_counts_as_a_server_error() -> None:
    metrics = ServerMetrics()
    transport = httpx.ASGITransport(app=_failing_app(metrics), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        assert (await http.get("/fail")).status_code == 500
    labels = {"method": "GET", "route": "/fail", "status": "5xx"}
    assert metrics.registry.get_sample_value(f"{REQUESTS}_count", labels) == 1
    assert metrics.registry.get_sample_value("atd_http_requests_in_progress") == 0


async def test_an_exception_before_any_response_counts_as_a_server_error() -> None:
    async def broken(scope: Any, receive: Any, send: Any) -> None:
        raise RuntimeError("a bug before routing")

    metrics = ServerMetrics()
    transport = httpx.ASGITransport(app=MetricsMiddleware(broken, metrics))
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        with pytest.raises(RuntimeError, match="before routing"):
            await http.get("/anything")
    labels = {"method": "GET", "route": "(unmatched)", "status": "5xx"}
    assert metrics.registry.get_sample_value(f"{REQUESTS}_count", labels) == 1
    assert metrics.registry.get_sample_value("atd_http_requests_in_progress") == 0


async def test_streamed_responses_pass_through_whole() -> None:
    metrics = ServerMetrics()
    transport = httpx.ASGITransport(app=_failing_app(metrics))
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        assert (await http.get("/stream")).text == "one two three"
        assert (await http.get("/items/7")).text == "ok"
    labels = {"method": "GET", "route": "/stream", "status": "2xx"}
    assert metrics.registry.get_sample_value(f"{REQUESTS}_count", labels) == 1
    item = {"method": "GET", "route": "/items/{item_id}", "status": "2xx"}
    assert metrics.registry.get_sample_value(f"{REQUESTS}_count", item) == 1
