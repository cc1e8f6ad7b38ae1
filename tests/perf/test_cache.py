"""The in-process LRU: both bounds, eviction order, tags, counters, the thrash verdict."""

from __future__ import annotations

import threading

import pytest

from anki_template_designer.perf.cache import (
    MIN_LOOKUPS_TO_JUDGE,
    BoundedCache,
    CacheRegistry,
    approximate_size,
    content_key,
)


def make(max_entries: int = 100, max_bytes: int = 10_000, **kw: object) -> BoundedCache[str, str]:
    return BoundedCache("test", max_entries=max_entries, max_bytes=max_bytes, **kw)  # type: ignore[arg-type]


def test_entry_bound_evicts_least_recently_used() -> None:
    cache = make(max_entries=3)
    for key in "abc":
        cache.put(key, key)
    assert cache.get("a") == "a"  # a is now the most recent; b is the oldest
    cache.put("d", "d")
    assert list(cache.keys()) == ["c", "a", "d"]
    assert "b" not in cache
    assert cache.stats().evictions == 1


def test_byte_bound_evicts_until_it_holds() -> None:
    cache = make(max_bytes=10)
    cache.put("a", "xxxx")
    cache.put("b", "yyyy")
    cache.put("c", "zzzzzz")  # 14 bytes: a goes, then 10 fit
    assert list(cache.keys()) == ["b", "c"]
    stats = cache.stats()
    assert (stats.entries, stats.bytes, stats.evictions) == (2, 10, 1)


def test_size_is_utf8_bytes_and_can_be_given() -> None:
    assert approximate_size("é") == 2
    assert approximate_size(b"abc") == 3
    cache = make(max_bytes=100)
    cache.put("k", "ééé")
    assert cache.stats().bytes == 6
    cache.put("k", "ignored size", size=40)  # replacing an entry frees its old size
    assert cache.stats().bytes == 40
    custom: BoundedCache[str, list[str]] = BoundedCache(
        "lists", max_entries=5, max_bytes=100, size_of=lambda items: sum(map(len, items))
    )
    custom.put("k", ["ab", "cde"])
    assert custom.stats().bytes == 5


def test_a_value_bigger_than_the_cache_is_not_stored() -> None:
    cache = make(max_bytes=5)
    cache.put("small", "abc")
    assert cache.put("big", "abcdefgh") is False
    assert list(cache.keys()) == ["small"]
    assert cache.stats().rejected == 1


def test_tags_drop_only_their_entries() -> None:
    cache = make()
    cache.put("a1", "x", tags=["notetype:a"])
    cache.put("a2", "x", tags=["notetype:a", "css:1"])
    cache.put("b1", "x", tags=["notetype:b"])
    assert cache.invalidate_tag("notetype:a") == 2
    assert list(cache.keys()) == ["b1"]
    assert cache.invalidate_tag("css:1") == 0  # the tag went with its last entry
    assert cache.invalidate_tag("notetype:b") == 1
    assert cache.stats().bytes == 0


def test_evicted_entries_leave_their_tags() -> None:
    cache = make(max_entries=1)
    cache.put("a", "x", tags=["t"])
    cache.put("b", "x")
    assert cache.invalidate_tag("t") == 0
    assert list(cache.keys()) == ["b"]


def test_get_or_compute_counts_and_computes_once_per_key() -> None:
    cache = make()
    calls: list[str] = []

    def compute() -> str:
        calls.append("x")
        return "value"

    assert cache.get_or_compute("k", compute, tags=["t"]) == "value"
    assert cache.get_or_compute("k", compute) == "value"
    stats = cache.stats()
    assert (len(calls), stats.hits, stats.misses, stats.hit_ratio) == (1, 1, 1, 0.5)
    assert cache.invalidate_tag("t") == 1


def test_none_is_a_value_not_a_miss() -> None:
    cache: BoundedCache[str, None] = BoundedCache(
        "n", max_entries=2, max_bytes=100, size_of=lambda _: 1
    )
    cache.put("k", None)
    assert cache.get_or_compute("k", lambda: pytest.fail("recomputed")) is None
    assert cache.stats().hits == 1


