"""Reading and writing note types inside one session; the Workspace owns the transactions."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any, cast

from sqlalchemy import Table, delete, insert, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..core.model import CardTemplate, DeckId, Field, NoteType, NotetypeId, NoteTypeKind
from ..formats.bundle import NoteTypeBundle
from . import children
from .errors import Conflict, DuplicateName, InvalidContent, NotFound
from .names import check_card_type_name, check_field_name, check_media_name, check_notetype_name
from .records import Revision
from .snapshot import (
    as_json,
    content_hash,
    make_snapshot,
    media_digest,
    note_from_json,
)
from .tables import (
    CardTypeRow,
    FieldRow,
    MediaBlobRow,
    MediaRow,
    NoteTypeRow,
    RevisionMediaRow,
    RevisionRow,
    SampleNoteRow,
)

_ID_LENGTH = 32  # uuid4().hex
_REVISION_COLUMNS = (
    RevisionRow.id,
    RevisionRow.notetype_id,
    RevisionRow.author,
    RevisionRow.created_at,
    RevisionRow.content_hash,
    RevisionRow.summary,
)
_REVISIONS = cast(Table, RevisionRow.__table__)
_REVISION_MEDIA = cast(Table, RevisionMediaRow.__table__)


def find_notetype(session: Session, name_or_id: str, *, lock: bool = False) -> NoteTypeRow:
    """The note type with this stable id, else this exact name; raise NotFound."""
    row = find_notetype_or_none(session, name_or_id, lock=lock)
    if row is None:
        raise NotFound(f"no note type {name_or_id!r} in this workspace; check the name or id")
    return row


def find_notetype_or_none(
    session: Session, name_or_id: str, *, lock: bool = False, by_id: bool = True
) -> NoteTypeRow | None:
    """Like :func:`find_notetype`, but None when there is none; ``by_id=False``: names only."""
    conditions = [NoteTypeRow.name == name_or_id]
    if by_id and len(name_or_id) == _ID_LENGTH:
        conditions.insert(0, NoteTypeRow.id == name_or_id)
    for condition in conditions:
        query = select(NoteTypeRow).where(condition)
        if lock:
            query = query.with_for_update()
        row = session.scalars(query).one_or_none()
        if row is not None:
            return row
    return None


def revision_record(row: RevisionRow) -> Revision:
    """The detached value for a revision row."""
    return Revision(
        id=row.id,
        notetype_id=row.notetype_id,
        author=row.author,
        created_at=row.created_at,
        content_hash=row.content_hash,
        summary=row.summary,
    )


def find_revision(session: Session, revision_id: int) -> RevisionRow:
    """The revision with this id; raise NotFound."""
    row = session.get(RevisionRow, revision_id)
    if row is None:
        raise NotFound(f"no revision {revision_id} in this workspace; list a note type's revisions")
    return row


def load_bundle(session: Session, row: NoteTypeRow) -> NoteTypeBundle:
    """The current note type, samples and media of ``row``."""
    fields = session.scalars(
        select(FieldRow).where(FieldRow.notetype_id == row.id).order_by(FieldRow.ord)
    )
    card_types = session.scalars(
        select(CardTypeRow).where(CardTypeRow.notetype_id == row.id).order_by(CardTypeRow.ord)
    )
    samples = session.scalars(
        select(SampleNoteRow).where(SampleNoteRow.notetype_id == row.id).order_by(SampleNoteRow.ord)
    )
    media = session.execute(
        select(MediaRow.name, MediaBlobRow.content)
        .join(MediaBlobRow, MediaBlobRow.sha256 == MediaRow.sha256)
        .where(MediaRow.notetype_id == row.id)
        .order_by(MediaRow.name)
    )
    notetype = NoteType(
        name=row.name,
        fields=tuple(Field(f.name, MappingProxyType(dict(f.options))) for f in fields),
        templates=tuple(_card_template(t) for t in card_types),
        css=row.css,
        kind=NoteTypeKind(row.kind),
        id=NotetypeId(row.anki_id) if row.anki_id is not None else None,
        sort_field=row.sort_field,
        latex_pre=row.latex_pre,
        latex_post=row.latex_post,
        extra=MappingProxyType(dict(row.extra)),
    )
    return NoteTypeBundle(
        notetype=notetype,
        samples=tuple(note_from_json(_sample_json(s)) for s in samples),
        media=MappingProxyType(dict(media.all())),
    )


def _card_template(row: CardTypeRow) -> CardTemplate:
    return CardTemplate(
        name=row.name,
        front=row.front,
        back=row.back,
        browser_front=row.browser_front,
        browser_back=row.browser_back,
        deck_override=DeckId(row.deck_override) if row.deck_override is not None else None,
        extra=MappingProxyType(dict(row.options)),
    )


def _sample_json(row: SampleNoteRow) -> dict[str, Any]:
    return {
        "fields": row.fields,
        "tags": row.tags,
        "deck": row.deck,
        "flag": row.flag,
        "card_ids": row.card_ids,
    }


def blobs(session: Session, digests: Iterable[str]) -> dict[str, bytes]:
    """The bytes of each media blob, by digest."""
    wanted = set(digests)
    if not wanted:
        return {}
    rows = session.execute(
        select(MediaBlobRow.sha256, MediaBlobRow.content).where(MediaBlobRow.sha256.in_(wanted))
    )
    return dict(rows.all())


def validate(bundle: NoteTypeBundle) -> None:
    """Raise InvalidName, DuplicateName or InvalidContent for a bundle the store must not hold."""
    notetype = bundle.notetype
    check_notetype_name(notetype.name)
    where = f"note type {notetype.name!r}"
    if not notetype.fields:
        raise InvalidContent(f"{where} has no fields; Anki needs at least one")
    if not notetype.templates:
        raise InvalidContent(f"{where} has no card types; Anki needs at least one")
    for what, names, check in (
        ("field", [f.name for f in notetype.fields], check_field_name),
        ("card type", [t.name for t in notetype.templates], check_card_type_name),
    ):
        for name in names:
            check(name)
        twice = sorted(name for name, count in Counter(names).items() if count > 1)
        if twice:
            raise DuplicateName(f"{where} has two {what}s named {twice[0]!r}; rename one")
    for name in bundle.media:
        check_media_name(name)
    for index, note in enumerate(bundle.samples):
        if not 0 <= note.flag <= 7:
            raise InvalidContent(f"{where}: sample note {index + 1} has flag {note.flag}, not 0-7")


def check_expected(row: NoteTypeRow | None, expected_revision: int | None, name: str) -> None:
    """Raise Conflict unless ``expected_revision`` is None or the note type's current revision."""
    if expected_revision is None:
        return
    if row is None:
        raise Conflict(
            f"note type {name!r} was deleted or renamed after revision {expected_revision}; "
            "reload it before saving",
            expected=expected_revision,
            current=None,
        )
    if row.current_revision != expected_revision:
        raise Conflict(
            f"note type {row.name!r} changed since revision {expected_revision} (now at "
            f"revision {row.current_revision}); reload it and apply your edit again",
            expected=expected_revision,
            current=row.current_revision,
        )


