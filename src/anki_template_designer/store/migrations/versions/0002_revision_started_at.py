"""Revisions remember when their first save was made (editor saves are folded together).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

The editor autosaves on every pause in typing; consecutive saves by one author within a
short window amend one revision instead of adding one each. ``started_at`` is when the
first of those saves was made (``created_at`` stays the time of the newest), so the window
is counted from the start of the burst and history shows its whole span. Existing rows
each hold one save: they start when they were created.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add ``revisions.started_at``, filled from ``created_at``."""
    with op.batch_alter_table("revisions") as batch:
        batch.add_column(sa.Column("started_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE revisions SET started_at = created_at")
    with op.batch_alter_table("revisions") as batch:
        batch.alter_column("started_at", existing_type=sa.DateTime(timezone=True), nullable=False)


def downgrade() -> None:
    """Drop ``revisions.started_at``."""
    with op.batch_alter_table("revisions") as batch:
        batch.drop_column("started_at")
