"""The last good answer per target, to show (marked stale) when a fresh one cannot be had.

Under overload or past its budget a preview answers with the last preview that succeeded for
the same note type, card, platforms and mode, instead of an error page. The store is a
``BoundedCache`` (LRU, bounded by entries and bytes), so it never grows past its bounds.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from .cache import BoundedCache, approximate_size

V = TypeVar("V")

LAST_GOOD = "last_good_previews"
# A preview answer is a few pages of ~10 KB each: a few hundred cards' worth.
LAST_GOOD_ENTRIES = 512
LAST_GOOD_BYTES = 8 * 1024 * 1024


class LastGood(Generic[V]):
    """The most recent successful answer per target key; ``size_of`` estimates its bytes."""

    def __init__(
        self,
        size_of: Callable[[V], int] = approximate_size,
        *,
        max_entries: int = LAST_GOOD_ENTRIES,
        max_bytes: int = LAST_GOOD_BYTES,
    ) -> None:
        self.cache: BoundedCache[Hashable, V] = BoundedCache(
            LAST_GOOD, max_entries=max_entries, max_bytes=max_bytes, size_of=size_of
        )

    def remember(self, target: Hashable, answer: V) -> None:
        """``answer`` is the newest good one for ``target``."""
        self.cache.put(target, answer)

    def recall(self, target: Hashable) -> V | None:
        """The last good answer for ``target``, if one is still held."""
        return self.cache.get(target)
