"""The server's Prometheus metrics: one registry per application, never the global one.

A registry per app keeps several apps in one process (the tests make many) from
registering the same metric names twice, and lets ``/metrics`` show only this server.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from prometheus_client import CollectorRegistry, Gauge, Histogram, ProcessCollector

# Interactive requests take milliseconds; the upper buckets catch imports and exports.
LATENCY_BUCKETS = (
    0.001,
    0.0025,
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1.0,
    2.5,
    5.0,
    10.0,
)
# A render is a fraction of a millisecond to a few milliseconds.
RENDER_BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5)

# Note type names come from drafts a user types: past this many distinct names a series
# per name would grow without bound, so later names share one label value.
MAX_NOTETYPE_LABELS = 500
OTHER_NOTETYPES = "(other)"


class ServerMetrics:
    """The metrics one server keeps, in its own registry, with cheap recording methods."""

    def __init__(self, max_notetype_labels: int = MAX_NOTETYPE_LABELS) -> None:
        self.registry = CollectorRegistry()
        self.request_duration = Histogram(
            "atd_http_request_duration_seconds",
            "Time from receiving a request to the end of its response, by route template.",
            ("method", "route", "status"),
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.requests_in_progress = Gauge(
            "atd_http_requests_in_progress",
            "Requests received and not yet answered in full.",
            registry=self.registry,
        )
        self.render_duration = Histogram(
            "atd_preview_render_seconds",
            "Time rendering a preview (cards or reviewer pages), by note type name.",
            ("notetype",),
            buckets=RENDER_BUCKETS,
            registry=self.registry,
        )
        # Memory (resident and virtual), CPU seconds, open files: process_* metrics.
        ProcessCollector(registry=self.registry)
        self._max_notetype_labels = max_notetype_labels
        self._notetypes: set[str] = set()
        self._notetypes_lock = threading.Lock()
        # labels() validates its arguments on every call; the hot path looks children up here.
        self._request_children: dict[tuple[str, str, str], Histogram] = {}
        self._render_children: dict[str, Histogram] = {}
        # Others told of each observation (the performance monitor's rolling windows).
        self.request_listeners: list[Callable[[str, str, str, float], None]] = []
        self.render_listeners: list[Callable[[str, float], None]] = []

    def observe_request(self, method: str, route: str, status: str, seconds: float) -> None:
        """Record one answered request under its route template and status class."""
        key = (method, route, status)
        child = self._request_children.get(key)
        if child is None:
            child = self.request_duration.labels(method, route, status)
            self._request_children[key] = child
        child.observe(seconds)
        for listener in self.request_listeners:
            listener(method, route, status, seconds)

    def observe_render(self, notetype: str, seconds: float) -> None:
        """Record one preview render of the note type named ``notetype``."""
        child = self._render_children.get(notetype)
        if child is None:
            label = self._notetype_label(notetype)
            child = self.render_duration.labels(label)
            if label == notetype:  # names past the bound are not kept, so this stays bounded
                self._render_children[notetype] = child
        child.observe(seconds)
        for listener in self.render_listeners:
            listener(notetype, seconds)

    def _notetype_label(self, notetype: str) -> str:
        if notetype in self._notetypes:
            return notetype
        with self._notetypes_lock:
            if len(self._notetypes) >= self._max_notetype_labels:
                return OTHER_NOTETYPES
            self._notetypes.add(notetype)
            return notetype


# The metrics of the app serving the current request, set by MetricsMiddleware, so that code
# deep in a route (even on a worker thread: anyio copies the context) can record into them.
current_metrics: ContextVar[ServerMetrics | None] = ContextVar("current_metrics", default=None)


@contextmanager
def timed_render(notetype: str) -> Iterator[None]:
    """Time the block as one preview render of ``notetype``; nothing outside a served request."""
    metrics = current_metrics.get()
    if metrics is None:
        yield
        return
    started = time.perf_counter()
    try:
        yield
    finally:
        metrics.observe_render(notetype, time.perf_counter() - started)
