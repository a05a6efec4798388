"""country-scale indexes (issue 15): the reports' fill rate reads years of jobs from an index

Revision ID: c0a7e5b1d2f4
Revises: 3b8e5d1c9a42
Create Date: 2026-12-03 08:30:00

A coordinator's five-year report of a 40-organisation arrangement sums the places of ~120,000
jobs; with the index (arrangement, posting moment, and on PostgreSQL the id, status and places
as included columns) that is an index-only scan instead of reading ~22,000 heap pages.
"""

from alembic import op

revision = "c0a7e5b1d2f4"
down_revision = "3b8e5d1c9a42"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.create_index(
            "ix_jobs_report",
            ["arrangement_id", "created_at"],
            unique=False,
            postgresql_include=["id", "status", "places"],
        )


def downgrade():
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_jobs_report")
