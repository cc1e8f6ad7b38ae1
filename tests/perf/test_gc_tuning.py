"""The collector settings a serving process runs with, and their undoing."""

from __future__ import annotations

import gc

from anki_template_designer.perf.gc_tuning import SERVING_THRESHOLDS, restore, tune_for_serving


def test_serving_freezes_start_up_objects_and_raises_thresholds() -> None:
    before = gc.get_threshold()
    previous = tune_for_serving()
    try:
        assert gc.get_threshold() == SERVING_THRESHOLDS
        assert gc.get_freeze_count() > 0
        assert previous.thresholds == before
    finally:
        restore(previous)
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
