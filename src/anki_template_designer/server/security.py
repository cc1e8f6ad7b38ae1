"""Request guards: this server's own host names, same-origin writes, bounded uploads.

A page on another site can make the browser send requests to a local server. Two
checks stop it: every request must name one of this server's hosts (defeats DNS
rebinding), and every state-changing request must come from a page of this
server, as its ``Origin`` (or, failing that, ``Referer``) shows.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .problems import Problem, problem_response
from .settings import Settings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _origin_of(url: str) -> str | None:
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


def refusal(scope: Scope, settings: Settings) -> tuple[str, str] | None:
    """Why a request must be refused (problem kind, detail), or None to let it through."""
    headers = Headers(scope=scope)
    host = headers.get("host", "")
    try:
        hostname = urlsplit(f"//{host}").hostname or ""
    except ValueError:  # a malformed Host header, e.g. an unclosed "["
        hostname = ""
    if not settings.host_allowed(hostname):
        return (
            "unknown-host",
            f"this server does not answer to host {host!r}; open {settings.url} instead "
            "(or add the name to ATD_ALLOWED_HOSTS)",
        )
    if scope["method"] in SAFE_METHODS:
        return None
    own = f"{scope.get('scheme', 'http')}://{host}".lower()
    origin = headers.get("origin")
    if origin == "null":
        # An opaque origin: a sandboxed frame (such as a card preview running the card's
        # scripts), a file:// page, or a privacy-sensitive redirect. Its Referer may still
        # name the designer, so it must not stand in: the page itself is not the designer.
        return (
            "cross-origin",
            f"a page with an opaque origin (a sandboxed frame or a local file) may not change "
            f"this workspace; only pages of {own} may",
        )
    source = origin or headers.get("referer")
    if not source:
        return (
            "cross-origin",
            f"{scope['method']} requests must send an Origin header naming {own}; "
            "use the designer page, or send 'Origin: " + own + "' from a script",
        )
    if _origin_of(source) != own:
        return (
            "cross-origin",
            f"a page at {_origin_of(source) or source!r} may not change this workspace; "
            f"only pages of {own} may",
        )
    return None


class SameOriginGuard:
    """ASGI middleware refusing foreign hosts, and writes from other origins, with 403."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            reason = refusal(scope, self.settings)
            if reason is not None:
                refused = problem_response(403, reason[0], "Request refused", reason[1])
                await refused(scope, receive, send)
                return
            limit = self.settings.max_upload_bytes
            declared = Headers(scope=scope).get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                big = too_large(limit)
                await problem_response(413, big.kind, big.title, big.detail, big.extra)(
                    scope, receive, send
                )
                return
            body = _BoundedBody(receive, send, limit)
            await self.app(scope, body.receive, body.send)
            return
        await self.app(scope, receive, send)


class _BoundedBody:
    """A request's ``receive`` and ``send`` that answer 413 once the body passes the limit.

    Reading on raises the 413 problem; should the framework turn that into a response of
    its own (FastAPI answers 400 to any failure while parsing a body), the 413 replaces it.
    """

    def __init__(self, receive: Receive, send: Send, limit: int) -> None:
        self._receive = receive
        self._send = send
        self._limit = limit
        self._received = 0
        self._replaced = False

    async def receive(self) -> Message:
        message = await self._receive()
        if message["type"] == "http.request":
            self._received += len(message.get("body", b""))
            if self._received > self._limit:
                raise too_large(self._limit)
        return message

    async def send(self, message: Message) -> None:
        if self._received <= self._limit:
            await self._send(message)
        elif not self._replaced:
            self._replaced = True
            big = too_large(self._limit)
            response = problem_response(413, big.kind, big.title, big.detail, big.extra)
            await self._send(
                {
                    "type": "http.response.start",
                    "status": 413,
                    "headers": response.raw_headers,
                }
            )
            await self._send({"type": "http.response.body", "body": response.body})


def too_large(limit: int) -> Problem:
    """The problem for a body over ``limit`` bytes."""
    return Problem(
        413,
        "too-large",
        "The upload is too large",
        f"uploads are limited to {limit:,} bytes (ATD_MAX_UPLOAD_BYTES / --max-upload); "
        "split the file or raise the limit",
        limit=limit,
    )


async def save_body(
    chunks: AsyncIterator[bytes], content_length: str | None, limit: int, target: Path
) -> int:
    """Write a request body to ``target``, refusing (413) more than ``limit`` bytes."""
    if content_length is not None and content_length.isdigit() and int(content_length) > limit:
        raise too_large(limit)
    size = 0
    with target.open("wb") as sink:
        async for chunk in chunks:
            size += len(chunk)
            if size > limit:
                raise too_large(limit)
            sink.write(chunk)
    return size
