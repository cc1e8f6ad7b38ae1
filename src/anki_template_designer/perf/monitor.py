"""The server's performance monitor: live windows, budgets, and minute samples for history.

``install_monitor`` hooks it to the app's ServerMetrics (every answered request and every
preview render), and runs a background task while the app is served: every few seconds it
judges the budgets (so an alert and its log line come even when nobody looks), every minute
it queues the last minute's figures on the workspace's writer thread, every hour it prunes
samples past the retention. Nothing it does waits on the database inside a request.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Future
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from ..store.perf_history import KEEP_DAYS, PerfHistory, PerfSample
from .budgets import MIN_COUNT, Alert, BudgetMonitor
from .cache_alerts import CacheAlert, CacheHealthMonitor
from .metrics import ServerMetrics
from .stats import DEFAULT_WINDOW_SECONDS, RollingStats, WindowSummary, slowest

EVALUATE_SECONDS = 5.0
SAMPLE_SECONDS = 60.0
PRUNE_SECONDS = 3600.0
# Note types per minute kept in history: the slowest, so a 500-note-type workspace stays small.
HISTORY_NOTETYPES = 10

_log = logging.getLogger(__name__)


def operation_name(method: str, route: str) -> str:
    """How the monitor names an operation: ``GET /api/notetypes/{notetype_id}``."""
    return f"{method} {route}"


def milliseconds(seconds: float) -> float | None:
    """Seconds as milliseconds, rounded to a microsecond; None for NaN (JSON has no NaN)."""
    return None if math.isnan(seconds) else round(seconds * 1000.0, 3)


class PerformanceMonitor:
    """Request and render windows, the budget monitor, and the history writer."""

    def __init__(
        self,
        history: PerfHistory | None = None,
        *,
        window_seconds: float = DEFAULT_WINDOW_SECONDS,
        min_count: int = MIN_COUNT,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        keep_days: int = KEEP_DAYS,
    ) -> None:
        self.requests = RollingStats(window_seconds=window_seconds, max_keys=1000, clock=clock)
        self.renders = RollingStats(
            window_seconds=window_seconds, capacity=1024, max_keys=500, clock=clock
        )
        self.budgets = BudgetMonitor(min_count=min_count, wall_clock=wall_clock)
        # The server's caches, once installed: a thrashing one alerts like a crossed budget.
        self.caches: CacheHealthMonitor | None = None
        self.history = history
        self.wall_clock = wall_clock
        self.keep_days = keep_days
        self._clock = clock
        self._sampled_until = clock()

    # Hooks, on the hot path: a dictionary lookup, a lock and two array writes each.

    def on_request(self, method: str, route: str, status: str, seconds: float) -> None:
        """Record one answered request; a 5xx (or a failure before any answer) is an error."""
        self.requests.record(operation_name(method, route), seconds, status == "5xx")

    def on_render(self, notetype: str, seconds: float) -> None:
        """Record one preview render of ``notetype``."""
        self.renders.record(notetype, seconds)

    def attach(self, metrics: ServerMetrics) -> None:
        """Receive every request and render ``metrics`` observes."""
        metrics.request_listeners.append(self.on_request)
        metrics.render_listeners.append(self.on_render)

    # Budgets

    def load_budgets(self) -> None:
        """Use the budgets stored in the workspace (the defaults if none are)."""
        if self.history is not None:
            self.budgets.set_budgets(self.history.budgets())

    def save_budgets(self, budgets: dict[str, float] | None) -> Future[None] | None:
        """Use ``budgets`` now (None: defaults) and queue storing them; checks them first."""
        self.budgets.set_budgets(budgets)
        if self.history is None:
            return None
        return self.history.submit_budgets(budgets or {})

    def evaluate(self) -> list[Alert]:
        """Judge the live window against the budgets, and the caches' health; the budget
        alerts raised."""
        self.evaluate_caches()
        return self.budgets.evaluate(self.requests.summaries())

    def evaluate_caches(self) -> list[CacheAlert]:
        """Judge the caches' health (nothing without caches); the cache alerts raised."""
        return self.caches.evaluate() if self.caches is not None else []

    def cache_alerts(self) -> list[CacheAlert]:
        """The cache alerts raised at the last evaluation."""
        return self.caches.alerts() if self.caches is not None else []

    # History

    def minute_samples(self, seconds: float = SAMPLE_SECONDS) -> list[PerfSample]:
        """The last ``seconds`` as history rows: each busy operation, the slowest note types."""
        at = int(self.wall_clock())

        def row(kind: str, summary: WindowSummary) -> PerfSample:
            return PerfSample(
                at,
                kind,
                summary.key,
                summary.count,
                summary.errors,
                _finite_ms(summary.p50),
                _finite_ms(summary.p95),
                _finite_ms(summary.p99),
            )

        requests = [row("request", s) for s in self.requests.summaries(seconds) if s.samples]
        renders = self.renders.summaries(seconds)
        slow = [row("render", s) for s in slowest(renders, HISTORY_NOTETYPES) if s.samples]
        return requests + slow

    def record_minute(self) -> Future[int] | None:
        """Queue the figures since the last sample for writing (nothing if idle or no workspace).

        Normally a minute; the last call at shutdown covers only what came since, so no
        request is counted in two samples.
        """
        now = self._clock()
        seconds, self._sampled_until = now - self._sampled_until, now
        if seconds <= 0:
            return None
        samples = self.minute_samples(seconds)
        if self.history is None or not samples:
            return None
        return self.history.submit_samples(samples)

    def prune(self) -> Future[int] | None:
        """Queue deleting samples older than the retention."""
        if self.history is None:
            return None
        return self.history.submit_prune(int(self.wall_clock()) - self.keep_days * 86_400)

    async def run(
        self,
        evaluate_every: float = EVALUATE_SECONDS,
        sample_every: float = SAMPLE_SECONDS,
        prune_every: float = PRUNE_SECONDS,
    ) -> None:
        """Judge budgets, sample and prune on schedule until cancelled."""
        loop = asyncio.get_running_loop()
        next_sample = loop.time() + sample_every
        next_prune = loop.time()
        while True:
            await asyncio.sleep(evaluate_every)
            try:
                # Sorting a few thousand latencies per operation: off the event loop.
                await asyncio.to_thread(self.evaluate)
                now = loop.time()
                if now >= next_sample:
                    next_sample = now + sample_every
                    _report_failure(self.record_minute(), "writing performance samples")
                if now >= next_prune:
                    next_prune = now + prune_every
                    _report_failure(self.prune(), "pruning performance samples")
            except Exception:  # the monitor must never take the server down
                _log.exception("the performance monitor failed; it will try again")


def _finite_ms(seconds: float) -> float:
    return 0.0 if math.isnan(seconds) else seconds * 1000.0


def _report_failure(future: Future[Any] | None, what: str) -> None:
    def done(finished: Future[Any]) -> None:
        error = finished.exception()
        if error is not None:
            _log.warning("%s failed: %s", what, error)

    if future is not None:
        future.add_done_callback(done)


def install_monitor(app: FastAPI, metrics: ServerMetrics, history: PerfHistory | None) -> None:
    """Attach a monitor to ``metrics``, keep it on ``app.state.perf``, run it while served."""
    monitor = PerformanceMonitor(history)
    monitor.attach(metrics)
    app.state.perf = monitor
    try:
        monitor.load_budgets()
    except Exception:  # an unreadable budget table must not stop the server starting
        _log.exception("could not read the performance budgets; using the defaults")
    outer = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(served: Any) -> AsyncIterator[Any]:
        async with outer(served) as state:
            task = asyncio.create_task(monitor.run(), name="atd-performance-monitor")
            try:
                yield state
            finally:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
                # The last partial minute, so a short session still leaves a trace.
                _report_failure(monitor.record_minute(), "writing performance samples")

    app.router.lifespan_context = lifespan
