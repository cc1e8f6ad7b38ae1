"""The library listing, kept between requests and refreshed only where a note type changed.

Listing every note type through the ORM (whole rows, stylesheets and JSON options decoded,
two queries with an ``IN`` list of every id) costs 15 ms for 500 note types on an idle
machine and holds the GIL all along: fifty designers opening the library at once queued
every other request behind it for seconds. Here one lean query reads each note type's id
and current revision; entries whose revision still matches are reused, and only new or
changed note types are read again.

Every write gives the note type it touches a new revision id (saves, folded edits,
renames, restores, imports), and a summary holds nothing a write can change without that,
so an entry whose revision is current is exact, whichever process wrote it. The pairs are
read in the listing's own read transaction, so the listing is one consistent snapshot.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Collection
from typing import cast

from sqlalchemy import Connection, Table, select

from ..core.model import NoteTypeKind
from .records import NoteTypeSummary
from .tables import CardTypeRow, FieldRow, NoteTypeRow

NOTETYPES = cast(Table, NoteTypeRow.__table__)
FIELDS = cast(Table, FieldRow.__table__)
CARD_TYPES = cast(Table, CardTypeRow.__table__)

_HEADS = select(NOTETYPES.c.id, NOTETYPES.c.current_revision)
_SUMMARY_COLUMNS = select(
    NOTETYPES.c.id,
    NOTETYPES.c.name,
    NOTETYPES.c.kind,
    NOTETYPES.c.current_revision,
    NOTETYPES.c.created_at,
    NOTETYPES.c.updated_at,
)
# Past this many changed note types, reading them all is cheaper than a long IN list.
_READ_ALL_OVER = 64


def sort_key(summary: NoteTypeSummary) -> tuple[str, str]:
    """The library's order: by name ignoring case, then exactly (so the order is total)."""
    return (summary.name.casefold(), summary.name)


def read_summaries(
    connection: Connection, ids: Collection[str] | None = None
) -> list[NoteTypeSummary]:
    """The library entries of the note types ``ids`` (all of them with None), unsorted."""
    query = _SUMMARY_COLUMNS
    names: dict[str, dict[str, list[str]]] = {}
    for key, table in (("fields", FIELDS), ("cards", CARD_TYPES)):
        child = select(table.c.notetype_id, table.c.name).order_by(table.c.notetype_id, table.c.ord)
        if ids is not None:
            child = child.where(table.c.notetype_id.in_(ids))
        found: dict[str, list[str]] = defaultdict(list)
        for notetype_id, name in connection.execute(child):
            found[notetype_id].append(name)
        names[key] = found
    if ids is not None:
        query = query.where(NOTETYPES.c.id.in_(ids))
    return [
        NoteTypeSummary(
            id=row.id,
            name=row.name,
            kind=NoteTypeKind(row.kind),
            current_revision=row.current_revision,
            field_names=tuple(names["fields"].get(row.id, ())),
            card_type_names=tuple(names["cards"].get(row.id, ())),
            created_at=row.created_at,
            updated_at=row.updated_at,
        )
        for row in connection.execute(query)
    ]


class LibraryIndex:
    """Every note type's library entry, sorted by name, as of the newest listing."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._heads: dict[str, int] = {}
        self._entries: dict[str, NoteTypeSummary] = {}
        self._sorted: tuple[NoteTypeSummary, ...] = ()

    def listing(self, connection: Connection) -> tuple[NoteTypeSummary, ...]:
        """All note types sorted by name, as the transaction of ``connection`` sees them."""
        heads: dict[str, int] = dict(connection.execute(_HEADS).all())
        with self._lock:
            if heads == self._heads:
                return self._sorted
            known = dict(self._entries)
        stale = [
            notetype_id
            for notetype_id, revision in heads.items()
            if (entry := known.get(notetype_id)) is None or entry.current_revision != revision
        ]
        if stale:
            ids = None if len(stale) > _READ_ALL_OVER else stale
            known.update((s.id, s) for s in read_summaries(connection, ids))
        # On PostgreSQL (read committed) a note type deleted since the first query is gone.
        entries = {notetype_id: known[notetype_id] for notetype_id in heads if notetype_id in known}
        listing = tuple(sorted(entries.values(), key=sort_key))
        with self._lock:
            # Two listings may refresh at once; either result is exact for its own snapshot,
            # and the next listing compares revisions again whichever one stayed.
            self._heads, self._entries, self._sorted = heads, entries, listing
        return listing