def save(
    session: Session,
    bundle: NoteTypeBundle,
    *,
    row: NoteTypeRow | None,
    author: str,
    summary: str,
) -> Revision:
    """Store ``bundle`` as the new state of ``row`` (or a new note type) with one revision."""
    validate(bundle)
    media_hashes = {name: media_digest(content) for name, content in bundle.media.items()}
    snapshot = make_snapshot(bundle, media_hashes)
    digest = content_hash(snapshot)
    if row is not None:
        # Columns only: loading the snapshot would parse the whole previous state.
        current = session.execute(
            select(*_REVISION_COLUMNS).where(RevisionRow.id == row.current_revision)
        ).one_or_none()
        if current is not None and current.content_hash == digest:
            return Revision(**current._mapping)
    name = bundle.notetype.name
    # Names are unique, so a note type keeping its own name cannot clash.
    if row is None or row.name != name:
        clash = session.scalars(select(NoteTypeRow.id).where(NoteTypeRow.name == name)).first()
        if clash is not None and (row is None or clash != row.id):
            raise DuplicateName(f"a note type named {name!r} already exists; choose another name")
    now = datetime.now(UTC)
    new = row is None
    with session.no_autoflush:
        if row is None:
            row = NoteTypeRow(id=uuid.uuid4().hex, current_revision=0, created_at=now)
            session.add(row)
        _write_columns(row, bundle.notetype, now)
        if new:
            session.flush()  # children and the revision refer to the new row
        known = {} if new else children.stored_media(session, row.id)
        fresh = {n: c for n, c in bundle.media.items() if known.get(n) != media_hashes[n]}
        _insert_blobs(session, fresh, media_hashes)
        children.sync(session, row.id, bundle, media_hashes, new=new)
        revision_id = session.execute(
            insert(_REVISIONS)
            .values(
                notetype_id=row.id,
                author=author,
                created_at=now,
                content_hash=digest,
                summary=summary,
                snapshot=snapshot,
            )
            .returning(_REVISIONS.c.id)
        ).scalar_one()
        media = media_hashes.items()
        if media:
            session.execute(
                insert(_REVISION_MEDIA),
                [{"revision_id": revision_id, "name": n, "sha256": d} for n, d in media],
            )
        row.current_revision = revision_id
    session.flush()
    return Revision(
        id=revision_id,
        notetype_id=row.id,
        author=author,
        created_at=now,
        content_hash=digest,
        summary=summary,
    )


