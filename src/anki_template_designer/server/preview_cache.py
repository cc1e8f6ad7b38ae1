"""The preview's two caches: rendered cards, and the finished pages built around them.

A rendered card depends on the note type's templates, fields, kind and name, the sample note
and the card's ordinal, never on the CSS: ``card_key`` hashes all of those and nothing else,
so editing CSS keeps hitting it. A page depends on the card and on the CSS, platform, night
mode, side, typed answer and media base: ``page_key`` adds those. Keys are content hashes, so
a changed input cannot find an old result; dropping entries only frees memory sooner:

- every entry made for a workspace note type (a request with ``notetype_id``) is tagged
  ``notetype:<id>``, and the workspace's change listener drops the tag when that note type
  is saved, renamed, restored or deleted;
- the first page request for a note type with a CSS different from the last one seen drops
  that note type's pages (they show the old CSS), and nothing else.
"""

from __future__ import annotations

import enum
import hashlib
import json
import threading
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from typing import Any

from ..core.model import Note, NoteType
from ..perf.cache import BoundedCache, CacheBudget, CacheRegistry

PREVIEW_CARDS = "preview_cards"
PREVIEW_PAGES = "preview_pages"
# A card entry is a few KB of HTML; a page is the card plus its platform's shell (~10 KB).
# Bounded so that every in-memory cache together (these 24 MB, parses 8, last good pages 8,
# kept exports 16) stays about 56 MB: the server's whole budget is 200 MB of RSS.
CARD_ENTRIES, CARD_BYTES = 2048, 8 * 1024 * 1024
PAGE_ENTRIES, PAGE_BYTES = 4096, 16 * 1024 * 1024
# Note types whose last CSS is remembered; past this the memory is started afresh.
MAX_CSS_SEEN = 10_000
# Strings, ids and per-entry objects beyond the HTML itself.
ENTRY_OVERHEAD = 512


# Every attribute of the models goes into a card key but the CSS; a test checks these lists
# against the dataclasses, so a new attribute cannot be left out of the key unnoticed.
NOTETYPE_KEYED = ("name", "kind", "sort_field", "latex_pre", "latex_post", "extra")
NOTETYPE_PARTS = (*NOTETYPE_KEYED, "fields", "templates", "css", "id")
FIELD_KEYED = ("name", "extra")
TEMPLATE_KEYED = (
    "name",
    "front",
    "back",
    "browser_front",
    "browser_back",
    "deck_override",
    "extra",
)
NOTE_KEYED = ("fields", "tags", "deck", "flag", "card_ids")


def _json_default(value: object) -> object:
    if isinstance(value, Mapping):
        return {str(k): v for k, v in value.items()}
    if isinstance(value, enum.Enum):
        return value.value
    return str(value)


def _digest(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_json_default)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def card_key(notetype: NoteType, note: Note, card_ord: int) -> str:
    """A hash of everything a rendered card depends on: all of the note type but its CSS.

    The note type's ``id`` is left out too: rendering never reads it (a workspace note type
    is told apart by the tag, not the key).
    """
    shape = (
        [getattr(notetype, name) for name in NOTETYPE_KEYED],
        [[getattr(f, name) for name in FIELD_KEYED] for f in notetype.fields],
        [[getattr(t, name) for name in TEMPLATE_KEYED] for t in notetype.templates],
        [getattr(note, name) for name in NOTE_KEYED],
        card_ord,
    )
    return _digest(shape)


def css_hash(css: str) -> str:
    """A hash of a stylesheet."""
    return hashlib.sha256(css.encode("utf-8", "surrogatepass")).hexdigest()


PageKey = tuple[str, str, str, bool, str, str | None, str]


def page_key(
    card: str, css: str, platform: str, night: bool, side: str, base: str | None, typed: str
) -> PageKey:
    """A page's key: its card's key, its CSS's hash and the page's own choices."""
    return (card, css, platform, night, side, base, typed)


def notetype_tag(notetype_id: str) -> str:
    """The tag of every entry made for a workspace note type."""
    return f"notetype:{notetype_id}"


class PreviewCaches:
    """The rendered-card and page caches of one server, registered in its cache registry."""

    def __init__(
        self,
        registry: CacheRegistry,
        card_size: Callable[[Any], int],
        budget: CacheBudget | None = None,
    ) -> None:
        budget = budget or CacheBudget()
        entries, nbytes = budget.scaled(CARD_ENTRIES, CARD_BYTES)
        self.cards: BoundedCache[str, Any] = registry.add(
            BoundedCache(PREVIEW_CARDS, max_entries=entries, max_bytes=nbytes, size_of=card_size)
        )
        entries, nbytes = budget.scaled(PAGE_ENTRIES, PAGE_BYTES)
        self.pages: BoundedCache[PageKey, str] = registry.add(
            BoundedCache(PREVIEW_PAGES, max_entries=entries, max_bytes=nbytes)
        )
        self._css_seen: dict[str, str] = {}
        self._lock = threading.Lock()

    def saw_css(self, notetype_id: str, css: str) -> None:
        """Note the CSS a page request for ``notetype_id`` has; a new one drops its old pages."""
        with self._lock:
            previous = self._css_seen.get(notetype_id)
            if previous == css:
                return
            if len(self._css_seen) >= MAX_CSS_SEEN:
                self._css_seen.clear()
            self._css_seen[notetype_id] = css
        if previous is not None:
            self.pages.invalidate_tag(notetype_tag(notetype_id))

    def notetype_changed(self, notetype_id: str) -> None:
        """Drop every entry made for ``notetype_id`` (the workspace changed it)."""
        tag = notetype_tag(notetype_id)
        self.cards.invalidate_tag(tag)
        self.pages.invalidate_tag(tag)
        with self._lock:
            self._css_seen.pop(notetype_id, None)


# The caches of the app serving the current request (set by a middleware the app installs);
# None outside a served request, where previews are computed afresh.
current_preview_caches: ContextVar[PreviewCaches | None] = ContextVar(
    "current_preview_caches", default=None
)
