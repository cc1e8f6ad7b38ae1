"""The Performance page's API: live figures after requests, budgets, history, profile, export."""

from __future__ import annotations

import csv
import io
import logging
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from anki_template_designer.perf.monitor import PerformanceMonitor
from anki_template_designer.server import Settings, create_app
from anki_template_designer.store import Workspace

pytestmark = pytest.mark.anyio

LONG_READING = " ".join(["日本語[にほんご]を 勉強[べんきょう]する"] * 300)
VOCAB: dict[str, Any] = {
    "name": "Vocab",
    "fields": [{"name": "Word"}, {"name": "Reading"}],
    "card_types": [
        {
            "name": "Recognition",
            "front": "{{Word}}\n{{#Reading}}{{furigana:Reading}}{{/Reading}}",
            "back": "{{FrontSide}}<hr id=answer>{{text:Word}}",
        }
    ],
}


def monitor_of(app: FastAPI) -> PerformanceMonitor:
    monitor: PerformanceMonitor = app.state.perf
    return monitor


async def test_live_lists_operations_by_route_template_with_quantiles(
    client: httpx.AsyncClient, basic: dict[str, Any]
) -> None:
    for _ in range(3):
        assert (await client.get(f"/api/notetypes/{basic['id']}")).status_code == 200
    assert (await client.get("/api/notetypes/nope")).status_code == 404
    live = (await client.get("/api/perf/live")).json()
    operations = {op["operation"]: op for op in live["operations"]}
    get_one = operations["GET /api/notetypes/{notetype_id}"]
    assert get_one["count"] == 4 and get_one["errors"] == 0
    assert 0 < get_one["p50_ms"] <= get_one["p95_ms"] <= get_one["p99_ms"] <= get_one["max_ms"]
    assert get_one["budget_ms"] == 100
    assert sum(p["count"] for p in get_one["series"]) == 4
    assert operations["POST /api/notetypes"]["count"] == 1
    assert live["window_seconds"] == 300 and live["alerts"] == []


async def test_preview_renders_feed_the_slowest_note_types(client: httpx.AsyncClient) -> None:
    body = {"notetype": VOCAB, "sample": {"fields": {"Word": "w", "Reading": LONG_READING}}}
    for _ in range(2):
        assert (await client.post("/api/preview", json=body)).status_code == 200
    live = (await client.get("/api/perf/live")).json()
    assert [(n["notetype"], n["count"]) for n in live["notetypes"]] == [("Vocab", 2)]
    budgets = {op["operation"]: op["budget_ms"] for op in live["operations"]}
    assert budgets["POST /api/preview"] == 25


async def test_budgets_are_stored_in_the_workspace(
    app: FastAPI, client: httpx.AsyncClient, workspace: Workspace, settings: Settings
) -> None:
    doc = (await client.get("/api/perf/budgets")).json()
    assert doc["defaults"] is True
    assert {b["operation"]: b["p95_ms"] for b in doc["budgets"]} == {
        "*": 100,
        "POST /api/preview*": 25,
    }
    chosen = {"budgets": [{"operation": "*", "p95_ms": 80}, {"operation": "GET /x", "p95_ms": 5}]}
    response = await client.put("/api/perf/budgets", json=chosen)
    assert response.status_code == 200, response.text
    assert response.json()["defaults"] is False
    # A new app over the same workspace reads them back.
    again = monitor_of(create_app(workspace, settings))
    assert again.budgets.budgets == {"*": 80, "GET /x": 5}
    wrong = {"budgets": [{"operation": "a*b", "p95_ms": 1}]}
    bad = await client.put("/api/perf/budgets", json=wrong)
    assert bad.status_code == 400 and "may only end" in bad.json()["detail"]
    reset = await client.put("/api/perf/budgets", json={"budgets": []})
    assert reset.json()["defaults"] is True


