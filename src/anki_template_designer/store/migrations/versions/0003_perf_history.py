"""Performance history and budgets: minute samples of latency per operation, p95 budgets.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02

The Performance page shows trends over days and alerts when an operation's p95 crosses its
budget. The server writes one row per busy operation per minute (``perf_samples``, pruned
after 90 days); ``perf_budgets`` holds the budgets a user set (none: the defaults apply).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create ``perf_samples`` and ``perf_budgets``."""
    op.create_table(
        "perf_samples",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("operation", sa.String(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("p50_ms", sa.Float(), nullable=False),
        sa.Column("p95_ms", sa.Float(), nullable=False),
        sa.Column("p99_ms", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_perf_samples")),
    )
    op.create_index(op.f("ix_perf_samples_at"), "perf_samples", ["at"], unique=False)
    op.create_table(
        "perf_budgets",
        sa.Column("operation", sa.String(), nullable=False),
        sa.Column("p95_ms", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("operation", name=op.f("pk_perf_budgets")),
    )


def downgrade() -> None:
    """Drop ``perf_budgets`` and ``perf_samples``."""
    op.drop_table("perf_budgets")
    op.drop_index(op.f("ix_perf_samples_at"), table_name="perf_samples")
    op.drop_table("perf_samples")
