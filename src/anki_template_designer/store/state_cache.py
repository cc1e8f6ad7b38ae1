"""What each note type's last save left in the database, so the next save need not read it.

An entry is only used while it describes the note type's current revision: every write
gives a note type a new revision id (PostgreSQL's ids come from a sequence, SQLite's only
grow while the newest row stays), so an entry whose revision is still current is exact,
whichever process wrote it. Anything else reads the rows back.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable

from .saving import Head, Stored

logger = logging.getLogger(__name__)


class StateCache:
    """A small, thread-safe, least-recently-used map from note type id to its stored state.

    Every committed write passes through it (``remember``, or ``forget`` for a delete), so it
    also tells listeners which note type changed.
    """

    def __init__(self, capacity: int = 128) -> None:
        self._capacity = capacity
        self._entries: OrderedDict[str, Stored] = OrderedDict()
        self._lock = threading.Lock()
        self._listeners: list[Callable[[str], None]] = []

    def add_listener(self, listener: Callable[[str], None]) -> None:
        """Call ``listener(notetype_id)`` after each committed change to a note type."""
        self._listeners.append(listener)

    def _changed(self, notetype_id: str) -> None:
        for listener in list(self._listeners):
            try:
                listener(notetype_id)
            except Exception:
                # The change is committed; a listener (a cache) must not turn it into an error.
                logger.exception("a listener failed on a change to note type %s", notetype_id)

    def current(self, head: Head) -> Stored | None:
        """The remembered state of ``head``'s note type, if it is at ``head``'s revision."""
        with self._lock:
            stored = self._entries.get(head.id)
            if stored is None or stored.revision.id != head.current_revision:
                return None
            self._entries.move_to_end(head.id)
            return stored

    def remember(self, stored: Stored) -> None:
        """Record the state a committed save left."""
        with self._lock:
            self._entries[stored.notetype_id] = stored
            self._entries.move_to_end(stored.notetype_id)
            while len(self._entries) > self._capacity:
                self._entries.popitem(last=False)
        self._changed(stored.notetype_id)

    def forget(self, notetype_id: str) -> None:
        """Drop a note type's entry (it was deleted)."""
        with self._lock:
            self._entries.pop(notetype_id, None)
        self._changed(notetype_id)