async def test_a_crossing_shows_as_an_alert_and_one_log_line(
    app: FastAPI, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    chosen = {"budgets": [{"operation": "GET /api/perf/alerts", "p95_ms": 0.000001}]}
    assert (await client.put("/api/perf/budgets", json=chosen)).status_code == 200
    with caplog.at_level(logging.WARNING, logger="anki_template_designer.perf.budgets"):
        for _ in range(25):
            await client.get("/api/perf/alerts")
        for _ in range(3):
            monitor_of(app).evaluate()
        alerts = (await client.get("/api/perf/alerts")).json()["alerts"]
        live = (await client.get("/api/perf/live")).json()
    assert [a["operation"] for a in alerts] == ["GET /api/perf/alerts"]
    assert "over its" in alerts[0]["message"]
    assert [a["operation"] for a in live["alerts"]] == ["GET /api/perf/alerts"]
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 1


async def test_minute_samples_make_the_history(app: FastAPI, client: httpx.AsyncClient) -> None:
    for _ in range(5):
        await client.get("/api/notetypes")
    future = monitor_of(app).record_minute()
    assert future is not None and future.result() >= 1
    doc = (await client.get("/api/perf/history", params={"days": 1, "step": "hour"})).json()
    assert doc["step_seconds"] == 3600
    points = {p["operation"]: p for p in doc["points"]}
    assert points["GET /api/notetypes"]["count"] == 5
    minutes = (await client.get("/api/perf/history", params={"step": "minute"})).json()
    assert any(p["operation"] == "GET /api/notetypes" for p in minutes["points"])


async def test_export_as_csv_and_json(app: FastAPI, client: httpx.AsyncClient) -> None:
    for _ in range(3):
        await client.get("/api/notetypes")
    future = monitor_of(app).record_minute()
    assert future is not None
    future.result()
    response = await client.get("/api/perf/export", params={"format": "csv"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    sections = {(r["section"], r["operation"]) for r in rows}
    assert ("live", "GET /api/notetypes") in sections
    assert ("history", "GET /api/notetypes") in sections
    live_row = next(r for r in rows if r["section"] == "live")
    assert float(live_row["p95_ms"]) > 0 and live_row["budget_ms"] == "100.0"
    document = (await client.get("/api/perf/export", params={"format": "json"})).json()
    assert {op["operation"] for op in document["live"]["operations"]} >= {"GET /api/notetypes"}
    assert document["history"]["points"][0]["operation"] == "GET /api/notetypes"


async def test_csv_export_defuses_formulas_in_names(client: httpx.AsyncClient) -> None:
    notetype = {**VOCAB, "name": "=HYPERLINK(1)"}
    await client.post("/api/preview", json={"notetype": notetype, "sample": {}})
    text = (await client.get("/api/perf/export", params={"format": "csv"})).text
    assert "'=HYPERLINK(1)" in text


async def test_profile_names_the_bottleneck_of_a_draft(client: httpx.AsyncClient) -> None:
    body = {
        "notetype": VOCAB,
        "samples": [{"fields": {"Word": "w", "Reading": LONG_READING}}],
        "repeat": 5,
    }
    response = await client.post("/api/perf/profile", json=body)
    assert response.status_code == 200, response.text
    (template,) = response.json()["templates"]
    assert template["renders"] == 5
    spot = template["bottleneck"]
    assert (spot["kind"], spot["side"], spot["tag"], spot["line"]) == (
        "filter",
        "front",
        "{{furigana:Reading}}",
        2,
    )
    assert 0 < spot["share"] <= 1


async def test_profile_a_stored_note_type_and_scan_the_workspace(
    client: httpx.AsyncClient,
) -> None:
    created = await client.post("/api/notetypes", json={"name": "Plain"})
    assert created.status_code == 201
    doc = created.json()
    notetype = {**VOCAB, "name": "Plain"}
    samples = [{"fields": {"Word": "w", "Reading": LONG_READING}}]
    saved = await client.put(
        f"/api/notetypes/{doc['id']}",
        json={"expected_revision": doc["revision"], "notetype": notetype, "samples": samples},
    )
    assert saved.status_code == 200, saved.text
    profile = (await client.post(f"/api/perf/profile/notetypes/{doc['id']}?repeat=5")).json()
    assert profile["templates"][0]["bottleneck"]["tag"] == "{{furigana:Reading}}"
    scan = (await client.get("/api/perf/templates", params={"top": 5})).json()
    assert scan["scanned"] == 1
    assert scan["templates"][0]["notetype"] == "Plain"
    missing = await client.post("/api/perf/profile/notetypes/nope")
    assert missing.status_code == 404
