"""Assertions the server tests share."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx


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
