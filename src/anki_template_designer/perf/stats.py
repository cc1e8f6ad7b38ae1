"""Rolling latency windows: exact p50/p95/p99, counts and errors per operation, bounded memory.

Each key (an operation such as ``GET /api/notetypes/{notetype_id}``, or a note type name)
keeps a ring buffer of its latest ``capacity`` latencies with their times, and counts in
time buckets. Quantiles are exact (nearest rank) over the latencies in the window that the
ring still holds: the newest ``capacity`` of them. Counts and errors are exact over the
whole window, however busy, because buckets only add. Memory per key is fixed: two arrays
of ``capacity`` doubles plus one small bucket per ``bucket_seconds`` of the window.
"""

from __future__ import annotations

import math
import threading
import time
from array import array
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

DEFAULT_WINDOW_SECONDS = 300.0
DEFAULT_CAPACITY = 4096
BUCKET_SECONDS = 10.0
QUANTILES = (0.5, 0.95, 0.99)


def quantile(ordered: Sequence[float], q: float) -> float:
    """The nearest-rank ``q`` quantile of ``ordered`` (sorted ascending); NaN if empty.

    Nearest rank is the smallest value with at least ``q`` of the values at or below it, so
    the answer is always one of the observed values (p95 of 1..100 is exactly 95).
    """
    if not ordered:
        return math.nan
    if not 0 < q <= 1:
        raise ValueError(f"quantile {q} is not in (0, 1]")
    rank = max(1, math.ceil(q * len(ordered) - 1e-9))
    return ordered[rank - 1]


@dataclass(frozen=True, slots=True)
class WindowSummary:
    """One key's figures over a window: counts, errors, and latency quantiles in seconds."""

    key: str
    count: int
    errors: int
    p50: float
    p95: float
    p99: float
    mean: float
    max: float
    samples: int
    """How many latencies the quantiles were taken over (at most the ring's capacity)."""

    @property
    def error_ratio(self) -> float:
        """Errors as a share of requests (0 when idle)."""
        return self.errors / self.count if self.count else 0.0


