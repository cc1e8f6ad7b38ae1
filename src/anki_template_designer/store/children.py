"""A note type's field, card type, sample and media rows: built from a bundle, read, synced.

Rows are plain dicts of their columns (no ``id``, no ``notetype_id``), grouped per table
and keyed by the columns that are unique within a note type. A save diffs the wanted rows
against the stored ones (read back, or remembered from the last save) and touches only the
rows that differ, addressing each by that key: no row ids need to be known.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from sqlalchemy import Connection, Table, and_, bindparam, delete, insert, select, update

from ..formats.bundle import NoteTypeBundle
from .snapshot import as_json, note_to_json
from .tables import CardTypeRow, FieldRow, MediaRow, SampleNoteRow

FIELDS = cast(Table, FieldRow.__table__)
CARD_TYPES = cast(Table, CardTypeRow.__table__)
SAMPLES = cast(Table, SampleNoteRow.__table__)
MEDIA = cast(Table, MediaRow.__table__)
# A row is updated in place only when its unique columns stay: no constraint can trip.
KEYS: dict[Table, tuple[str, ...]] = {
    FIELDS: ("ord", "name"),
    CARD_TYPES: ("ord", "name"),
    SAMPLES: ("ord",),
    MEDIA: ("name",),
}
TABLES = tuple(KEYS)

Key = tuple[Any, ...]
Rows = Mapping[Table, Sequence[dict[str, Any]]]
"""Wanted rows per table, in order."""
Keyed = Mapping[Table, Mapping[Key, Mapping[str, Any]]]
"""Stored rows per table, by key."""


def _where(table: Table) -> Any:
    # Bind names get a prefix: the SET clause already binds the plain column names.
    keys = [table.c[k] == bindparam(f"key_{k}") for k in KEYS[table]]
    return and_(table.c.notetype_id == bindparam("key_notetype_id"), *keys)


# Built once: composing statements costs more than running them on a small note type.
_READ = {
    table: select(*(c for c in table.c if c.name not in ("id", "notetype_id")))
    .where(table.c.notetype_id == bindparam("notetype_id"))
    .order_by(*(table.c[k] for k in KEYS[table]))
    for table in TABLES
}
_DELETE = {table: delete(table).where(_where(table)) for table in TABLES}
_UPDATE = {table: update(table).where(_where(table)) for table in TABLES}


def wanted(bundle: NoteTypeBundle, media_hashes: Mapping[str, str]) -> dict[Table, list[Any]]:
    """The rows ``bundle`` stores, per table; InvalidContent if an option is not JSON."""
    notetype = bundle.notetype
    where = f"note type {notetype.name!r}"
    fields = [
        {"ord": o, "name": f.name, "options": as_json(f.extra, f"{where} field {f.name!r} options")}
        for o, f in enumerate(notetype.fields)
    ]
    card_types = [
        {
            "ord": o,
            "name": t.name,
            "front": t.front,
            "back": t.back,
            "browser_front": t.browser_front,
            "browser_back": t.browser_back,
            "deck_override": int(t.deck_override) if t.deck_override is not None else None,
            "options": as_json(t.extra, f"{where} card type {t.name!r} options"),
        }
        for o, t in enumerate(notetype.templates)
    ]
    samples = [
        {"ord": o, **as_json(note_to_json(note), f"{where} sample note {o + 1}")}
        for o, note in enumerate(bundle.samples)
    ]
    media = [{"name": name, "sha256": digest} for name, digest in sorted(media_hashes.items())]
    return {FIELDS: fields, CARD_TYPES: card_types, SAMPLES: samples, MEDIA: media}


def keyed(rows: Rows) -> dict[Table, dict[Key, Mapping[str, Any]]]:
    """``rows`` by key, per table (what a later save diffs against)."""
    return {
        table: {tuple(row[k] for k in KEYS[table]): row for row in table_rows}
        for table, table_rows in rows.items()
    }


def read(connection: Connection, notetype_id: str) -> dict[Table, dict[Key, Mapping[str, Any]]]:
    """The stored rows of a note type, by key, per table."""
    params = {"notetype_id": notetype_id}
    return keyed(
        {
            table: [dict(row) for row in connection.execute(_READ[table], params).mappings()]
            for table in TABLES
        }
    )


def media_of(stored: Keyed) -> dict[str, str]:
    """The media digests by name among stored rows."""
    return {row["name"]: row["sha256"] for row in stored[MEDIA].values()}


def sync(connection: Connection, notetype_id: str, stored: Keyed | None, rows: Rows) -> None:
    """Write ``rows`` over ``stored`` (None for a new note type), touching only what differs."""
    for table in TABLES:
        _sync_table(connection, table, notetype_id, stored[table] if stored else {}, rows[table])


def _sync_table(
    connection: Connection,
    table: Table,
    notetype_id: str,
    stored: Mapping[Key, Mapping[str, Any]],
    rows: Sequence[dict[str, Any]],
) -> None:
    keys = KEYS[table]
    gone = dict(stored)
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for row in rows:
        key = tuple(row[k] for k in keys)
        have = gone.pop(key, None)
        if have is None:
            inserts.append({"notetype_id": notetype_id, **row})
        elif not all(_same(have[column], value) for column, value in row.items()):
            updates.append({**_key_params(keys, key, notetype_id), **row})
    if gone:
        # Deletes go first: a new row may take the ord or name of a removed one.
        connection.execute(_DELETE[table], [_key_params(keys, key, notetype_id) for key in gone])
    if updates:
        connection.execute(_UPDATE[table], updates)
    if inserts:
        connection.execute(insert(table), inserts)


def _key_params(keys: tuple[str, ...], key: Key, notetype_id: str) -> dict[str, Any]:
    params = {f"key_{k}": value for k, value in zip(keys, key, strict=True)}
    params["key_notetype_id"] = notetype_id
    return params


def _same(stored: object, value: object) -> bool:
    # Like ==, but key order counts too (sample field order is content), which == on dicts
    # ignores; and 1 is not True.
    if type(stored) is not type(value):
        return False
    if isinstance(value, dict):
        have = cast(dict[str, object], stored)
        return list(have) == list(value) and all(_same(have[k], v) for k, v in value.items())
    if isinstance(value, list):
        items = cast(list[object], stored)
        return len(items) == len(value) and all(map(_same, items, value))
    return stored == value
