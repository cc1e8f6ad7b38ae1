"""A disk cache: JSON values in one SQLite file, capped in bytes, least recently used out first.

Lint results and other artifacts worth keeping across restarts live here, keyed by a hash of
everything they depend on (``content_key``), so a changed input never finds an old result.

Why not the ``diskcache`` package: it stores any value that is not a plain str/bytes/int/
float by pickling it, and on read it unpickles any row whose ``mode`` column says "pickle".
Whoever can write to the cache file (another local user, a synced or shared folder, a
restored backup) can then run code in the server (CVE-2025-69872; its JSONDisk option only
changes how values are written, not what a read trusts). Here a row is only ever
``json.loads``-ed: the worst a tampered file can do is give a wrong cached answer, and the
keys are content hashes the server computed.

The cache must never be the reason a request fails: a file that is not a database, or a
row that is not JSON, is logged, dropped (the file recreated) and counted as a miss.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .cache_stats import DEFAULT_WINDOW, CacheCounters, CacheHealth, CacheStats, judge

logger = logging.getLogger(__name__)

JSONValue = Any  # what json.loads returns: dict, list, str, int, float, bool or None
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
DEFAULT_MAX_ENTRIES = 100_000
SCHEMA_VERSION = "2"
EVICT_BATCH = 64  # rows read per eviction step

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS entries ("
    " key TEXT PRIMARY KEY, value TEXT NOT NULL,"
    " size INTEGER NOT NULL, used INTEGER NOT NULL)",
    "CREATE INDEX IF NOT EXISTS entries_used ON entries (used)",
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    # Row count and bytes kept by the database itself, exact for every process sharing the
    # file, and read in one row instead of a scan of the whole table.
    "CREATE TABLE IF NOT EXISTS totals (id INTEGER PRIMARY KEY CHECK (id = 0),"
    " entries INTEGER NOT NULL, bytes INTEGER NOT NULL)",
    "INSERT OR IGNORE INTO totals VALUES (0, 0, 0)",
    "CREATE TRIGGER IF NOT EXISTS entries_added AFTER INSERT ON entries BEGIN"
    " UPDATE totals SET entries = entries + 1, bytes = bytes + NEW.size WHERE id = 0; END",
    "CREATE TRIGGER IF NOT EXISTS entries_removed AFTER DELETE ON entries BEGIN"
    " UPDATE totals SET entries = entries - 1, bytes = bytes - OLD.size WHERE id = 0; END",
)
_MISSING = object()
# SQLITE_BUSY and SQLITE_LOCKED: another connection holds the file for a moment.
_TRANSIENT = frozenset({5, 6})


class DiskCache:
    """A thread-safe, size-capped JSON cache in a SQLite file that survives restarts.

    Off (``enabled = False``), every lookup misses and nothing is written; what the file
    holds stays for when it is on again.
    """

    def __init__(
        self,
        path: Path,
        *,
        name: str = "disk",
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        enabled: bool = True,
        window: int = DEFAULT_WINDOW,
    ) -> None:
        if max_bytes < 1 or max_entries < 1:
            raise ValueError(f"disk cache {name!r}: max_bytes and max_entries must be at least 1")
        self.name = name
        self.path = path
        self.max_bytes = max_bytes
        self.max_entries = max_entries
        self.enabled = enabled
        self._lock = threading.Lock()
        self._counters = CacheCounters(window)
        self._connection: sqlite3.Connection | None = None
        self._bytes = self._entries = self._clock = 0
        # Keys evicted lately (by hash), for the health verdict's regrets (see cache_stats).
        self._ghosts: OrderedDict[int, None] = OrderedDict()

    # -- the file -------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        """The connection, opened (and the file made or remade) on first use."""
        if self._connection is not None:
            return self._connection
        try:
            self._connection = self._connect()
        except sqlite3.DatabaseError as error:
            self._recreate(error)
        assert self._connection is not None
        return self._connection

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # A short busy timeout: waiting long for a cache costs more than recomputing.
        connection = sqlite3.connect(
            self.path, timeout=0.25, check_same_thread=False, isolation_level=None
        )
        try:
            # A cache may lose its last writes in a crash; it must not slow every read.
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=OFF")
            for statement in _SCHEMA:
                connection.execute(statement)
            found = connection.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            if found is None:
                connection.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            elif found[0] != SCHEMA_VERSION:
                connection.execute("DELETE FROM entries")
                connection.execute("UPDATE totals SET entries = 0, bytes = 0")
                connection.execute("UPDATE meta SET value=? WHERE key='schema'", (SCHEMA_VERSION,))
            self._count(connection)
        except BaseException:
            connection.close()
            raise
        return connection

    def _count(self, connection: sqlite3.Connection) -> None:
        """Read the totals and the recency clock (one row and one index lookup)."""
        entries, nbytes = connection.execute(
            "SELECT entries, bytes FROM totals WHERE id = 0"
        ).fetchone()
        (clock,) = connection.execute("SELECT coalesce(max(used), 0) FROM entries").fetchone()
        self._entries, self._bytes = int(entries), int(nbytes)
        self._clock = max(self._clock, int(clock))

    def _recreate(self, error: Exception) -> None:
        """Replace a broken file with an empty cache (it only ever held copies)."""
        logger.warning(
            "disk cache %s at %s is unusable (%s); starting it afresh", self.name, self.path, error
        )
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        self._connection = self._connect()

    def _guarded(self, action: Callable[[sqlite3.Connection], Any], fallback: Any) -> Any:
        """Run ``action`` on the connection; on an error, answer ``fallback`` (never raise).

        A busy file (another process writing) only costs this lookup; a corrupt one is
        recreated; a folder that cannot hold the file turns the cache off.
        """
        try:
            return action(self._open())
        except sqlite3.DatabaseError as error:
            code = (getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF
            if code in _TRANSIENT:
                logger.info("disk cache %s busy (%s); answered without it", self.name, error)
                return fallback
            try:
                self._recreate(error)
            except (sqlite3.Error, OSError) as again:
                self._give_up(again)
            return fallback
        except OSError as error:  # the folder cannot be made or written
            self._give_up(error)
            return fallback

    def _give_up(self, error: Exception) -> None:
        logger.warning("disk cache %s at %s is off: %s", self.name, self.path, error)
        self.enabled = False
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def close(self) -> None:
        """Close the file (it reopens on the next use)."""
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    # -- lookups and changes --------------------------------------------------------------

    def get(self, key: str, default: JSONValue = None) -> JSONValue:
        """The JSON value stored under ``key`` (now the most recently used), else ``default``."""
        found = self._lookup(key)
        return default if found is _MISSING else found

    def _lookup(self, key: str) -> object:
        if not self.enabled:
            with self._lock:
                self._counters.lookup(False)
            return _MISSING
        with self._lock:
            found = self._guarded(lambda db: self._read(db, key), _MISSING)
            hit = found is not _MISSING
            self._counters.lookup(hit, not hit and self._ghosts.pop(hash(key), False) is None)
            return found

    def _read(self, db: sqlite3.Connection, key: str) -> object:
        row = db.execute("SELECT value FROM entries WHERE key=?", (key,)).fetchone()
        if row is None:
            return _MISSING
        try:
            value: object = json.loads(row[0])
        except ValueError:
            logger.warning("disk cache %s: entry %s is not JSON; dropped", self.name, key)
            self._delete(db, key)
            return _MISSING
        self._clock += 1
        db.execute("UPDATE entries SET used=? WHERE key=?", (self._clock, key))
        return value

    def get_or_compute(self, key: str, compute: Callable[[], JSONValue]) -> JSONValue:
        """The stored value, else ``compute()``'s result, stored under ``key``."""
        found = self._lookup(key)
        if found is not _MISSING:
            return found
        value = compute()
        self.put(key, value)
        return value

    def put(self, key: str, value: JSONValue) -> bool:
        """Store ``value`` (JSON-serialisable) under ``key``; False if not stored."""
        if not self.enabled:
            return False
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        size = len(text.encode("utf-8"))
        with self._lock:
            if size > self.max_bytes:
                self._counters.rejected += 1
                return False
            stored: bool = self._guarded(lambda db: self._write(db, key, text, size), False)
            return stored

    def _write(self, db: sqlite3.Connection, key: str, text: str, size: int) -> bool:
        self._clock += 1
        with db:  # one transaction: the row, then the evictions it makes necessary
            db.execute("BEGIN IMMEDIATE")
            self._delete(db, key)
            db.execute("INSERT INTO entries VALUES (?, ?, ?, ?)", (key, text, size, self._clock))
            self._entries += 1
            self._bytes += size
            self._counters.insert()
            if self._over():
                self._count(db)  # another process may share the file: trust its totals
                self._evict(db)
        return True

    def _over(self) -> bool:
        return self._bytes > self.max_bytes or self._entries > self.max_entries

    def _evict(self, db: sqlite3.Connection) -> None:
        """Drop the least recently used rows until under both caps, a few rows at a time.

        Read by the ``used`` index in small batches: a full cache of tens of thousands of
        rows costs a write a few rows, not a read of the whole table.
        """
        while self._over():
            rows = db.execute(
                "SELECT key, size FROM entries ORDER BY used LIMIT ?", (EVICT_BATCH,)
            ).fetchall()
            if not rows:
                return
            for key, size in rows:
                if not self._over():
                    return
                db.execute("DELETE FROM entries WHERE key=?", (key,))
                self._bytes -= int(size)
                self._entries -= 1
                self._counters.evict()
                self._ghosts[hash(key)] = None
                if len(self._ghosts) > self.max_entries:
                    self._ghosts.popitem(last=False)

    def _delete(self, db: sqlite3.Connection, key: str) -> bool:
        row = db.execute("DELETE FROM entries WHERE key=? RETURNING size", (key,)).fetchone()
        if row is None:
            return False
        self._entries -= 1
        self._bytes -= int(row[0])
        return True

    def invalidate(self, key: str) -> bool:
        """Drop ``key``'s entry; whether there was one."""
        with self._lock:
            dropped: bool = self._guarded(lambda db: self._delete(db, key), False)
            self._counters.invalidations += dropped
            return dropped

    def invalidate_tag(self, tag: str) -> int:
        """Nothing to drop: entries are keyed by content, so none can go stale (always 0)."""
        return 0

    def clear(self) -> None:
        """Drop every entry (the file stays)."""

        def drop(db: sqlite3.Connection) -> None:
            db.execute("DELETE FROM entries")
            self._counters.invalidations += self._entries
            self._entries = self._bytes = 0

        with self._lock:
            self._guarded(drop, None)

    # -- figures --------------------------------------------------------------------------

    def stats(self) -> CacheStats:
        """The counters since this process opened the cache, and the file's fill."""
        with self._lock:
            if self.enabled:
                self._guarded(lambda db: None, None)  # opened, so the fill is the file's
            return self._counters.stats(
                self.name,
                self.enabled,
                (self._entries, self._bytes),
                (self.max_entries, self.max_bytes),
            )

    def health(self) -> CacheHealth:
        """The verdict over the recent window of lookups."""
        stats = self.stats()
        with self._lock:
            window = self._counters.recent()
        return judge(stats, window)
