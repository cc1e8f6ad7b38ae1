"""Bringing a note type's field, card type, sample and media rows in line with a bundle."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, cast

from sqlalchemy import RowMapping, Table, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from ..formats.bundle import NoteTypeBundle
from .snapshot import as_json, note_to_json
from .tables import CardTypeRow, FieldRow, MediaRow, SampleNoteRow

FIELDS = cast(Table, FieldRow.__table__)
CARD_TYPES = cast(Table, CardTypeRow.__table__)
SAMPLES = cast(Table, SampleNoteRow.__table__)
MEDIA = cast(Table, MediaRow.__table__)
# Built once: composing statements costs more than running them on a small note type.
_STORED = {
    table: select(table).where(table.c.notetype_id == bindparam("notetype_id"))
    for table in (FIELDS, CARD_TYPES, SAMPLES, MEDIA)
}
_MEDIA_DIGESTS = select(MEDIA.c.name, MEDIA.c.sha256).where(
    MEDIA.c.notetype_id == bindparam("notetype_id")
)
_UPDATE = {table: update(table).where(table.c.id == bindparam("row_id")) for table in _STORED}


def stored_media(session: Session, notetype_id: str) -> dict[str, str]:
    """The media digests of a stored note type, by name."""
    rows = session.execute(_MEDIA_DIGESTS, {"notetype_id": notetype_id})
    return dict(rows.all())


def sync(
    session: Session,
    notetype_id: str,
    bundle: NoteTypeBundle,
    media_hashes: Mapping[str, str],
    *,
    new: bool,
) -> None:
    """Write the child rows of ``bundle``, touching only rows that differ from the stored ones."""
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
    media = [{"name": name, "sha256": digest} for name, digest in media_hashes.items()]
    # A row is updated in place only when its unique columns stay: no constraint can trip.
    for table, wanted, keys in (
        (FIELDS, fields, ("ord", "name")),
        (CARD_TYPES, card_types, ("ord", "name")),
        (SAMPLES, samples, ("ord",)),
        (MEDIA, media, ("name",)),
    ):
        _sync_table(session, table, notetype_id, wanted, keys, new=new)


def _sync_table(
    session: Session,
    table: Table,
    notetype_id: str,
    wanted: Sequence[dict[str, Any]],
    keys: tuple[str, ...],
    *,
    new: bool,
) -> None:
    stored: dict[tuple[Any, ...], RowMapping] = {}
    if not new:
        rows = session.execute(_STORED[table], {"notetype_id": notetype_id})
        stored = {tuple(r[k] for k in keys): r for r in rows.mappings()}
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for row in wanted:
        have = stored.pop(tuple(row[k] for k in keys), None)
        if have is None:
            inserts.append({"notetype_id": notetype_id, **row})
        elif not all(_same(have[column], value) for column, value in row.items()):
            updates.append({"row_id": have["id"], **row})
    if stored:
        # Deletes go first: a new row may take the ord or name of a removed one.
        ids = [have["id"] for have in stored.values()]
        session.execute(delete(table).where(table.c.id.in_(ids)))
    if updates:
        session.execute(_UPDATE[table], updates)
    if inserts:
        session.execute(insert(table), inserts)


def _same(stored: object, value: object) -> bool:
    if type(stored) is not type(value):
        return False
    if isinstance(value, dict | list):
        # Key order is content too (sample field order), which == on dicts ignores.
        return json.dumps(stored) == json.dumps(value)
    return stored == value
