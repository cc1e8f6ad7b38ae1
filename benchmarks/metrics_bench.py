"""What measuring costs: the metrics middleware and the ETag hash, per request, in process.

Calls the ASGI application directly (no sockets, no HTTP client), so that the figures are
the server's own work: the same app with and without ``MetricsMiddleware`` answers
``GET /api/info``, ``GET /api/notetypes/{id}`` and ``POST /api/preview`` many times, and
the difference per request is printed, with the cost of hashing a note type document for
its ETag. Prints figures; never asserts.

    .venv/bin/python benchmarks/metrics_bench.py [--requests 3000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any, cast

from fastapi import FastAPI

from anki_template_designer.perf import MetricsMiddleware, strong_etag
from anki_template_designer.server import Settings, create_app
from anki_template_designer.store import Workspace

Message = MutableMapping[str, Any]
HOST = "127.0.0.1:8730"
PREVIEW = {
    "notetype": {
        "name": "Basic",
        "fields": [{"name": "Front"}, {"name": "Back"}],
        "card_types": [{"name": "Card 1", "front": "{{Front}}", "back": "{{Back}}"}],
    },
    "sample": {"fields": {"Front": "What is the capital of France?", "Back": "Paris"}},
}


async def call(app: FastAPI, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
    """One request straight through the ASGI interface: its status and body."""
    headers = [(b"host", HOST.encode()), (b"origin", f"http://{HOST}".encode())]
    if body:
        headers.append((b"content-type", b"application/json"))
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8730),
    }
    sent = False
    status = 0
    chunks: list[bytes] = []

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, b"".join(chunks)


def without_metrics(app: FastAPI) -> FastAPI:
    """The same app with the metrics middleware taken out (before its stack is built)."""
    app.user_middleware = [
        m for m in app.user_middleware if cast(object, m.cls) is not MetricsMiddleware
    ]
    return app


async def per_request_us(app: FastAPI, request: tuple[str, str, bytes], count: int) -> float:
    """The best over five rounds of the mean time per request, in microseconds.

    The best, not the median: on a shared machine the other rounds measure the neighbours.
    """
    for _ in range(50):
        await call(app, *request)
    rounds = []
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(count):
            await call(app, *request)
        rounds.append((time.perf_counter() - started) / count * 1e6)
    return min(rounds)


async def main(count: int) -> None:
    """Print the per-request cost with and without the middleware, route by route."""
    with tempfile.TemporaryDirectory() as folder, Workspace.open(Path(folder) / "ws") as ws:
        settings = Settings(port=8730, author="bench")
        apps = {
            "with": create_app(ws, settings),
            "without": without_metrics(create_app(ws, settings)),
        }
        status, created = await call(apps["with"], "POST", "/api/notetypes", b'{"name":"Basic"}')
        assert status == 201, created
        notetype_id = json.loads(created)["id"]
        preview = json.dumps(PREVIEW).encode()
        routes: dict[str, tuple[str, str, bytes]] = {
            "GET /api/info": ("GET", "/api/info", b""),
            "GET /api/notetypes/{id}": ("GET", f"/api/notetypes/{notetype_id}", b""),
            "POST /api/preview": ("POST", "/api/preview", preview),
        }
        print(f"metrics_bench: {count} requests x 5 rounds per figure, in process (no sockets)")
        print(f"{'route':26} {'without us':>11} {'with us':>9} {'overhead us':>12}")
        for name, request in routes.items():
            figures: dict[str, float] = {}
            # Alternated, best of three each, so that a burst of load elsewhere favours neither.
            for label in ("without", "with") * 3:
                us = await per_request_us(apps[label], request, count)
                figures[label] = min(figures.get(label, us), us)
            extra = figures["with"] - figures["without"]
            print(f"{name:26} {figures['without']:11.1f} {figures['with']:9.1f} {extra:12.1f}")
        _, document = await call(apps["with"], "GET", f"/api/notetypes/{notetype_id}")
        started = time.perf_counter()
        for _ in range(count):
            strong_etag(document)
        hashing = (time.perf_counter() - started) / count * 1e6
        print(f"ETag of a {len(document)}-byte note type document: {hashing:.1f} us")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000, help="requests per round")
    asyncio.run(main(parser.parse_args().requests))
