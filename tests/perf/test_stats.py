"""Rolling latency windows: exact nearest-rank quantiles, counts, errors, expiry, bounds."""

from __future__ import annotations

import math

import pytest

from anki_template_designer.perf.stats import LatencyWindow, RollingStats, quantile, slowest


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def test_quantile_is_the_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert quantile(values, 0.5) == 50
    assert quantile(values, 0.95) == 95
    assert quantile(values, 0.99) == 99
    assert quantile(values, 1.0) == 100
    assert quantile([7.0], 0.99) == 7
    assert quantile([1.0, 2.0, 3.0], 0.5) == 2
    assert math.isnan(quantile([], 0.5))
    with pytest.raises(ValueError):
        quantile(values, 0)


def test_window_gives_exact_quantiles_counts_and_errors() -> None:
    clock = Clock()
    stats = RollingStats(window_seconds=60, clock=clock)
    # 1..100 ms in shuffled order; every tenth one failed.
    for index, ms in enumerate(sorted(range(1, 101), key=lambda v: (v * 37) % 101)):
        stats.record("GET /x", ms / 1000, error=index % 10 == 0)
        clock.now += 0.1
    summary = stats.summary("GET /x")
    assert summary is not None
    assert (summary.count, summary.errors, summary.samples) == (100, 10, 100)
    assert (summary.p50, summary.p95, summary.p99) == (0.05, 0.095, 0.099)
    assert summary.max == 0.1
    assert summary.mean == pytest.approx(0.0505)
    assert summary.error_ratio == 0.1


def test_old_latencies_leave_the_window() -> None:
    clock = Clock()
    stats = RollingStats(window_seconds=60, clock=clock)
    for _ in range(50):
        stats.record("GET /x", 0.5)
    clock.now += 120
    for _ in range(50):
        stats.record("GET /x", 0.001)
    summary = stats.summary("GET /x")
    assert summary is not None
    assert summary.count == 50 and summary.p99 == 0.001
    clock.now += 120
    assert stats.summary("GET /x") is None
    assert stats.summaries() == []


def test_a_shorter_span_sees_only_its_latencies() -> None:
    clock = Clock()
    stats = RollingStats(window_seconds=300, clock=clock)
    for _ in range(10):
        stats.record("GET /x", 1.0)
    clock.now += 100
    for _ in range(5):
        stats.record("GET /x", 2.0)
    minute = stats.summary("GET /x", seconds=60)
    assert minute is not None and minute.samples == 5 and minute.p50 == 2.0
    whole = stats.summary("GET /x")
    assert whole is not None and whole.samples == 15 and whole.p50 == 1.0


def test_ring_keeps_the_newest_latencies_and_counts_all() -> None:
    clock = Clock()
    window = LatencyWindow(capacity=100, window_seconds=60)
    for ms in range(1, 1001):
        window.record(clock.now, ms / 1000)
    summary = window.summary("k", clock.now, 60)
    assert summary.count == 1000
    assert summary.samples == 100
    # The newest hundred: 901..1000 ms.
    assert summary.p50 == 0.95 and summary.max == 1.0


def test_keys_are_bounded_least_recent_out() -> None:
    stats = RollingStats(max_keys=3, clock=Clock())
    for key in "abcd":
        stats.record(key, 0.001)
    assert stats.keys() == ["b", "c", "d"]


def test_summaries_busiest_first_and_slowest_by_p95() -> None:
    stats = RollingStats(clock=Clock())
    for _ in range(3):
        stats.record("slow", 0.2)
    for _ in range(5):
        stats.record("fast", 0.001)
    assert [s.key for s in stats.summaries()] == ["fast", "slow"]
    assert [s.key for s in slowest(stats.summaries(), 1)] == ["slow"]


def test_series_steps_hold_their_own_latencies() -> None:
    clock = Clock()
    stats = RollingStats(window_seconds=60, clock=clock)
    stats.record("k", 0.010)
    clock.now += 35  # clear of a step boundary
    stats.record("k", 0.020)
    stats.record("k", 0.030)
    points = stats.series("k", step=15)
    assert [p.ago for p in points] == [45, 30, 15, 0]
    assert [p.count for p in points] == [0, 1, 0, 2]
    assert points[1].p95 == 0.010 and points[3].p50 == 0.020 and points[3].p99 == 0.030
    assert math.isnan(points[0].p50)
    assert stats.series("unknown") == []


def test_series_reads_a_wrapped_ring_oldest_first() -> None:
    window = LatencyWindow(capacity=10, window_seconds=100)
    for second in range(25):  # the ring wraps twice; it holds seconds 15..24
        window.record(1_000.0 + second, float(second))
    points = window.series(now=1_025.0, seconds=20, step=5)
    assert [p.count for p in points] == [0, 1, 5, 4]
    assert [p.p50 for p in points[1:]] == [15.0, 18.0, 22.0]
