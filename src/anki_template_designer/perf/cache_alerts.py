"""Cache health alerts: a thrashing cache raises one alert and one WARNING log line per crossing.

The performance monitor judges the caches with the budgets, every few seconds, so the alert
and its log line come even when nobody looks. A cache stays alerted (no further lines) until
its verdict is something else, which logs once at INFO. A cache's verdict is over its last
window of *lookups*, which stops moving when traffic stops; so a cache with no lookups for
``idle_seconds`` is cleared too, as the budgets clear an operation idle for a whole window.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from .cache import CacheRegistry

IDLE_SECONDS = 300.0  # the budgets' live window: five minutes

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CacheAlert:
    """A cache judged thrashing since ``since`` (epoch seconds); ``message`` says what to do."""

    cache: str
    status: str
    since: float
    message: str


class CacheHealthMonitor:
    """The thrashing caches of a registry, judged on ``evaluate``."""

    def __init__(
        self,
        registry: CacheRegistry,
        *,
        idle_seconds: float = IDLE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        logger: logging.Logger = _log,
    ) -> None:
        self.registry = registry
        self.idle_seconds = idle_seconds
        self._clock = clock
        self._wall_clock = wall_clock
        self._log = logger
        self._alerts: dict[str, CacheAlert] = {}
        # Per cache: its lookup count when last seen to change, and when that was.
        self._activity: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def alerts(self) -> list[CacheAlert]:
        """The alerts raised and not yet cleared, oldest first."""
        with self._lock:
            return _ordered(self._alerts)

    def evaluate(self) -> list[CacheAlert]:
        """Judge every cache now; raise or clear alerts (logging each change once)."""
        now, wall = self._clock(), self._wall_clock()
        verdicts = []
        for cache in self.registry:
            stats = cache.stats()
            health = cache.health()
            verdicts.append((stats.name, stats.lookups, health.status, health.message))
        raised: list[CacheAlert] = []
        cleared: list[tuple[str, str]] = []
        with self._lock:
            seen = set()
            for name, lookups, status, message in verdicts:
                seen.add(name)
                idle = self._idle(name, lookups, now)
                current = self._alerts.get(name)
                if status == "thrashing" and not idle:
                    since = current.since if current else wall
                    self._alerts[name] = CacheAlert(name, status, since, message)
                    if current is None:
                        raised.append(self._alerts[name])
                elif current is not None:
                    del self._alerts[name]
                    why = "no lookups lately" if status == "thrashing" else message
                    cleared.append((name, why))
            for name in [n for n in self._alerts if n not in seen]:  # the cache went away
                del self._alerts[name]
                cleared.append((name, "the cache is gone"))
            current_alerts = _ordered(self._alerts)
        for alert in raised:
            self._log.warning("cache health: %s", alert.message)
        for name, why in cleared:
            self._log.info("cache health: the %s cache no longer thrashes (%s)", name, why)
        return current_alerts

    def _idle(self, name: str, lookups: int, now: float) -> bool:
        """Whether ``name`` has had no lookups for ``idle_seconds`` (caller locks)."""
        last = self._activity.get(name)
        if last is None or last[0] != lookups:
            self._activity[name] = (lookups, now)
            return False
        return now - last[1] >= self.idle_seconds


def _ordered(alerts: dict[str, CacheAlert]) -> list[CacheAlert]:
    return sorted(alerts.values(), key=lambda a: (a.since, a.cache))
