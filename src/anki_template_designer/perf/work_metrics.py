"""The work manager's Prometheus metrics: queue depth and wait, running, refused, stopped."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from .metrics import LATENCY_BUCKETS
from .work_job import Priority


class WorkMetrics:
    """Queue depth and wait time per priority, and counts of what the manager refused or stopped.

    Registered on a server's own registry (``ServerMetrics.registry``), or a fresh one.
    """

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        self.queue_depth = Gauge(
            "atd_work_queue_depth",
            "Jobs waiting for a worker, by priority.",
            ("priority",),
            registry=self.registry,
        )
        self.running = Gauge(
            "atd_work_running",
            "Jobs running on the work manager's workers, by priority.",
            ("priority",),
            registry=self.registry,
        )
        self.wait = Histogram(
            "atd_work_wait_seconds",
            "Time a job waited for a worker before it started, by priority.",
            ("priority",),
            buckets=(0.0001, 0.0005, *LATENCY_BUCKETS),
            registry=self.registry,
        )
        self.refused = Counter(
            "atd_work_refused_total",
            "Jobs refused at admission (queue-full) or after waiting past their limit (shed).",
            ("priority", "reason"),
            registry=self.registry,
        )
        self.stopped = Counter(
            "atd_work_stopped_total",
            "Jobs stopped before finishing (superseded, over-budget, cancelled), by priority.",
            ("priority", "reason"),
            registry=self.registry,
        )
        self.coalesced = Counter(
            "atd_work_coalesced_total",
            "Requests answered by an identical job already under way, by priority.",
            ("priority",),
            registry=self.registry,
        )
        # Children looked up once: labels() validates its arguments on every call.
        self._depth = {p: self.queue_depth.labels(p.label) for p in Priority}
        self._running = {p: self.running.labels(p.label) for p in Priority}
        self._wait = {p: self.wait.labels(p.label) for p in Priority}
        self._coalesced = {p: self.coalesced.labels(p.label) for p in Priority}

    def set_depth(self, priority: Priority, depth: int) -> None:
        """The queue of ``priority`` now holds ``depth`` jobs."""
        self._depth[priority].set(depth)

    def set_running(self, priority: Priority, count: int) -> None:
        """``count`` jobs of ``priority`` are running."""
        self._running[priority].set(count)

    def observe_wait(self, priority: Priority, seconds: float) -> None:
        """A job of ``priority`` waited ``seconds`` for a worker."""
        self._wait[priority].observe(seconds)

    def count_refused(self, priority: Priority, reason: str) -> None:
        """A job of ``priority`` was refused or shed."""
        self.refused.labels(priority.label, reason).inc()

    def count_stopped(self, priority: Priority, reason: str) -> None:
        """A job of ``priority`` was stopped before it finished."""
        self.stopped.labels(priority.label, reason).inc()

    def count_coalesced(self, priority: Priority) -> None:
        """A request of ``priority`` joined an identical job."""
        self._coalesced[priority].inc()