class LatencyWindow:
    """The recent latencies of one key: a ring of (time, seconds) and bucketed counts."""

    def __init__(
        self,
        capacity: int = DEFAULT_CAPACITY,
        window_seconds: float = DEFAULT_WINDOW_SECONDS,
        bucket_seconds: float = BUCKET_SECONDS,
    ) -> None:
        if capacity < 1 or window_seconds <= 0 or bucket_seconds <= 0:
            raise ValueError("capacity, window and bucket length must be positive")
        self._times = array("d", bytes(8 * capacity))
        self._seconds = array("d", bytes(8 * capacity))
        self._capacity = capacity
        self._next = 0
        self._filled = 0
        self._bucket_seconds = bucket_seconds
        self._buckets = math.ceil(window_seconds / bucket_seconds) + 1
        # Per bucket slot: [bucket index, count, errors]; a slot is reused when its index is old.
        self._counts: list[list[int]] = [[-1, 0, 0] for _ in range(self._buckets)]
        self._lock = threading.Lock()

    def record(self, at: float, seconds: float, error: bool = False) -> None:
        """Note one latency measured at time ``at`` (seconds on the window's clock)."""
        index = int(at // self._bucket_seconds)
        with self._lock:
            position = self._next
            self._times[position] = at
            self._seconds[position] = seconds
            self._next = (position + 1) % self._capacity
            if self._filled < self._capacity:
                self._filled += 1
            slot = self._counts[index % self._buckets]
            if slot[0] != index:
                slot[0], slot[1], slot[2] = index, 0, 0
            slot[1] += 1
            if error:
                slot[2] += 1

    def summary(self, key: str, now: float, seconds: float) -> WindowSummary:
        """The figures for the last ``seconds`` before ``now`` (counts to bucket precision)."""
        since = now - seconds
        first_bucket = int(since // self._bucket_seconds)
        last_bucket = int(now // self._bucket_seconds)
        with self._lock:
            times, latencies = self._oldest_first()
            count = errors = 0
            for index, slot_count, slot_errors in self._counts:
                if first_bucket <= index <= last_bucket:
                    count += slot_count
                    errors += slot_errors
        # Outside the lock, so recording threads never wait on the sort; the ring is read
        # oldest first, so the window is one slice (threads may record a hair out of order,
        # which moves an edge by a sample at most).
        values = sorted(latencies[bisect_right(times, since) : bisect_right(times, now)])
        # Buckets round the window's start down; the ring is exact, so never report fewer.
        count = max(count, len(values))
        return WindowSummary(
            key=key,
            count=count,
            errors=errors,
            p50=quantile(values, 0.5),
            p95=quantile(values, 0.95),
            p99=quantile(values, 0.99),
            mean=sum(values) / len(values) if values else math.nan,
            max=values[-1] if values else math.nan,
            samples=len(values),
        )

    def series(self, now: float, seconds: float, step: float) -> list[SeriesPoint]:
        """The quantiles per ``step`` seconds over the last ``seconds``, oldest step first."""
        with self._lock:
            times, values = self._oldest_first()
        # Threads may record a hair out of order; a chart does not need exact step edges.
        return _series(times, values, now, seconds, step)

    def _oldest_first(self) -> tuple[list[float], list[float]]:
        """The ring's (times, latencies), oldest first; call with the lock held."""
        filled = self._filled
        # A full ring's oldest entry is the one written next.
        oldest = self._next if filled == self._capacity else 0
        times = self._times[oldest:filled].tolist() + self._times[:oldest].tolist()
        values = self._seconds[oldest:filled].tolist() + self._seconds[:oldest].tolist()
        return times, values


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    """One step of a key's recent history: its end (seconds before now) and its figures."""

    ago: float
    count: int
    p50: float
    p95: float
    p99: float


def _series(
    times: Sequence[float], values: Sequence[float], now: float, seconds: float, step: float
) -> list[SeriesPoint]:
    """Quantiles per step; ``times`` ascending (the ring read oldest first), so steps bisect."""
    steps = max(1, math.ceil(seconds / step))
    since = now - steps * step
    points = []
    low = bisect_right(times, since)
    for index in range(steps):
        high = bisect_right(times, since + (index + 1) * step, lo=low)
        group = sorted(values[low:high])
        low = high
        points.append(
            SeriesPoint(
                ago=(steps - 1 - index) * step,
                count=len(group),
                p50=quantile(group, 0.5),
                p95=quantile(group, 0.95),
                p99=quantile(group, 0.99),
            )
        )
    return points


class RollingStats:
    """Latency windows by key, created on first use; past ``max_keys`` the least recent goes.

    Thread-safe: requests record on the event loop, renders on worker threads.
    """

    def __init__(
        self,
        *,
        window_seconds: float = DEFAULT_WINDOW_SECONDS,
        capacity: int = DEFAULT_CAPACITY,
        max_keys: int = 500,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.window_seconds = window_seconds
        self.capacity = capacity
        self.max_keys = max_keys
        self.clock = clock
        self._windows: OrderedDict[str, LatencyWindow] = OrderedDict()
        self._lock = threading.Lock()

    def record(self, key: str, seconds: float, error: bool = False) -> None:
        """Note one latency for ``key``, timed now."""
        window = self._windows.get(key)
        if window is None:
            window = self._window(key)
        window.record(self.clock(), seconds, error)

    def _window(self, key: str) -> LatencyWindow:
        with self._lock:
            window = self._windows.get(key)
            if window is None:
                window = LatencyWindow(self.capacity, self.window_seconds)
                self._windows[key] = window
                if len(self._windows) > self.max_keys:
                    self._windows.popitem(last=False)
            return window

    def keys(self) -> list[str]:
        """Every key with a window, oldest first."""
        with self._lock:
            return list(self._windows)

    def summaries(self, seconds: float | None = None) -> list[WindowSummary]:
        """Each key's figures over the last ``seconds`` (the whole window if None), busy first.

        Keys with nothing in that time are left out.
        """
        span = self.window_seconds if seconds is None else min(seconds, self.window_seconds)
        now = self.clock()
        with self._lock:
            windows = list(self._windows.items())
        found = [window.summary(key, now, span) for key, window in windows]
        return sorted((s for s in found if s.count), key=lambda s: (-s.count, s.key))

    def series(self, key: str, step: float = 15.0) -> list[SeriesPoint]:
        """``key``'s quantiles per ``step`` seconds over the whole window (empty if unknown)."""
        window = self._windows.get(key)
        if window is None:
            return []
        return window.series(self.clock(), self.window_seconds, step)

    def summary(self, key: str, seconds: float | None = None) -> WindowSummary | None:
        """One key's figures, or None if it has none."""
        window = self._windows.get(key)
        if window is None:
            return None
        span = self.window_seconds if seconds is None else min(seconds, self.window_seconds)
        found = window.summary(key, self.clock(), span)
        return found if found.count else None


def slowest(summaries: Iterable[WindowSummary], top: int) -> list[WindowSummary]:
    """The ``top`` summaries with the highest p95 (ties: more requests first)."""
    return sorted(summaries, key=lambda s: (-s.p95, -s.count, s.key))[:top]
