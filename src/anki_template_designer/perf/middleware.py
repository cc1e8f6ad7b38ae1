"""Request metrics as a pure ASGI middleware (no BaseHTTPMiddleware: it buffers streams).

Latency is labelled by the matched route's template (``/api/notetypes/{notetype_id}``),
never the raw path, so ids and media names do not each start a new time series.
"""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .metrics import ServerMetrics, current_metrics

KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED_ROUTE = "(unmatched)"


def route_template(scope: Scope) -> str:
    """The path template of the route the router matched, or ``(unmatched)``."""
    # The router stores the matched route in the scope it was handed, which is ours.
    route = scope.get("route")
    template = getattr(route, "path_format", None)
    return template if isinstance(template, str) else UNMATCHED_ROUTE


class MetricsMiddleware:
    """Count requests in flight and time each one until its response is complete."""

    def __init__(self, app: ASGIApp, metrics: ServerMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, measuring it if it is HTTP."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        metrics = self.metrics
        status = 0

        async def send_and_note_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        token = current_metrics.set(metrics)
        metrics.requests_in_progress.inc()
        started = time.perf_counter()
        try:
            await self.app(scope, receive, send_and_note_status)
        finally:
            elapsed = time.perf_counter() - started
            metrics.requests_in_progress.dec()
            current_metrics.reset(token)
            # An exception before the response started becomes a 500 further out.
            status_class = f"{status // 100}xx" if status else "5xx"
            method = scope["method"] if scope["method"] in KNOWN_METHODS else "OTHER"
            metrics.observe_request(method, route_template(scope), status_class, elapsed)
