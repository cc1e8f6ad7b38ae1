"""The workspace database: SQLAlchemy 2 typed ORM tables.

The tables hold each note type's current state in columns a server can query
(note types, fields, card types, sample notes, media); ``revisions`` keep every
saved state as one JSON snapshot, so history never depends on today's columns.

Media bytes live in the database, content-addressed by SHA-256 in
``media_blobs`` and shared by every note type and revision that uses the same
file. The database is the one source of truth: the same schema works on
PostgreSQL with several server instances and no shared disk, a media write
commits or rolls back with the revision that needs it, and a backup is one
file. Template media (fonts, images) are small, so this costs little.
Nothing is pickled: options and snapshots are JSON.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so later migrations (and SQLite batch mode) can address them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite stores no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("store times must be timezone-aware")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None or value.tzinfo is not None:
            return value
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    """Declarative base holding the store's metadata."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: JSON,
        list[Any]: JSON,
        datetime: UTCDateTime,
    }


class MetaRow(Base):
    """Workspace facts: ``workspace_id``, ``created_at``."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String, primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class NoteTypeRow(Base):
    """A note type's current state; ``id`` is the workspace's stable id (32 hex chars)."""

    __tablename__ = "notetypes"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String, unique=True)
    kind: Mapped[int] = mapped_column(Integer)
    css: Mapped[str] = mapped_column(Text)
    latex_pre: Mapped[str] = mapped_column(Text)
    latex_post: Mapped[str] = mapped_column(Text)
    sort_field: Mapped[int] = mapped_column(Integer)
    # Anki's own note type id (ms timestamp), kept for round trips; not unique here.
    anki_id: Mapped[int | None] = mapped_column(BigInteger)
    extra: Mapped[dict[str, Any]]
    # Always the newest revision; not a foreign key, to avoid a notetype ↔ revision cycle.
    current_revision: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class FieldRow(Base):
    """One field of a note type, at position ``ord``; ``options`` are Anki's other keys."""

    __tablename__ = "fields"
    __table_args__ = (
        UniqueConstraint("notetype_id", "ord", name="uq_fields_notetype_id_ord"),
        UniqueConstraint("notetype_id", "name", name="uq_fields_notetype_id_name"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notetype_id: Mapped[str] = mapped_column(ForeignKey("notetypes.id", ondelete="CASCADE"))
    ord: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String)
    options: Mapped[dict[str, Any]]


class CardTypeRow(Base):
    """One card type (template) of a note type, at position ``ord``."""

    __tablename__ = "card_types"
    __table_args__ = (
        UniqueConstraint("notetype_id", "ord", name="uq_card_types_notetype_id_ord"),
        UniqueConstraint("notetype_id", "name", name="uq_card_types_notetype_id_name"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notetype_id: Mapped[str] = mapped_column(ForeignKey("notetypes.id", ondelete="CASCADE"))
    ord: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String)
    front: Mapped[str] = mapped_column(Text)
    back: Mapped[str] = mapped_column(Text)
    browser_front: Mapped[str] = mapped_column(Text)
    browser_back: Mapped[str] = mapped_column(Text)
    deck_override: Mapped[int | None] = mapped_column(BigInteger)
    options: Mapped[dict[str, Any]]


class SampleNoteRow(Base):
    """A sample note for previews: field values by name, tags, deck, flag, card ids."""

    __tablename__ = "sample_notes"
    __table_args__ = (
        UniqueConstraint("notetype_id", "ord", name="uq_sample_notes_notetype_id_ord"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notetype_id: Mapped[str] = mapped_column(ForeignKey("notetypes.id", ondelete="CASCADE"))
    ord: Mapped[int] = mapped_column(Integer)
    fields: Mapped[dict[str, Any]]
    tags: Mapped[list[Any]]
    deck: Mapped[str] = mapped_column(String)
    flag: Mapped[int] = mapped_column(Integer)
    card_ids: Mapped[dict[str, Any]]


class MediaBlobRow(Base):
    """Media bytes, stored once per distinct content."""

    __tablename__ = "media_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class MediaRow(Base):
    """A media file of a note type: its name and which blob holds its bytes."""

    __tablename__ = "media"
    __table_args__ = (UniqueConstraint("notetype_id", "name", name="uq_media_notetype_id_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notetype_id: Mapped[str] = mapped_column(ForeignKey("notetypes.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String)
    sha256: Mapped[str] = mapped_column(ForeignKey("media_blobs.sha256"), index=True)


class RevisionRow(Base):
    """One saved state of a note type: who, when, content hash and the full JSON snapshot."""

    __tablename__ = "revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notetype_id: Mapped[str] = mapped_column(
        ForeignKey("notetypes.id", ondelete="CASCADE"), index=True
    )
    author: Mapped[str] = mapped_column(String)
    # When the saved state was made; ``started_at``: when the first save folded into it was.
    created_at: Mapped[datetime]
    started_at: Mapped[datetime]
    content_hash: Mapped[str] = mapped_column(String(64))
    # What the save was ("import", "rename field 'A' to 'B'", "restore revision 3").
    summary: Mapped[str] = mapped_column(Text)
    snapshot: Mapped[dict[str, Any]]


class RevisionMediaRow(Base):
    """Which blobs a revision's snapshot uses, so unused blobs can be found by a query."""

    __tablename__ = "revision_media"

    revision_id: Mapped[int] = mapped_column(
        ForeignKey("revisions.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String, primary_key=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("media_blobs.sha256"), index=True)


class PerfSampleRow(Base):
    """One minute of one operation's latency (or one note type's render time), for trends.

    ``at`` is the minute's end in whole seconds since the epoch (UTC): an integer, so both
    SQLite and PostgreSQL group rows into hours or days with integer division.
    """

    __tablename__ = "perf_samples"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[int] = mapped_column(BigInteger, index=True)
    kind: Mapped[str] = mapped_column(String(16))  # "request" or "render"
    operation: Mapped[str] = mapped_column(String)
    count: Mapped[int] = mapped_column(Integer)
    errors: Mapped[int] = mapped_column(Integer)
    p50_ms: Mapped[float] = mapped_column(Float)
    p95_ms: Mapped[float] = mapped_column(Float)
    p99_ms: Mapped[float] = mapped_column(Float)


class PerfBudgetRow(Base):
    """A p95 latency budget: an operation, or a pattern ending in ``*``, and its milliseconds."""

    __tablename__ = "perf_budgets"

    operation: Mapped[str] = mapped_column(String, primary_key=True)
    p95_ms: Mapped[float] = mapped_column(Float)
