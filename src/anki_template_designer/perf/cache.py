"""In-process caches: LRU, bounded by entry count and by bytes, with tags for invalidation.

A ``BoundedCache`` evicts its least recently used entries until both bounds hold. Each entry
carries a size (``size_of(value)`` unless ``put`` is told it) and any number of tags, such as
``"notetype:<id>"``: ``invalidate_tag`` drops every entry carrying the tag, which is how a
saved note type's previews go. Keys should already be content hashes (``content_key``), so a
changed input can never find an old result; tags only free the memory sooner.

Every cache counts hits, misses, inserts and evictions, overall and over a window of recent
lookups; ``health()`` turns the window into a verdict (a cache that evicts nearly everything
it stores while rarely hitting is *thrashing*: its bounds are too small for the traffic).
A ``CacheRegistry`` names the caches so metrics and ``/api/perf/caches`` can list them.
"""

from __future__ import annotations

import hashlib
import json
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from .cache_stats import (
    DEFAULT_WINDOW,
    MIN_LOOKUPS_TO_JUDGE,
    CacheCounters,
    CacheHealth,
    CacheStats,
    HealthStatus,
    judge,
)

__all__ = [
    "DEFAULT_WINDOW",
    "MIN_LOOKUPS_TO_JUDGE",
    "BoundedCache",
    "CacheCounters",
    "CacheHealth",
    "CacheRegistry",
    "CacheStats",
    "HealthStatus",
    "NamedCache",
    "approximate_size",
    "content_key",
]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
T = TypeVar("T")


_MISSING = object()


