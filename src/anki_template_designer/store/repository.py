"""Reading note types inside one session, and deleting them; the Workspace owns transactions."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any, cast

from sqlalchemy import Table, delete, select
from sqlalchemy.orm import Session

from ..core.model import CardTemplate, DeckId, Field, NoteType, NotetypeId, NoteTypeKind
from ..formats.bundle import NoteTypeBundle
from .errors import NotFound
from .records import NoteTypeSummary, Revision
from .snapshot import note_from_json
from .tables import (
    CardTypeRow,
    FieldRow,
    MediaBlobRow,
    MediaRow,
    MetaRow,
    NoteTypeRow,
    RevisionMediaRow,
    RevisionRow,
    SampleNoteRow,
)
from .upserts import insert_new

_ID_LENGTH = 32  # uuid4().hex


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
        started_at=row.started_at,
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


def delete_notetype(session: Session, notetype_id: str) -> None:
    """Delete a note type with its revisions, then every media blob nothing else uses."""
    digests = set(
        session.scalars(select(MediaRow.sha256).where(MediaRow.notetype_id == notetype_id))
    )
    digests.update(
        session.scalars(
            select(RevisionMediaRow.sha256)
            .join(RevisionRow, RevisionRow.id == RevisionMediaRow.revision_id)
            .where(RevisionRow.notetype_id == notetype_id)
        )
    )
    # Children go explicitly too: a database without ON DELETE CASCADE must not keep orphans.
    revision_ids = select(RevisionRow.id).where(RevisionRow.notetype_id == notetype_id)
    session.execute(delete(RevisionMediaRow).where(RevisionMediaRow.revision_id.in_(revision_ids)))
    for table in (FieldRow, CardTypeRow, SampleNoteRow, MediaRow, RevisionRow):
        session.execute(delete(table).where(table.notetype_id == notetype_id))
    session.execute(delete(NoteTypeRow).where(NoteTypeRow.id == notetype_id))
    if not digests:
        return
    used = set(session.scalars(select(MediaRow.sha256).where(MediaRow.sha256.in_(digests))))
    used.update(
        session.scalars(select(RevisionMediaRow.sha256).where(RevisionMediaRow.sha256.in_(digests)))
    )
    unused = digests - used
    if unused:
        session.execute(delete(MediaBlobRow).where(MediaBlobRow.sha256.in_(unused)))


def summaries(session: Session, rows: list[NoteTypeRow]) -> list[NoteTypeSummary]:
    """The library entries of ``rows`` (field and card type names read in two queries)."""
    ids = [row.id for row in rows]
    fields: dict[str, list[str]] = {id_: [] for id_ in ids}
    cards: dict[str, list[str]] = {id_: [] for id_ in ids}
    for target, table in ((fields, FieldRow), (cards, CardTypeRow)):
        query = (
            select(table.notetype_id, table.name)
            .where(table.notetype_id.in_(ids))
            .order_by(table.notetype_id, table.ord)
        )
        for notetype_id, name in session.execute(query).all():
            target[notetype_id].append(name)
    return [
        NoteTypeSummary(
            id=row.id,
            name=row.name,
            kind=NoteTypeKind(row.kind),
            current_revision=row.current_revision,
            field_names=tuple(fields[row.id]),
            card_type_names=tuple(cards[row.id]),
            created_at=row.created_at,
            updated_at=row.updated_at,
        )
        for row in rows
    ]


def ensure_meta(session: Session) -> None:
    """Record the workspace's facts (id, creation time) unless already there."""
    facts = {"workspace_id": uuid.uuid4().hex, "created_at": datetime.now(UTC).isoformat()}
    rows = [{"key": key, "value": value} for key, value in facts.items()]
    insert_new(session, cast(Table, MetaRow.__table__), rows)
