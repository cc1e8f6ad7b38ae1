"""Parsed templates in a ``BoundedCache``, installed into the engine's parse seam.

``core.template.parser.parse_cached`` keeps parses in whatever ``set_parse_cache`` gave it;
the server gives it this, so parses are bounded by bytes too, counted, listed with the other
caches, and switched off with them. The engine alone (CLI, library) keeps its built-in LRU.
"""

from __future__ import annotations

from ..core.template.parser import Parsed, set_parse_cache
from .cache import BoundedCache, CacheRegistry

PARSED_TEMPLATES = "parsed_templates"
MAX_ENTRIES = 4096
# Counted as source text: the tree of a template is a small multiple of its source.
MAX_BYTES = 8 * 1024 * 1024
# A parse's fixed cost (the tree's root, its span objects) beyond its text.
ENTRY_OVERHEAD = 200


class ParseCache:
    """The engine's seam (``get``/``put`` by source text) over a ``BoundedCache``.

    The key is the source text itself: a dict hashes it once (Python caches a string's hash)
    and compares it on a hash match, so two templates can never share a parse.
    """

    def __init__(self, cache: BoundedCache[str, Parsed]) -> None:
        self.cache = cache

    def get(self, source: str, /) -> Parsed | None:
        """The parse of ``source`` if kept, else None (a counted miss)."""
        return self.cache.get(source)

    def put(self, source: str, parsed: Parsed, /) -> bool:
        """Keep ``parsed``; its size is its source's length."""
        return self.cache.put(source, parsed, size=len(source) + ENTRY_OVERHEAD)


def install_parse_cache(
    registry: CacheRegistry, *, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES
) -> BoundedCache[str, Parsed]:
    """Register a parse cache in ``registry`` and make the engine use it.

    The seam is process-wide: the last server made in a process owns it (tests make many;
    a served process makes one). Whichever owns it, a parse is keyed by its exact source.
    """
    cache: BoundedCache[str, Parsed] = registry.add(
        BoundedCache(PARSED_TEMPLATES, max_entries=max_entries, max_bytes=max_bytes)
    )
    set_parse_cache(ParseCache(cache))
    return cache
