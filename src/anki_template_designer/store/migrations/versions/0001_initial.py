"""Initial tables: note types, fields, card types, sample notes, media, revisions, meta.

Revision ID: 0001
Revises:
Create Date: 2026-11-25

Written out in full, not imported from ``store.tables``: a migration is a frozen
record of one schema step, and must keep working after the ORM changes.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _notetype_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["notetype_id"],
        ["notetypes.id"],
        name=op.f(f"fk_{table}_notetype_id_notetypes"),
        ondelete="CASCADE",
    )


def _blob_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["sha256"], ["media_blobs.sha256"], name=op.f(f"fk_{table}_sha256_media_blobs")
    )


def upgrade() -> None:
    """Create every table of the workspace store."""
    op.create_table(
        "media_blobs",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_media_blobs")),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_meta")),
    )
    op.create_table(
        "notetypes",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("kind", sa.Integer(), nullable=False),
        sa.Column("css", sa.Text(), nullable=False),
        sa.Column("latex_pre", sa.Text(), nullable=False),
        sa.Column("latex_post", sa.Text(), nullable=False),
        sa.Column("sort_field", sa.Integer(), nullable=False),
        sa.Column("anki_id", sa.BigInteger(), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.Column("current_revision", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notetypes")),
        sa.UniqueConstraint("name", name=op.f("uq_notetypes_name")),
    )
    op.create_table(
        "card_types",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notetype_id", sa.String(length=32), nullable=False),
        sa.Column("ord", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("front", sa.Text(), nullable=False),
        sa.Column("back", sa.Text(), nullable=False),
        sa.Column("browser_front", sa.Text(), nullable=False),
        sa.Column("browser_back", sa.Text(), nullable=False),
        sa.Column("deck_override", sa.BigInteger(), nullable=True),
        sa.Column("options", sa.JSON(), nullable=False),
        _notetype_fk("card_types"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_card_types")),
        sa.UniqueConstraint("notetype_id", "name", name="uq_card_types_notetype_id_name"),
        sa.UniqueConstraint("notetype_id", "ord", name="uq_card_types_notetype_id_ord"),
    )
    op.create_table(
        "fields",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notetype_id", sa.String(length=32), nullable=False),
        sa.Column("ord", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        _notetype_fk("fields"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fields")),
        sa.UniqueConstraint("notetype_id", "name", name="uq_fields_notetype_id_name"),
        sa.UniqueConstraint("notetype_id", "ord", name="uq_fields_notetype_id_ord"),
    )
    op.create_table(
        "media",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notetype_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        _notetype_fk("media"),
        _blob_fk("media"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media")),
        sa.UniqueConstraint("notetype_id", "name", name="uq_media_notetype_id_name"),
    )
    op.create_index(op.f("ix_media_sha256"), "media", ["sha256"], unique=False)
    op.create_table(
        "revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notetype_id", sa.String(length=32), nullable=False),
        sa.Column("author", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        _notetype_fk("revisions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revisions")),
    )
    op.create_index(op.f("ix_revisions_notetype_id"), "revisions", ["notetype_id"], unique=False)
    op.create_table(
        "sample_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notetype_id", sa.String(length=32), nullable=False),
        sa.Column("ord", sa.Integer(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("deck", sa.String(), nullable=False),
        sa.Column("flag", sa.Integer(), nullable=False),
        sa.Column("card_ids", sa.JSON(), nullable=False),
        _notetype_fk("sample_notes"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sample_notes")),
        sa.UniqueConstraint("notetype_id", "ord", name="uq_sample_notes_notetype_id_ord"),
    )
    op.create_table(
        "revision_media",
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["revisions.id"],
            name=op.f("fk_revision_media_revision_id_revisions"),
            ondelete="CASCADE",
        ),
        _blob_fk("revision_media"),
        sa.PrimaryKeyConstraint("revision_id", "name", name=op.f("pk_revision_media")),
    )
    op.create_index(op.f("ix_revision_media_sha256"), "revision_media", ["sha256"], unique=False)


def downgrade() -> None:
    """Drop every table of the workspace store."""
    op.drop_index(op.f("ix_revision_media_sha256"), table_name="revision_media")
    op.drop_table("revision_media")
    op.drop_table("sample_notes")
    op.drop_index(op.f("ix_revisions_notetype_id"), table_name="revisions")
    op.drop_table("revisions")
    op.drop_index(op.f("ix_media_sha256"), table_name="media")
    op.drop_table("media")
    op.drop_table("fields")
    op.drop_table("card_types")
    op.drop_table("notetypes")
    op.drop_table("meta")
    op.drop_table("media_blobs")
