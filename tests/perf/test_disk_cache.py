"""The disk cache: JSON only, survives reopening, capped in bytes (LRU), shrugs off corruption."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

from anki_template_designer.perf.disk_cache import DiskCache


def test_values_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    first = DiskCache(path)
    value = {"diagnostics": [{"rule": "r", "line": 3}], "text": "é"}
    assert first.put("k", value)
    first.close()
    again = DiskCache(path)
    assert again.get("k") == value
    stats = again.stats()
    assert (stats.entries, stats.hits, stats.misses) == (1, 1, 0)
    assert stats.bytes == len(b'{"diagnostics":[{"rule":"r","line":3}],"text":"\xc3\xa9"}')


def test_rows_are_json_text_never_pickles(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    cache = DiskCache(path)
    cache.put("k", [1, "two", None])
    cache.close()
    with sqlite3.connect(path) as db:
        (text,) = db.execute("SELECT value FROM entries").fetchone()
    assert text == '[1,"two",null]'
    with pytest.raises(TypeError):
        DiskCache(path).put("obj", object())


def test_byte_cap_evicts_least_recently_used(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path / "c.sqlite3", max_bytes=30)
    for key in "abc":
        cache.put(key, "x" * 8)  # 10 bytes as JSON text
    assert cache.get("a") == "x" * 8  # a is now the most recent; b the oldest
    cache.put("d", "y" * 8)
    assert cache.get("b") is None
    assert [cache.get(k) is not None for k in "acd"] == [True, True, True]
    stats = cache.stats()
    assert (stats.entries, stats.bytes, stats.evictions) == (3, 30, 1)
    assert cache.put("huge", "z" * 100) is False
    assert cache.stats().rejected == 1
    cache.close()
    # The order of use survives a restart too.
    reopened = DiskCache(tmp_path / "c.sqlite3", max_bytes=30)
    reopened.put("e", "w" * 8)
    assert reopened.get("a") is None and reopened.get("d") is not None


def test_entry_cap(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path / "c.sqlite3", max_entries=2)
    for key in "abc":
        cache.put(key, key)
    assert cache.stats().entries == 2
    assert cache.get("a") is None


def test_get_or_compute_and_invalidate(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path / "c.sqlite3")
    calls: list[int] = []

    def compute() -> dict[str, int]:
        calls.append(1)
        return {"n": len(calls)}

    assert cache.get_or_compute("k", compute) == {"n": 1}
    assert cache.get_or_compute("k", compute) == {"n": 1}
    assert cache.invalidate("k") is True
    assert cache.get_or_compute("k", compute) == {"n": 2}
    cache.clear()
    assert cache.stats().entries == 0 and cache.stats().bytes == 0


def test_a_corrupt_file_is_logged_and_recreated(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "c.sqlite3"
    path.write_bytes(b"this is not a database, it is a text file " * 100)
    cache = DiskCache(path)
    with caplog.at_level(logging.WARNING):
        assert cache.get("k") is None  # a miss, not an error
        assert cache.put("k", {"v": 1})
    assert "starting it afresh" in caplog.text
    assert cache.get("k") == {"v": 1}


def test_corruption_while_open_is_a_miss(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    cache = DiskCache(path)
    cache.put("k", 1)
    cache.close()
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE entries")
    assert cache.get("k") is None
    assert cache.put("k", 2) and cache.get("k") == 2


def test_a_row_that_is_not_json_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    cache = DiskCache(path)
    cache.put("k", 1)
    cache.close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE entries SET value = ?", ("\x80pickle?",))
    assert cache.get("k", "missing") == "missing"
    assert cache.stats().entries == 0


def test_an_unwritable_place_turns_the_cache_off(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder should be")
    cache = DiskCache(blocker / "sub" / "c.sqlite3")
    assert cache.put("k", 1) is False
    assert cache.get("k") is None
    assert cache.health().status == "disabled"


def test_off_misses_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    cache = DiskCache(path, enabled=False)
    assert cache.put("k", 1) is False
    assert cache.get_or_compute("k", lambda: 2) == 2
    assert cache.stats().misses == 1
    assert not path.exists()


def test_a_disk_cache_too_small_for_its_traffic_is_thrashing(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path / "c.sqlite3", max_entries=2, window=60)
    for i in range(90):  # three keys in turn, two places: LRU evicts each before its reuse
        cache.get_or_compute(f"k{i % 3}", lambda: "v")
    health = cache.health()
    assert health.status == "thrashing" and health.window_regrets > 50


def test_a_full_cache_of_many_rows_evicts_exactly_the_least_recently_used(
    tmp_path: Path,
) -> None:
    cache = DiskCache(tmp_path / "c.sqlite3", max_entries=300)
    for i in range(300):
        cache.put(f"k{i}", i)
    assert cache.get("k0") == 0  # now the most recent
    for i in range(300, 500):  # 200 more: k1..k200 go, k0 stays
        cache.put(f"k{i}", i)
    stats = cache.stats()
    assert (stats.entries, stats.evictions) == (300, 200)
    assert cache.get("k0") == 0
    assert [cache.get(f"k{i}") for i in (1, 200)] == [None, None]
    assert [cache.get(f"k{i}") for i in (201, 499)] == [201, 499]
    cache.close()
    with sqlite3.connect(tmp_path / "c.sqlite3") as db:
        assert db.execute("SELECT entries, bytes FROM totals").fetchone() == (
            300,
            db.execute("SELECT sum(size) FROM entries").fetchone()[0],
        )


def test_processes_sharing_the_file_see_each_others_totals(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    first, second = DiskCache(path, max_entries=3), DiskCache(path, max_entries=3)
    for key in "abc":
        first.put(key, key)
    second.put("d", "d")  # the file holds 4: the other process's rows count too
    assert second.stats().entries == 3
    second.clear()
    first.put("e", "e")  # first's own figures say full; the file's totals say empty
    assert first.get("e") == "e"
    assert first.stats().entries == 1


def test_a_cache_file_of_the_previous_layout_starts_empty(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE entries (key TEXT PRIMARY KEY, value TEXT NOT NULL,"
            " size INTEGER NOT NULL, used INTEGER NOT NULL)"
        )
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute("INSERT INTO meta VALUES ('schema', '1')")
        db.execute("INSERT INTO entries VALUES ('old', '1', 1, 1)")
    db.close()
    cache = DiskCache(path, max_entries=2)
    assert cache.get("old") is None
    assert cache.stats().entries == 0
    for key in "abc":
        cache.put(key, key)
    assert cache.stats().entries == 2 and cache.get("c") == "c"
