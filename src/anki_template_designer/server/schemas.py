"""The API's request and response bodies, and their conversion to and from the domain model."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..core import model
from ..formats.bundle import NoteTypeBundle
from ..store.records import NoteTypeSummary, Revision


class Kind(StrEnum):
    """A note type's kind."""

    standard = "standard"
    cloze = "cloze"

    def model_kind(self) -> model.NoteTypeKind:
        """The domain's kind."""
        return model.NoteTypeKind.CLOZE if self is Kind.cloze else model.NoteTypeKind.STANDARD


class Body(BaseModel):
    """Base of every body: unknown keys are an error, so typos do not pass silently."""

    model_config = ConfigDict(extra="forbid")


class FieldDoc(Body):
    """One field; ``options`` keeps what Anki stores that the designer does not edit."""

    name: str
    options: dict[str, Any] = Field(default_factory=dict)


class CardTypeDoc(Body):
    """One card type: front and back templates, plus the browser's own templates."""

    name: str
    front: str
    back: str
    browser_front: str = ""
    browser_back: str = ""
    deck_override: int | None = None
    options: dict[str, Any] = Field(default_factory=dict)


class NoteTypeDoc(Body):
    """A note type as the designer edits it."""

    name: str
    kind: Kind = Kind.standard
    fields: list[FieldDoc] = Field(min_length=1)
    card_types: list[CardTypeDoc] = Field(min_length=1)
    css: str = ""
    sort_field: int = 0
    latex_pre: str = ""
    latex_post: str = ""
    anki_id: int | None = None
    options: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def of(cls, notetype: model.NoteType) -> NoteTypeDoc:
        """The document for a domain note type."""
        return cls(
            name=notetype.name,
            kind=Kind.cloze if notetype.is_cloze else Kind.standard,
            fields=[FieldDoc(name=f.name, options=dict(f.extra)) for f in notetype.fields],
            card_types=[
                CardTypeDoc(
                    name=t.name,
                    front=t.front,
                    back=t.back,
                    browser_front=t.browser_front,
                    browser_back=t.browser_back,
                    deck_override=t.deck_override,
                    options=dict(t.extra),
                )
                for t in notetype.templates
            ],
            css=notetype.css,
            sort_field=notetype.sort_field,
            latex_pre=notetype.latex_pre,
            latex_post=notetype.latex_post,
            anki_id=notetype.id,
            options=dict(notetype.extra),
        )

    def to_model(self) -> model.NoteType:
        """The domain note type."""
        return model.NoteType(
            name=self.name,
            fields=tuple(model.Field(f.name, MappingProxyType(f.options)) for f in self.fields),
            templates=tuple(
                model.CardTemplate(
                    name=t.name,
                    front=t.front,
                    back=t.back,
                    browser_front=t.browser_front,
                    browser_back=t.browser_back,
                    deck_override=model.DeckId(t.deck_override)
                    if t.deck_override is not None
                    else None,
                    extra=MappingProxyType(t.options),
                )
                for t in self.card_types
            ),
            css=self.css,
            kind=self.kind.model_kind(),
            id=model.NotetypeId(self.anki_id) if self.anki_id is not None else None,
            sort_field=self.sort_field,
            latex_pre=self.latex_pre,
            latex_post=self.latex_post,
            extra=MappingProxyType(self.options),
        )


class SampleDoc(Body):
    """A sample note: field values by name, tags, deck, flag and card ids for ``{{CardID}}``."""

    fields: dict[str, str] = Field(default_factory=dict)
    tags: list[str] = Field(default_factory=list)
    deck: str = Field(default="Default", min_length=1)
    flag: int = Field(default=0, ge=0, le=7)
    card_ids: dict[int, int] = Field(default_factory=dict)

    @classmethod
    def of(cls, note: model.Note) -> SampleDoc:
        """The document for a domain note."""
        return cls(
            fields=dict(note.fields),
            tags=list(note.tags),
            deck=note.deck,
            flag=note.flag,
            card_ids=dict(note.card_ids),
        )

    def to_model(self) -> model.Note:
        """The domain note."""
        return model.Note(
            fields=MappingProxyType(dict(self.fields)),
            tags=tuple(self.tags),
            deck=self.deck,
            flag=self.flag,
            card_ids=MappingProxyType(dict(self.card_ids)),
        )


class MediaDoc(BaseModel):
    """A media file of a note type (its bytes are at ``/api/notetypes/{id}/media/{name}``)."""

    name: str
    size: int


class SummaryDoc(BaseModel):
    """A note type as the library lists it; pass ``revision`` back when saving."""

    id: str
    name: str
    kind: Kind
    revision: int
    field_names: list[str]
    card_type_names: list[str]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, summary: NoteTypeSummary) -> SummaryDoc:
        """The document for a store summary."""
        return cls(
            id=summary.id,
            name=summary.name,
            kind=Kind.cloze if summary.kind is model.NoteTypeKind.CLOZE else Kind.standard,
            revision=summary.current_revision,
            field_names=list(summary.field_names),
            card_type_names=list(summary.card_type_names),
            created_at=summary.created_at,
            updated_at=summary.updated_at,
        )


class RevisionDoc(BaseModel):
    """One saved state of a note type."""

    id: int
    notetype_id: str
    author: str
    created_at: datetime
    content_hash: str
    summary: str

    @classmethod
    def of(cls, revision: Revision) -> RevisionDoc:
        """The document for a store revision."""
        return cls(
            id=revision.id,
            notetype_id=revision.notetype_id,
            author=revision.author,
            created_at=revision.created_at,
            content_hash=revision.content_hash,
            summary=revision.summary,
        )


class ContentDoc(BaseModel):
    """A note type with its samples and media list."""

    notetype: NoteTypeDoc
    samples: list[SampleDoc]
    media: list[MediaDoc]

    @classmethod
    def of(cls, bundle: NoteTypeBundle) -> ContentDoc:
        """The document for a bundle (media as names and sizes)."""
        return cls(
            notetype=NoteTypeDoc.of(bundle.notetype),
            samples=[SampleDoc.of(note) for note in bundle.samples],
            media=[MediaDoc(name=n, size=len(c)) for n, c in sorted(bundle.media.items())],
        )


class NoteTypeDocument(ContentDoc):
    """A note type in the workspace: content plus its id and current revision."""

    id: str
    revision: int


class RevisionContentDoc(ContentDoc):
    """A past revision and what it saved."""

    revision: RevisionDoc
