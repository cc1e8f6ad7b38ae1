"""Queries on an Anki collection database (schema 11 or 18): note types and sample notes."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..core.model import Note, NoteType
from .anki_notetypes import notetypes_from_schema11, notetypes_from_schema18
from .errors import PackageError

_FIELD_SEPARATOR = "\x1f"


class CollectionFile:
    """A read-only view of one collection database."""

    def __init__(self, db: sqlite3.Connection, where: str) -> None:
        self._db = db
        self._where = where
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"col", "notes", "cards"} <= tables:
            raise PackageError(
                f"{where}: this SQLite file is not an Anki collection (it has no "
                "'col', 'notes' and 'cards' tables). Choose an .apkg, .colpkg or an Anki "
                "profile's collection.anki2."
            )
        self._schema18 = {"notetypes", "fields", "templates", "decks"} <= tables
        self._deck_names: dict[int, str] | None = None

    def notetypes(self) -> list[dict[str, Any]]:
        """Every note type as the schema-11 dict ``col.models.get`` returns, ordered by id."""
        if self._schema18:
            return notetypes_from_schema18(self._db, self._where)
        row = self._db.execute("SELECT models FROM col").fetchone()
        if row is None:
            raise PackageError(f"{self._where}: the collection's 'col' table is empty.")
        return notetypes_from_schema11(row[0], self._where)

    def sample_notes(self, notetype: NoteType, limit: int) -> list[Note]:
        """The ``limit`` oldest notes of ``notetype``, with deck, flag and ids of their cards."""
        if limit == 0 or notetype.id is None:
            return []
        rows = self._db.execute(
            "SELECT id, flds, tags FROM notes WHERE mid = ? ORDER BY id LIMIT ?",
            (int(notetype.id), limit),
        ).fetchall()
        if not rows:
            return []
        cards: dict[int, list[tuple[int, int, int, int]]] = {}
        marks = ",".join("?" * len(rows))
        for nid, ord_, cid, did, flags in self._db.execute(
            f"SELECT nid, ord, id, did, flags FROM cards WHERE nid IN ({marks}) ORDER BY ord",
            [row[0] for row in rows],
        ):
            cards.setdefault(nid, []).append((ord_, cid, did, flags))
        names = notetype.field_names
        notes = []
        for nid, flds, tags in rows:
            values = flds.split(_FIELD_SEPARATOR)
            # A damaged note may have too few fields (the rest read as empty) or too many.
            values += [""] * (len(names) - len(values))
            own_cards = cards.get(nid, [])
            first = own_cards[0] if own_cards else None
            notes.append(
                Note(
                    fields=MappingProxyType(dict(zip(names, values, strict=False))),
                    tags=tuple(tags.split()),
                    deck=self._deck_name(first[2]) if first else "Default",
                    flag=(first[3] & 0b111) if first else 0,
                    card_ids=MappingProxyType({o: c for o, c, _, _ in own_cards}),
                )
            )
        return notes

    def _deck_name(self, deck_id: int) -> str:
        if self._deck_names is None:
            self._deck_names = self._load_deck_names()
        return self._deck_names.get(deck_id, "Default")

    def _load_deck_names(self) -> dict[int, str]:
        if self._schema18:
            return {
                did: name.replace(_FIELD_SEPARATOR, "::")
                for did, name in self._db.execute("SELECT id, name FROM decks")
            }
        row = self._db.execute("SELECT decks FROM col").fetchone()
        try:
            decks = json.loads(row[0]) if row else {}
        except (ValueError, TypeError):
            return {}
        if not isinstance(decks, dict):
            return {}
        return {
            int(k): d["name"]
            for k, d in decks.items()
            if k.lstrip("-").isdigit() and isinstance(d, dict) and isinstance(d.get("name"), str)
        }


@contextmanager
def open_collection(path: Path, where: str) -> Iterator[CollectionFile]:
    """Open a collection database this program owns (a temp copy) and check it is Anki's."""
    try:
        db = sqlite3.connect(path)
    except sqlite3.Error as exc:
        raise PackageError(f"{where}: cannot open the collection database ({exc}).") from None
    try:
        try:
            collection = CollectionFile(db, where)
            yield collection
        except sqlite3.DatabaseError as exc:
            raise PackageError(
                f"{where}: not a readable Anki collection ({exc}). Export it from Anki again, "
                "or run Tools > Check Database first."
            ) from None
    finally:
        db.close()
