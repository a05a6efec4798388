"""start page index (issue 15): the newest submitted responses of an arrangement

Revision ID: a9d4c2e6f1b3
Revises: f3a8c1d7e5b2
Create Date: 2026-12-04 17:00:00

HR's start page shows the newest responses to its organisation's jobs (app.web.start). At
country scale PostgreSQL read every submitted response of the arrangement from the table
(~800 heap pages for ~1,000 responses, 60 of them the organisation's) to sort them by id; with
(arrangement, status, id) and the filter columns included it walks the newest ones in the
index and stops after the few it shows.
"""

from alembic import op

revision = "a9d4c2e6f1b3"
down_revision = "f3a8c1d7e5b2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.create_index(
            "ix_applications_status_newest",
            ["arrangement_id", "status", "id"],
            unique=False,
            postgresql_include=["job_id", "user_id", "organisation_id"],
        )


def downgrade():
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_index("ix_applications_status_newest")
