"""A cache's figures: counters overall and per window of recent lookups, and a health verdict.

Thrashing is judged over the last window of lookups, not since start: a cache that fitted
its traffic for an hour and stopped fitting a minute ago is thrashing now. A cache that
evicts a lot while rarely hitting is not necessarily too small: when every lookup asks for
something new (each keystroke renders new text) a bigger cache would not hit more. So a
cache remembers the keys it evicted lately ("ghosts"); a miss on a ghost is a *regret*, a
hit a bigger cache would have had. Thrashing is low hits with many regrets; low hits with
few regrets is *churn*: traffic the cache cannot help, reported as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

HealthStatus = Literal["ok", "thrashing", "churn", "idle", "disabled"]

DEFAULT_WINDOW = 1000  # lookups per health window
# Fewer lookups than this in a window say nothing about the cache's fit to its traffic.
MIN_LOOKUPS_TO_JUDGE = 50
# Thrashing: most inserts push another entry out, and most lookups miss.
THRASH_EVICTION_SHARE = 0.8
THRASH_MAX_HIT_RATIO = 0.5
# ... and at least this share of the misses asked for an entry evicted lately.
THRASH_MIN_REGRET_SHARE = 0.25


@dataclass(frozen=True, slots=True)
class CacheStats:
    """A cache's counters since it was made (or cleared of counters), and its current fill."""

    name: str
    enabled: bool
    entries: int
    bytes: int
    max_entries: int
    max_bytes: int
    hits: int
    misses: int
    inserts: int
    evictions: int
    invalidations: int
    rejected: int

    @property
    def lookups(self) -> int:
        return self.hits + self.misses

    @property
    def hit_ratio(self) -> float:
        """Hits over lookups; 0.0 before the first lookup."""
        return self.hits / self.lookups if self.lookups else 0.0


@dataclass(frozen=True, slots=True)
class CacheHealth:
    """A verdict over the recent window of lookups, with a sentence a person can act on."""

    status: HealthStatus
    message: str
    window_lookups: int
    window_hits: int
    window_inserts: int
    window_evictions: int
    window_regrets: int

    @property
    def window_hit_ratio(self) -> float:
        return self.window_hits / self.window_lookups if self.window_lookups else 0.0


@dataclass(slots=True)
class _Window:
    lookups: int = 0
    hits: int = 0
    inserts: int = 0
    evictions: int = 0
    regrets: int = 0


class CacheCounters:
    """Hits, misses, inserts, evictions, overall and per window of lookups (caller locks)."""

    def __init__(self, window: int = DEFAULT_WINDOW) -> None:
        self.window_size = max(1, window)
        self.reset()

    def reset(self) -> None:
        """Zero everything."""
        self.hits = self.misses = self.inserts = 0
        self.evictions = self.invalidations = self.rejected = 0
        self._window = _Window()
        self._last_window: _Window | None = None

    def lookup(self, hit: bool, regret: bool = False) -> None:
        """Count one lookup (a regret: a miss on a key evicted lately); a full window becomes
        the one ``health`` judges.
        """
        window = self._window
        window.lookups += 1
        if hit:
            self.hits += 1
            window.hits += 1
        else:
            self.misses += 1
            window.regrets += regret
        if window.lookups >= self.window_size:
            self._last_window, self._window = window, _Window()

    def insert(self) -> None:
        self.inserts += 1
        self._window.inserts += 1

    def evict(self, count: int = 1) -> None:
        self.evictions += count
        self._window.evictions += count

    def recent(self) -> _Window:
        """A copy of the last full window, or of the current one if it has more lookups."""
        window = self._window
        last = self._last_window
        if last is not None and last.lookups >= window.lookups:
            window = last
        return _Window(
            window.lookups, window.hits, window.inserts, window.evictions, window.regrets
        )

    def stats(
        self, name: str, enabled: bool, fill: tuple[int, int], bounds: tuple[int, int]
    ) -> CacheStats:
        """These counters with a cache's fill (entries, bytes) and bounds."""
        return CacheStats(
            name=name,
            enabled=enabled,
            entries=fill[0],
            bytes=fill[1],
            max_entries=bounds[0],
            max_bytes=bounds[1],
            hits=self.hits,
            misses=self.misses,
            inserts=self.inserts,
            evictions=self.evictions,
            invalidations=self.invalidations,
            rejected=self.rejected,
        )


def judge(stats: CacheStats, window: _Window) -> CacheHealth:
    """The verdict for one window of a cache's lookups, given its current stats."""
    ratio = window.hits / window.lookups if window.lookups else 0.0
    name = stats.name

    def verdict(status: HealthStatus, message: str) -> CacheHealth:
        return CacheHealth(
            status,
            message,
            window.lookups,
            window.hits,
            window.inserts,
            window.evictions,
            window.regrets,
        )

    if not stats.enabled:
        return verdict("disabled", f"The {name} cache is off: every lookup recomputes.")
    if window.lookups < MIN_LOOKUPS_TO_JUDGE:
        return verdict(
            "idle",
            f"The {name} cache has seen {window.lookups} recent lookups, "
            f"too few to judge (it needs {MIN_LOOKUPS_TO_JUDGE}).",
        )
    evicting = window.inserts and window.evictions >= THRASH_EVICTION_SHARE * window.inserts
    misses = window.lookups - window.hits
    if evicting and ratio < THRASH_MAX_HIT_RATIO:
        if window.regrets >= THRASH_MIN_REGRET_SHARE * misses:
            entries, nbytes = stats.entries, stats.bytes
            full = "bytes" if nbytes >= 0.9 * stats.max_bytes else "entries"
            limit = stats.max_bytes if full == "bytes" else stats.max_entries
            return verdict(
                "thrashing",
                f"The {name} cache is thrashing: over the last {window.lookups} lookups "
                f"only {ratio:.0%} hit, {window.evictions} of {window.inserts} inserts evicted "
                f"an entry, and {window.regrets} misses asked for an entry evicted lately. It "
                f"holds {entries} entries in {nbytes} bytes; raise its {full} bound "
                f"(now {limit}).",
            )
        return verdict(
            "churn",
            f"The {name} cache hit {ratio:.0%} of the last {window.lookups} lookups and evicts "
            f"as much as it stores, but only {window.regrets} of {misses} misses asked for an "
            "entry it had evicted: the lookups are for new things, and a bigger cache would "
            "not hit more.",
        )
    return verdict(
        "ok",
        f"The {name} cache hit {ratio:.0%} of the last {window.lookups} lookups "
        f"({window.evictions} evictions).",
    )
