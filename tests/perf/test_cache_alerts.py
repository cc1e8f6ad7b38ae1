"""Cache health alerts: raised and logged once per crossing, cleared when fit again or idle."""

from __future__ import annotations

import logging

import pytest

from anki_template_designer.perf.cache import BoundedCache, CacheRegistry
from anki_template_designer.perf.cache_alerts import CacheHealthMonitor
from anki_template_designer.perf.monitor import PerformanceMonitor


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def thrash(cache: BoundedCache[str, str], lookups: int = 300) -> None:
    """A cycle of 20 keys through a cache of 10: every key is evicted before its reuse."""
    for i in range(lookups):
        cache.get_or_compute(f"k{i % 20}", lambda: "v")


def fit(cache: BoundedCache[str, str], lookups: int = 300) -> None:
    """Two keys over and over: nearly every lookup hits."""
    for i in range(lookups):
        cache.get_or_compute(f"k{i % 2}", lambda: "v")


@pytest.fixture
def setup() -> tuple[CacheRegistry, BoundedCache[str, str], Clock]:
    registry = CacheRegistry()
    registry.add(BoundedCache("calm", max_entries=100, max_bytes=10_000))
    small: BoundedCache[str, str] = registry.add(
        BoundedCache("small", max_entries=10, max_bytes=10_000, window=200)
    )
    return registry, small, Clock()


def warnings_of(caplog: pytest.LogCaptureFixture, level: int) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.levelno == level and r.name == "anki_template_designer.perf.cache_alerts"
    ]


def test_a_thrashing_cache_alerts_and_logs_once_per_crossing(
    setup: tuple[CacheRegistry, BoundedCache[str, str], Clock], caplog: pytest.LogCaptureFixture
) -> None:
    registry, small, clock = setup
    monitor = CacheHealthMonitor(registry, clock=clock, wall_clock=lambda: 5.0)
    caplog.set_level(logging.INFO)
    assert monitor.evaluate() == []

    thrash(small)
    alerts = monitor.evaluate()
    assert [(a.cache, a.status, a.since) for a in alerts] == [("small", "thrashing", 5.0)]
    assert "raise its entries bound (now 10)" in alerts[0].message
    thrash(small, 10)
    clock.now += 10
    assert monitor.evaluate() == alerts  # still raised, same since: no second line
    assert len(warnings_of(caplog, logging.WARNING)) == 1
    assert "the small cache is thrashing" in warnings_of(caplog, logging.WARNING)[0].lower()

    fit(small, 400)  # a whole window of hits: the verdict is ok again
    assert monitor.evaluate() == []
    assert monitor.alerts() == []
    cleared = warnings_of(caplog, logging.INFO)
    assert len(cleared) == 1 and "small cache no longer thrashes" in cleared[0]

    thrash(small, 400)  # a second crossing: a second alert and line
    assert len(monitor.evaluate()) == 1
    assert len(warnings_of(caplog, logging.WARNING)) == 2


def test_an_idle_thrashing_cache_is_cleared_after_the_idle_time(
    setup: tuple[CacheRegistry, BoundedCache[str, str], Clock], caplog: pytest.LogCaptureFixture
) -> None:
    registry, small, clock = setup
    monitor = CacheHealthMonitor(registry, idle_seconds=60, clock=clock)
    caplog.set_level(logging.INFO)
    thrash(small)
    assert len(monitor.evaluate()) == 1
    clock.now += 59
    assert len(monitor.evaluate()) == 1  # no lookups for 59 s: still judged on its window
    clock.now += 1
    assert monitor.evaluate() == []
    assert small.health().status == "thrashing"  # the verdict stands; the alert is stale
    assert "no lookups lately" in warnings_of(caplog, logging.INFO)[0]
    thrash(small, 5)
    assert len(monitor.evaluate()) == 1  # lookups again, still thrashing: raised again


def test_the_performance_monitor_judges_caches_with_the_budgets(
    setup: tuple[CacheRegistry, BoundedCache[str, str], Clock],
) -> None:
    registry, small, _ = setup
    monitor = PerformanceMonitor()
    assert monitor.evaluate_caches() == [] and monitor.cache_alerts() == []
    monitor.caches = CacheHealthMonitor(registry)
    thrash(small)
    monitor.evaluate()  # what the background task calls every few seconds
    assert [a.cache for a in monitor.cache_alerts()] == ["small"]
