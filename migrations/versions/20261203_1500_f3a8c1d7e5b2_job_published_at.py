"""jobs.published_at: when a job first opened, for saved-search alerts (issue 14)

Revision ID: f3a8c1d7e5b2
Revises: e7c3a9d2b5f1
Create Date: 2026-12-03 15:00:00

A saved search's alert mails the jobs that are new since the last alert. "New" is the moment a
job first opened to readers, not the moment its draft was saved: a draft published a week later
is new then. Existing open, filled, closed and expired jobs count from their creation.
"""

import sqlalchemy as sa

from alembic import op

revision = "f3a8c1d7e5b2"
down_revision = "e7c3a9d2b5f1"
branch_labels = None
depends_on = None

SETTING = "SELECT set_config('deelkracht.arrangement_id', :id, true)"


def upgrade():
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("published_at", sa.DateTime(), nullable=True))
    bind = op.get_bind()
    backfill = sa.text(
        "UPDATE jobs SET published_at = created_at WHERE status <> 'draft' AND arrangement_id = :id"
    )
    for (arrangement_id,) in bind.execute(sa.text("SELECT id FROM arrangements")).all():
        if bind.dialect.name == "postgresql":
            # Forced row-level security holds for the owner too: one arrangement at a time.
            bind.execute(sa.text(SETTING), {"id": str(arrangement_id)})
        bind.execute(backfill, {"id": arrangement_id})
    if bind.dialect.name == "postgresql":
        bind.execute(sa.text(SETTING), {"id": ""})
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.create_index("ix_jobs_published", ["arrangement_id", "published_at"], unique=False)


def downgrade():
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_jobs_published")
        batch_op.drop_column("published_at")
