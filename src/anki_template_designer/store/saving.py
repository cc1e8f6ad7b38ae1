"""Saving a note type: the work done before the transaction, and the few statements inside it.

A save is split so that the database's write lock is held briefly. :func:`prepare`
(validation, JSON conversion: pure CPU) runs before the transaction begins; inside it,
:func:`write` diffs against the stored state and issues only the statements the change
needs. The stored state is read back (:func:`read_stored`) or, usually, taken from what
the previous save left behind (:class:`~.state_cache.StateCache`).

Editor saves fold: a save by the author of the current revision, with the same summary,
within ``fold`` of that revision's first save, replaces it with a new revision (new id,
so ``expected_revision`` still tells every other tab that something changed) instead of
adding one. History then shows one revision per burst of typing.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, delete, insert, select, update

from ..core.schema11 import to_schema11
from ..formats.bundle import NoteTypeBundle
from . import children
from .errors import DuplicateName, StoreError
from .records import Revision
from .rules import validate
from .snapshot import FORMAT, as_json, content_hash, media_digest, note_to_json
from .tables import MediaBlobRow, NoteTypeRow, RevisionMediaRow, RevisionRow
from .upserts import insert_new

NOTETYPES = cast(Table, NoteTypeRow.__table__)
REVISIONS = cast(Table, RevisionRow.__table__)
REVISION_MEDIA = cast(Table, RevisionMediaRow.__table__)
BLOBS = cast(Table, MediaBlobRow.__table__)
_ID_LENGTH = 32  # uuid4().hex

_REVISION_FIELDS = tuple(f.name for f in dataclasses.fields(Revision))
_HEAD = select(NOTETYPES.c.id, NOTETYPES.c.name, NOTETYPES.c.current_revision)
_HEAD_BY = {
    (column, lock): (
        _HEAD.where(NOTETYPES.c[column] == bindparam("key")).with_for_update()
        if lock
        else _HEAD.where(NOTETYPES.c[column] == bindparam("key"))
    )
    for column in ("id", "name")
    for lock in (False, True)
}
_READ_REVISION = select(*(REVISIONS.c[name] for name in _REVISION_FIELDS)).where(
    REVISIONS.c.id == bindparam("revision_id")
)
_ADD_REVISION = insert(REVISIONS).returning(REVISIONS.c.id)
_UPDATE_NOTETYPE = update(NOTETYPES).where(NOTETYPES.c.id == bindparam("key_id"))
_MOVE_REVISION_MEDIA = (
    update(REVISION_MEDIA)
    .where(REVISION_MEDIA.c.revision_id == bindparam("old"))
    .values(revision_id=bindparam("new"))
)
_DELETE_REVISION = delete(REVISIONS).where(REVISIONS.c.id == bindparam("old"))


@dataclass(frozen=True)
class Head:
    """A note type's identity and current revision, as locked by a write transaction."""

    id: str
    name: str
    current_revision: int


@dataclass(frozen=True)
class Stored:
    """A note type as its last committed save left it: what the next save diffs against."""

    notetype_id: str
    name: str
    revision: Revision
    rows: children.Keyed

    @property
    def media(self) -> dict[str, str]:
        """Media digests by name."""
        return children.media_of(self.rows)


@dataclass(frozen=True)
class Draft:
    """A bundle prepared for saving: checked, and converted to columns, rows and JSON."""

    bundle: NoteTypeBundle
    columns: dict[str, Any]
    rows: dict[Table, list[Any]]
    body: dict[str, Any]
    """The snapshot without its media (they may be the stored ones, known only later)."""
    media: Mapping[str, str] | None
    """Media digests by name; None: keep the stored media."""


def prepare(bundle: NoteTypeBundle, *, keep_media: bool = False) -> Draft:
    """Check and convert ``bundle``; with ``keep_media`` its media are ignored, the stored kept.

    Raises InvalidName, DuplicateName or InvalidContent for what the store must not hold.
    """
    validate(bundle)
    notetype = bundle.notetype
    where = f"note type {notetype.name!r}"
    media = None if keep_media else {n: media_digest(c) for n, c in bundle.media.items()}
    body = as_json(
        {
            "format": FORMAT,
            "notetype": to_schema11(notetype),
            "samples": [note_to_json(note) for note in bundle.samples],
        },
        where,
    )
    columns = {
        "name": notetype.name,
        "kind": int(notetype.kind),
        "css": notetype.css,
        "latex_pre": notetype.latex_pre,
        "latex_post": notetype.latex_post,
        "sort_field": notetype.sort_field,
        "anki_id": int(notetype.id) if notetype.id is not None else None,
        "extra": as_json(notetype.extra, f"{where} options"),
    }
    return Draft(bundle, columns, children.wanted(bundle, media or {}), body, media)


def find_head(
    connection: Connection, name_or_id: str, *, lock: bool, by_id: bool = True
) -> Head | None:
    """The note type with this stable id (``by_id``), else this exact name; None if none."""
    lookups = ["id", "name"] if by_id and len(name_or_id) == _ID_LENGTH else ["name"]
    for column in lookups:
        found = connection.execute(_HEAD_BY[column, lock], {"key": name_or_id}).one_or_none()
        if found is not None:
            return Head(*found)
    return None


