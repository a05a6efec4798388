"""country-scale indexes (issue 15): reports, privacy clauses and open offers at a million jobs

Revision ID: c0a7e5b1d2f4
Revises: c4f1a7e2b9d3
Create Date: 2026-12-03 08:30:00

A coordinator's five-year report of a 40-organisation arrangement sums the places of ~120,000
jobs; with the index (arrangement, posting moment, and on PostgreSQL the id, status and places
as included columns) that is an index-only scan instead of reading ~22,000 heap pages.

ix_jobs_organisation_arrangement: the privacy clauses' "jobs of organisation X" carry the
arrangement too (query scoping adds it); PostgreSQL ANDed the organisation index with the
arrangement's (117,000 entries) for the candidates page. ix_capacity_offers_open: the open offers
a person may see, an index-only scan over the open ones (partial index; PostgreSQL includes the
columns the ranking reads). ix_capacity_offers_created and ix_applications_created: the
participation report's "who offered / responded in the period" over five years.
"""

import sqlalchemy as sa

from alembic import op

revision = "c0a7e5b1d2f4"
down_revision = "c4f1a7e2b9d3"
branch_labels = None
depends_on = None


OPEN_OFFER = "status = 'open'"


def upgrade():
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.create_index(
            "ix_jobs_report",
            ["arrangement_id", "created_at"],
            unique=False,
            postgresql_include=["id", "status", "places"],
        )
        batch_op.create_index(
            "ix_jobs_organisation_arrangement",
            ["organisation_id", "arrangement_id", "id"],
            unique=False,
        )
    with op.batch_alter_table("capacity_offers", schema=None) as batch_op:
        batch_op.create_index(
            "ix_capacity_offers_open",
            ["arrangement_id", "organisation_id"],
            unique=False,
            postgresql_include=[
                "id",
                "user_id",
                "registered_by_id",
                "status",
                "hours_per_week",
                "available_from",
                "available_until",
            ],
            postgresql_where=sa.text(OPEN_OFFER),
            sqlite_where=sa.text(OPEN_OFFER),
        )
        batch_op.create_index(
            "ix_capacity_offers_created",
            ["arrangement_id", "created_at"],
            unique=False,
            postgresql_include=["user_id"],
        )
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.create_index(
            "ix_applications_created",
            ["arrangement_id", "created_at"],
            unique=False,
            postgresql_include=["user_id"],
        )


def downgrade():
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_index("ix_applications_created")
    with op.batch_alter_table("capacity_offers", schema=None) as batch_op:
        batch_op.drop_index("ix_capacity_offers_created")
        batch_op.drop_index("ix_capacity_offers_open")
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_jobs_organisation_arrangement")
        batch_op.drop_index("ix_jobs_report")