def test_clear_and_invalidate() -> None:
    cache = make()
    cache.put("a", "x")
    cache.put("b", "y")
    assert cache.invalidate("a") is True
    assert cache.invalidate("a") is False
    cache.clear()
    assert len(cache) == 0
    assert cache.stats().bytes == 0
    assert cache.get("b", "gone") == "gone"


def test_disabled_cache_misses_and_stores_nothing() -> None:
    cache = make()
    cache.put("a", "x")
    cache.enabled = False
    assert len(cache) == 0  # turning off empties it
    assert cache.put("b", "y") is False
    calls: list[int] = []
    for _ in range(3):
        cache.get_or_compute("b", lambda: calls.append(1) or "y")  # type: ignore[func-returns-value]
    assert len(calls) == 3
    stats = cache.stats()
    assert (stats.hits, stats.misses, stats.entries) == (0, 3, 0)
    assert cache.health().status == "disabled"


def test_health_idle_then_ok() -> None:
    cache = make(window=100)
    cache.put("k", "v")
    assert cache.health().status == "idle"
    for _ in range(MIN_LOOKUPS_TO_JUDGE):
        cache.get("k")
    health = cache.health()
    assert health.status == "ok"
    assert "100%" in health.message


def test_health_reports_thrashing_with_a_sentence() -> None:
    cache = make(max_entries=10, window=200)
    for i in range(300):  # a cycle longer than the cache: LRU evicts each key before its reuse
        cache.get_or_compute(f"k{i % 20}", lambda: "v")
    health = cache.health()
    assert health.status == "thrashing"
    assert health.window_hit_ratio == 0.0
    assert "thrashing" in health.message and "entries bound (now 10)" in health.message
    assert health.window_regrets == health.window_lookups - 20  # all but each key's first


def test_new_keys_every_time_are_churn_not_thrashing() -> None:
    cache = make(max_entries=10, window=200)
    for i in range(300):  # every lookup a new key: no cache size would hit
        cache.get_or_compute(f"k{i}", lambda: "v")
    health = cache.health()
    assert (health.status, health.window_regrets) == ("churn", 0)
    assert "would not hit more" in health.message


def test_a_big_enough_cache_for_the_same_traffic_is_ok() -> None:
    cache = make(max_entries=20, window=200)
    for i in range(300):
        cache.get_or_compute(f"k{i % 20}", lambda: "v")
    assert cache.health().status == "ok"


def test_threads_keep_the_bounds() -> None:
    cache = make(max_entries=50, max_bytes=400)

    def work(offset: int) -> None:
        for i in range(2000):
            key = f"k{(i * 7 + offset) % 120}"
            value = "x" * (1 + (i % 9))
            cache.get_or_compute(key, lambda: value, tags=[f"t{i % 5}"])  # noqa: B023
            if i % 97 == 0:
                cache.invalidate_tag(f"t{i % 5}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stats = cache.stats()
    assert stats.entries <= 50 and stats.bytes <= 400
    assert stats.bytes == sum(approximate_size(cache.get(k) or "") for k in list(cache.keys()))
    assert stats.hits + stats.misses == 4 * 2000


def test_registry_names_and_switches_caches() -> None:
    registry = CacheRegistry()
    first: BoundedCache[str, str] = registry.create("one", max_entries=5, max_bytes=100)
    second: BoundedCache[str, str] = registry.add(make())
    first.put("a", "x", tags=["notetype:1"])
    second.put("b", "y", tags=["notetype:1"])
    assert [c.name for c in registry] == ["one", "test"]
    assert registry.get("one") is first
    with pytest.raises(ValueError, match="already registered"):
        registry.create("one", max_entries=1, max_bytes=1)
    assert registry.invalidate_tag("notetype:1") == 2
    registry.set_enabled(False)
    assert not first.enabled and not second.enabled
    late: BoundedCache[str, str] = registry.create("late", max_entries=5, max_bytes=100)
    assert not late.enabled


def test_content_key_changes_with_any_part() -> None:
    key = content_key("a", {"x": 1, "y": [1, 2]})
    assert key == content_key("a", {"y": [1, 2], "x": 1})
    assert key != content_key("a", {"x": 1, "y": [2, 1]})
    assert key != content_key("b", {"x": 1, "y": [1, 2]})
    assert len(key) == 64