def read_stored(connection: Connection, head: Head) -> Stored:
    """The stored state of the note type ``head`` names, read from the database."""
    found = connection.execute(_READ_REVISION, {"revision_id": head.current_revision})
    revision = found.one_or_none()
    if revision is None:
        raise StoreError(
            f"note type {head.name!r} points at revision {head.current_revision}, which is "
            "missing; the workspace database was changed by hand, restore it from a backup"
        )
    rows = children.read(connection, head.id)
    return Stored(head.id, head.name, Revision(*revision), rows)


def write(
    connection: Connection,
    draft: Draft,
    stored: Stored | None,
    *,
    author: str,
    summary: str,
    now: datetime,
    fold: timedelta | None = None,
) -> tuple[Revision, Stored]:
    """Store ``draft`` over ``stored`` (None: a new note type); the revision and new state.

    Content equal to the current revision's writes nothing and returns that revision.
    Every StoreError (a taken name, content that is not JSON) is raised before the first
    write, so a caller may go on in the same transaction after one (the write queue does).
    """
    media = dict(draft.media if draft.media is not None else stored.media if stored else {})
    snapshot = {**draft.body, "media": as_json(dict(sorted(media.items())), "media names")}
    digest = content_hash(snapshot)
    if stored is not None and stored.revision.content_hash == digest:
        return stored.revision, stored
    _check_name_free(connection, draft.columns["name"], stored)
    rows = draft.rows if draft.media is not None else {**draft.rows, **_media_rows(media)}
    if stored is None:
        notetype_id = uuid.uuid4().hex
        new_row = {"id": notetype_id, "current_revision": 0, "created_at": now}
        connection.execute(insert(NOTETYPES), {**new_row, **draft.columns, "updated_at": now})
    else:
        notetype_id = stored.notetype_id
    stored_media = stored.media if stored else {}
    _insert_blobs(connection, draft.bundle.media, media, stored_media)
    children.sync(connection, notetype_id, stored.rows if stored else None, rows)
    folded = (
        fold is not None
        and stored is not None
        and stored.revision.author == author
        and stored.revision.summary == summary
        and now - stored.revision.started_at < fold
        and stored_media == media
    )
    started_at = stored.revision.started_at if folded and stored else now
    values = {
        "notetype_id": notetype_id,
        "author": author,
        "created_at": now,
        "started_at": started_at,
        "content_hash": digest,
        "summary": summary,
    }
    revision_id: int = connection.execute(
        _ADD_REVISION, {**values, "snapshot": snapshot}
    ).scalar_one()
    if folded and stored:
        old = stored.revision.id
        if media:
            connection.execute(_MOVE_REVISION_MEDIA, {"old": old, "new": revision_id})
        connection.execute(_DELETE_REVISION, {"old": old})
    elif media:
        links = [{"revision_id": revision_id, "name": n, "sha256": d} for n, d in media.items()]
        connection.execute(insert(REVISION_MEDIA), links)
    connection.execute(
        _UPDATE_NOTETYPE,
        {
            "key_id": notetype_id,
            **draft.columns,
            "current_revision": revision_id,
            "updated_at": now,
        },
    )
    revision = Revision(
        id=revision_id,
        notetype_id=notetype_id,
        author=author,
        created_at=now,
        content_hash=digest,
        summary=summary,
        started_at=started_at,
    )
    state = Stored(notetype_id, draft.columns["name"], revision, children.keyed(rows))
    return revision, state


def _media_rows(media: Mapping[str, str]) -> dict[Table, list[Any]]:
    return {children.MEDIA: [{"name": n, "sha256": d} for n, d in sorted(media.items())]}


def _check_name_free(connection: Connection, name: str, stored: Stored | None) -> None:
    # Names are unique, so a note type keeping its own name cannot clash.
    if stored is not None and stored.name == name:
        return
    clash = connection.execute(_HEAD_BY["name", False], {"key": name}).first()
    if clash is not None and (stored is None or clash.id != stored.notetype_id):
        raise DuplicateName(f"a note type named {name!r} already exists; choose another name")


def _insert_blobs(
    connection: Connection,
    content: Mapping[str, bytes],
    media: Mapping[str, str],
    stored_media: Mapping[str, str],
) -> None:
    wanted = {
        media[name]: bytes(data)
        for name, data in content.items()
        if name in media and stored_media.get(name) != media[name]
    }
    if not wanted:
        return
    present = set(
        connection.scalars(select(BLOBS.c.sha256).where(BLOBS.c.sha256.in_(list(wanted))))
    )
    rows = [
        {"sha256": digest, "size": len(data), "content": data}
        for digest, data in wanted.items()
        if digest not in present
    ]
    if not rows:
        return
    # Another writer may add the same content at the same moment; identical bytes, so skip.
    insert_new(connection, BLOBS, rows)
