"""What the store hands back: plain immutable values, detached from any database session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..core.model import NoteTypeKind
from ..formats.bundle import NoteTypeBundle


@dataclass(frozen=True)
class Revision:
    """One saved state of a note type: who saved it, when, and a hash of its content.

    ``created_at`` is when this state was saved; ``started_at`` when the first of the
    editor saves folded into this revision was (the same time for a single save).
    """

    id: int
    notetype_id: str
    author: str
    created_at: datetime
    content_hash: str
    summary: str
    started_at: datetime


@dataclass(frozen=True)
class RevisionContent:
    """A revision together with the note type, samples and media it saved."""

    revision: Revision
    bundle: NoteTypeBundle


@dataclass(frozen=True)
class NoteTypeSummary:
    """A note type as the library lists it; ``current_revision`` is what to pass on save."""

    id: str
    name: str
    kind: NoteTypeKind
    current_revision: int
    field_names: tuple[str, ...]
    card_type_names: tuple[str, ...]
    created_at: datetime
    updated_at: datetime
