"""Garbage collector settings for a serving process: fewer, shorter full collections.

A full (generation 2) collection holds the GIL while it walks every tracked object: under
load_bench (50 users, 500 note types) the server's ran every 8-10 s and took 70-150 ms, so
every worker and the event loop stood still that long, and every operation's p95 carried it.
Serving, the server therefore

- collects once and freezes what start-up made (modules, the app, the workspace), so that
  later collections never walk those objects again (``gc.freeze``);
- raises the thresholds from (700, 10, 10) to (20,000, 20, 20) allocations, so that young
  collections run about thirty times less often and full ones far less often still.
  Cyclic garbage is still collected, only later; the caches are bounded, so memory is too.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass

SERVING_THRESHOLDS = (20_000, 20, 20)


@dataclass(frozen=True)
class GcSettings:
    """The collector's thresholds before ``tune_for_serving`` changed them."""

    thresholds: tuple[int, int, int]


def tune_for_serving(thresholds: tuple[int, int, int] = SERVING_THRESHOLDS) -> GcSettings:
    """Freeze what exists now and raise the thresholds; returns what to restore."""
    previous = GcSettings(gc.get_threshold())
    gc.collect()
    gc.freeze()
    gc.set_threshold(*thresholds)
    return previous


def restore(previous: GcSettings) -> None:
    """Undo ``tune_for_serving``: the old thresholds, nothing frozen."""
    gc.set_threshold(*previous.thresholds)
    gc.unfreeze()
