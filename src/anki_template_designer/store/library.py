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
from collections.abc import Collection, Iterable
from datetime import datetime
from typing import cast

from sqlalchemy import Connection, Table, func, select

from ..core.model import NoteTypeKind
from .records import NoteTypeSummary
from .tables import CardTypeRow, FieldRow, NoteTypeRow

NOTETYPES = cast(Table, NoteTypeRow.__table__)
FIELDS = cast(Table, FieldRow.__table__)
CARD_TYPES = cast(Table, CardTypeRow.__table__)

_HEADS = select(NOTETYPES.c.id, NOTETYPES.c.current_revision)
_FINGERPRINT = select(
    func.count(),
    func.max(NOTETYPES.c.current_revision),
    func.sum(NOTETYPES.c.current_revision),
    func.max(NOTETYPES.c.updated_at),
).select_from(NOTETYPES)
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


Fingerprint = tuple[int, int | None, int | None, datetime | None]


def fingerprint_of(entries: Iterable[NoteTypeSummary]) -> Fingerprint:
    """What :data:`_FINGERPRINT` answers for a workspace holding exactly ``entries``."""
    count, newest, total, updated = 0, None, None, None
    for entry in entries:
        count += 1
        revision = entry.current_revision
        newest = revision if newest is None or revision > newest else newest
        total = revision + (total or 0)
        updated = entry.updated_at if updated is None or entry.updated_at > updated else updated
    return count, newest, total, updated


class LibraryIndex:
    """Every note type's library entry, sorted by name, as of the newest listing.

    Fed by the workspace's change listener (``changed``): a listing then reads just the
    note types this process wrote. A one-row fingerprint (how many note types, the newest
    and the sum of their revisions, the latest update) tells whether anything else changed;
    only then are every note type's revision read and compared. Each row SQLite hands over
    lets go of the GIL, so under load one row instead of 500 is what keeps a listing fast.
    The fingerprint misses only what the listener does not: a write by another process
    that deletes the note type holding the newest revision and creates one that gets the
    same revision id at the very same ``updated_at``.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._changed: set[str] = set()
        self._entries: dict[str, NoteTypeSummary] = {}
        self._sorted: tuple[NoteTypeSummary, ...] = ()
        self._fingerprint: Fingerprint | None = None

    def changed(self, notetype_id: str) -> None:
        """Note that this process committed a change to a note type (listener hook)."""
        with self._lock:
            self._changed.add(notetype_id)

    def listing(self, connection: Connection) -> tuple[NoteTypeSummary, ...]:
        """All note types sorted by name, as the transaction of ``connection`` sees them."""
        row = connection.execute(_FINGERPRINT).one()
        current: Fingerprint = (row[0], row[1], row[2], row[3])
        with self._lock:
            changed, self._changed = self._changed, set()
            if not changed and current == self._fingerprint:
                return self._sorted
            entries = dict(self._entries)
        if changed:
            for notetype_id in changed:
                entries.pop(notetype_id, None)
            ids = None if len(changed) > _READ_ALL_OVER else changed
            entries.update((s.id, s) for s in read_summaries(connection, ids))
        if fingerprint_of(entries.values()) != current:
            # Another process wrote, or a commit whose listener has not run yet.
            entries = self._compare_all(connection, entries)
        listing = tuple(sorted(entries.values(), key=sort_key))
        with self._lock:
            # Two listings may refresh at once; each result is exact for its own snapshot,
            # and the next listing checks the fingerprint again whichever one stayed.
            self._entries, self._sorted = entries, listing
            self._fingerprint = fingerprint_of(entries.values())
        return listing

    @staticmethod
    def _compare_all(
        connection: Connection, known: dict[str, NoteTypeSummary]
    ) -> dict[str, NoteTypeSummary]:
        heads: dict[str, int] = dict(connection.execute(_HEADS).all())
        stale = [
            notetype_id
            for notetype_id, revision in heads.items()
            if (entry := known.get(notetype_id)) is None or entry.current_revision != revision
        ]
        if stale:
            ids = None if len(stale) > _READ_ALL_OVER else stale
            known.update((s.id, s) for s in read_summaries(connection, ids))
        # On PostgreSQL (read committed) a note type deleted since the first query is gone.
        return {notetype_id: known[notetype_id] for notetype_id in heads if notetype_id in known}
