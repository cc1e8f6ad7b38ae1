"""The media each recent revision saved, so an autosave need not read media back first.

A save from the editor carries the note type and samples but not the media (they are
uploaded on their own), so the server must add the current media to it. A revision's
content never changes, so the media saved with revision R are the right ones for any
save that expects R; a stale save fails on ``expected_revision`` whatever media it has.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping


class MediaByRevision:
    """A small, thread-safe, least-recently-used map from revision id to its media."""

    def __init__(self, capacity: int = 64) -> None:
        self._capacity = capacity
        self._entries: OrderedDict[int, Mapping[str, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, revision: int) -> Mapping[str, bytes] | None:
        """The media saved with ``revision``, if remembered."""
        with self._lock:
            media = self._entries.get(revision)
            if media is not None:
                self._entries.move_to_end(revision)
            return media

    def remember(self, revision: int, media: Mapping[str, bytes]) -> None:
        """Record that ``revision`` saved exactly ``media``."""
        with self._lock:
            self._entries[revision] = media
            self._entries.move_to_end(revision)
            while len(self._entries) > self._capacity:
                self._entries.popitem(last=False)