def _write_columns(row: NoteTypeRow, notetype: NoteType, now: datetime) -> None:
    where = f"note type {notetype.name!r}"
    row.name = notetype.name
    row.kind = int(notetype.kind)
    row.css = notetype.css
    row.latex_pre = notetype.latex_pre
    row.latex_post = notetype.latex_post
    row.sort_field = notetype.sort_field
    row.anki_id = int(notetype.id) if notetype.id is not None else None
    row.extra = as_json(notetype.extra, f"{where} options")
    row.updated_at = now


def _insert_blobs(
    session: Session, media: Mapping[str, bytes], media_hashes: Mapping[str, str]
) -> None:
    wanted = {media_hashes[name]: bytes(content) for name, content in media.items()}
    if not wanted:
        return
    present = set(
        session.scalars(select(MediaBlobRow.sha256).where(MediaBlobRow.sha256.in_(wanted)))
    )
    rows = [
        {"sha256": digest, "size": len(content), "content": content}
        for digest, content in wanted.items()
        if digest not in present
    ]
    if not rows:
        return
    # Another writer may add the same content at the same moment; identical bytes, so skip.
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(postgresql_insert(MediaBlobRow).on_conflict_do_nothing(), rows)
    elif dialect == "sqlite":
        session.execute(sqlite_insert(MediaBlobRow).on_conflict_do_nothing(), rows)
    else:
        session.execute(insert(MediaBlobRow), rows)


def delete_notetype(session: Session, row: NoteTypeRow) -> None:
    """Delete a note type with its revisions, then every media blob nothing else uses."""
    digests = set(session.scalars(select(MediaRow.sha256).where(MediaRow.notetype_id == row.id)))
    digests.update(
        session.scalars(
            select(RevisionMediaRow.sha256)
            .join(RevisionRow, RevisionRow.id == RevisionMediaRow.revision_id)
            .where(RevisionRow.notetype_id == row.id)
        )
    )
    # Children go explicitly too: a database without ON DELETE CASCADE must not keep orphans.
    revision_ids = select(RevisionRow.id).where(RevisionRow.notetype_id == row.id)
    session.execute(delete(RevisionMediaRow).where(RevisionMediaRow.revision_id.in_(revision_ids)))
    for table in (FieldRow, CardTypeRow, SampleNoteRow, MediaRow, RevisionRow):
        session.execute(delete(table).where(table.notetype_id == row.id))
    session.execute(delete(NoteTypeRow).where(NoteTypeRow.id == row.id))
    if not digests:
        return
    used = set(session.scalars(select(MediaRow.sha256).where(MediaRow.sha256.in_(digests))))
    used.update(
        session.scalars(select(RevisionMediaRow.sha256).where(RevisionMediaRow.sha256.in_(digests)))
    )
    unused = digests - used
    if unused:
        session.execute(delete(MediaBlobRow).where(MediaBlobRow.sha256.in_(unused)))
