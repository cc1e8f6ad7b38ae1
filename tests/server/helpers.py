"""Assertions the server tests share."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
from fastapi import FastAPI

from anki_template_designer.perf.work import WorkManager

# Draft note types the preview tests render (as the API takes them).
REVERSED: dict[str, Any] = {
    "name": "Reversed",
    "fields": [{"name": "Front"}, {"name": "Back"}],
    "card_types": [
        {"name": "Forward", "front": "{{Front}}", "back": "{{FrontSide}}<hr id=answer>{{Back}}"},
        {"name": "Reverse", "front": "{{Back}}", "back": "{{FrontSide}}<hr id=answer>{{Front}}"},
    ],
    "css": ".card { color: red; }",
}
CLOZE: dict[str, Any] = {
    "name": "Cloze",
    "kind": "cloze",
    "fields": [{"name": "Text"}],
    "card_types": [{"name": "Cloze", "front": "{{cloze:Text}}", "back": "{{cloze:Text}}"}],
}


def ok_json(response: httpx.Response) -> dict[str, Any]:
    """The JSON body of ``response``, after checking it is a 200."""
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    """The problem+json body of ``response``, after checking its status and shape."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["type"].startswith("urn:atd:problem:")
    assert body["title"] and body["detail"]
    return body


async def until(condition: Callable[[], bool], what: str) -> None:
    """Wait (on the event loop, in short sleeps, up to about 10 s) until ``condition()``."""
    for _ in range(20_000):
        if condition():
            return
        await asyncio.sleep(0.0005)
    raise AssertionError(f"never happened: {what}")


def work_of(app: FastAPI) -> WorkManager:
    """The app's work manager."""
    work: WorkManager = app.state.work
    return work