def approximate_size(value: object) -> int:
    """A value's size in bytes: UTF-8 length for text, length for bytes, else ``sys.getsizeof``."""
    if isinstance(value, str):
        return len(value.encode("utf-8")) if not value.isascii() else len(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return len(value)
    return sys.getsizeof(value)


def content_key(*parts: object) -> str:
    """A SHA-256 hex digest of JSON-serialisable parts: a key that changes with any input."""
    text = json.dumps(parts, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(slots=True)
class _Entry(Generic[V]):
    value: V
    size: int
    tags: tuple[str, ...]


class BoundedCache(Generic[K, V]):
    """A thread-safe LRU cache bounded by ``max_entries`` and by ``max_bytes`` together.

    A disabled cache (``enabled = False``) misses every lookup and stores nothing, so a
    benchmark can compare; disabling also empties it.
    """

    def __init__(
        self,
        name: str,
        *,
        max_entries: int,
        max_bytes: int,
        size_of: Callable[[V], int] = approximate_size,
        enabled: bool = True,
        window: int = DEFAULT_WINDOW,
    ) -> None:
        if max_entries < 1 or max_bytes < 1:
            raise ValueError(f"cache {name!r}: max_entries and max_bytes must be at least 1")
        self.name = name
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._size_of = size_of
        self._enabled = enabled
        self._lock = threading.Lock()
        self._entries: OrderedDict[K, _Entry[V]] = OrderedDict()
        self._tags: dict[str, set[K]] = {}
        self._bytes = 0
        self._counters = CacheCounters(window)
        # Hashes of keys evicted lately, as many as the cache holds: a miss on one is a
        # regret. Hashes, not keys: a key (a template's text) may be large.
        self._ghosts: OrderedDict[int, None] = OrderedDict()

    # -- switches -------------------------------------------------------------------------

    @property
    def enabled(self) -> bool:
        return self._enabled

    @enabled.setter
    def enabled(self, value: bool) -> None:
        with self._lock:
            self._enabled = value
            if not value:
                self._drop_all()

    # -- lookups --------------------------------------------------------------------------

    def get(self, key: K, default: T | None = None) -> V | T | None:
        """The value stored under ``key`` (now the most recently used), else ``default``."""
        found = self._lookup(key)
        return default if found is _MISSING else found  # type: ignore[return-value]

    def __contains__(self, key: object) -> bool:
        """Whether ``key`` is stored; not a lookup (no counters, no recency change)."""
        with self._lock:
            return key in self._entries

    def get_or_compute(self, key: K, compute: Callable[[], V], tags: Iterable[str] = ()) -> V:
        """The stored value, else ``compute()``'s result, stored under ``key`` with ``tags``.

        ``compute`` runs outside the lock: two threads missing at once both compute (the work
        manager coalesces identical requests; this cache only remembers).
        """
        found = self._lookup(key)
        if found is not _MISSING:
            return found  # type: ignore[return-value]
        value = compute()
        self.put(key, value, tags=tags)
        return value

    def _lookup(self, key: K) -> object:
        with self._lock:
            entry = self._entries.get(key) if self._enabled else None
            if entry is None:
                regret = self._ghosts.pop(hash(key), False) is None
                self._counters.lookup(False, regret)
                return _MISSING
            self._counters.lookup(True)
            self._entries.move_to_end(key)
            return entry.value

    # -- changes --------------------------------------------------------------------------

    def put(self, key: K, value: V, *, tags: Iterable[str] = (), size: int | None = None) -> bool:
        """Store ``value`` under ``key``; False if not stored (cache off, or bigger than it)."""
        if not self._enabled:
            return False
        nbytes = self._size_of(value) if size is None else size
        with self._lock:
            if not self._enabled:
                return False
            if nbytes > self.max_bytes:
                self._counters.rejected += 1
                return False
            if key in self._entries:
                self._remove(key)
            entry = _Entry(value, nbytes, tuple(dict.fromkeys(tags)))
            self._entries[key] = entry
            self._bytes += nbytes
            for tag in entry.tags:
                self._tags.setdefault(tag, set()).add(key)
            self._counters.insert()
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                oldest = next(iter(self._entries))
                self._remove(oldest)
                self._counters.evict()
                self._ghosts[hash(oldest)] = None
                if len(self._ghosts) > self.max_entries:
                    self._ghosts.popitem(last=False)
            return True

    def invalidate(self, key: K) -> bool:
        """Drop ``key``'s entry; whether there was one."""
        with self._lock:
            if key not in self._entries:
                return False
            self._remove(key)
            self._counters.invalidations += 1
            return True

    def invalidate_tag(self, tag: str) -> int:
        """Drop every entry tagged ``tag``; how many were dropped."""
        with self._lock:
            keys = list(self._tags.get(tag, ()))
            for key in keys:
                self._remove(key)
            self._counters.invalidations += len(keys)
            return len(keys)

    def clear(self) -> None:
        """Drop every entry; the counters stay."""
        with self._lock:
            self._drop_all()

    def reset_stats(self) -> None:
        """Zero the counters and the health window; the entries stay."""
        with self._lock:
            self._counters.reset()

    def _remove(self, key: K) -> None:
        entry = self._entries.pop(key)
        self._bytes -= entry.size
        for tag in entry.tags:
            keys = self._tags.get(tag)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._tags[tag]

    def _drop_all(self) -> None:
        self._counters.invalidations += len(self._entries)
        self._entries.clear()
        self._ghosts.clear()
        self._tags.clear()
        self._bytes = 0

    # -- figures --------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._entries)

    def keys(self) -> Iterator[K]:
        """The stored keys, least recently used first (a snapshot)."""
        with self._lock:
            return iter(list(self._entries))

    def stats(self) -> CacheStats:
        """The counters and fill, read together under the lock."""
        with self._lock:
            return self._counters.stats(
                self.name,
                self._enabled,
                (len(self._entries), self._bytes),
                (self.max_entries, self.max_bytes),
            )

    def health(self) -> CacheHealth:
        """The verdict over the last full window of lookups (or the current one, if larger)."""
        with self._lock:
            stats = self._counters.stats(
                self.name,
                self._enabled,
                (len(self._entries), self._bytes),
                (self.max_entries, self.max_bytes),
            )
            window = self._counters.recent()
        return judge(stats, window)


DEFAULT_MEMORY_MB = 56.0


@dataclass(frozen=True)
class CacheBudget:
    """One memory budget for a server's in-memory caches (``ATD_CACHE_MB``), shared out.

    Each cache's default bounds are its share of the default budget; another budget scales
    every cache's entries and bytes by the same factor (at least one entry and one byte).
    """

    megabytes: float = DEFAULT_MEMORY_MB

    def __post_init__(self) -> None:
        if not self.megabytes > 0:
            raise ValueError(f"a cache budget must be more than 0 MB, not {self.megabytes}")

    def scaled(self, max_entries: int, max_bytes: int) -> tuple[int, int]:
        """(entries, bytes) for a cache whose default bounds are these."""
        factor = self.megabytes / DEFAULT_MEMORY_MB
        return max(1, round(max_entries * factor)), max(1, round(max_bytes * factor))


class NamedCache(Protocol):
    """What a registry lists: a named cache with figures, a switch, and invalidation."""

    name: str
    enabled: bool

    def stats(self) -> CacheStats: ...

    def health(self) -> CacheHealth: ...

    def invalidate_tag(self, tag: str) -> int: ...

    def clear(self) -> None: ...


C = TypeVar("C", bound=NamedCache)


class CacheRegistry:
    """Named caches, so metrics and the health view can list them; one per server."""

    def __init__(self, enabled: bool = True) -> None:
        self._caches: dict[str, NamedCache] = {}
        self._lock = threading.Lock()
        self._enabled = enabled

    @property
    def enabled(self) -> bool:
        """Whether caches made or added here are on."""
        return self._enabled

    def add(self, cache: C) -> C:
        """Register ``cache`` under its name (following the registry's on/off switch)."""
        with self._lock:
            if cache.name in self._caches:
                raise ValueError(f"a cache named {cache.name!r} is already registered")
            cache.enabled = self._enabled
            self._caches[cache.name] = cache
        return cache

    def create(
        self,
        name: str,
        *,
        max_entries: int,
        max_bytes: int,
        size_of: Callable[[V], int] = approximate_size,
    ) -> BoundedCache[str, V]:
        """A new ``BoundedCache`` with string keys, registered under ``name``."""
        cache: BoundedCache[str, V] = BoundedCache(
            name, max_entries=max_entries, max_bytes=max_bytes, size_of=size_of
        )
        return self.add(cache)

    def get(self, name: str) -> NamedCache | None:
        """The cache registered under ``name``, if any."""
        return self._caches.get(name)

    def __iter__(self) -> Iterator[NamedCache]:
        with self._lock:
            return iter(list(self._caches.values()))

    def set_enabled(self, enabled: bool) -> None:
        """Turn every registered cache on or off (off empties them)."""
        self._enabled = enabled
        for cache in self:
            cache.enabled = enabled

    def invalidate_tag(self, tag: str) -> int:
        """Drop the entries tagged ``tag`` in every cache; how many were dropped."""
        return sum(cache.invalidate_tag(tag) for cache in self)
