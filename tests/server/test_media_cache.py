"""The revision → media map behind autosaves."""

from __future__ import annotations

from anki_template_designer.server.media_cache import MediaByRevision


def test_remembers_the_most_recent_revisions() -> None:
    cache = MediaByRevision(capacity=2)
    cache.remember(1, {"a": b"1"})
    cache.remember(2, {"b": b"2"})
    assert cache.get(1) == {"a": b"1"}  # now the most recently used
    cache.remember(3, {})
    assert cache.get(2) is None
    assert cache.get(1) == {"a": b"1"} and cache.get(3) == {}
