"""re-integration is shown to the own organisation's HR only with the employee's consent (issue 13, point 10)

Revision ID: 7a4c2e9d1f60
Revises: 7c2d4e6f8a1b
Create Date: 2026-12-03 05:30:00

Existing offers start without consent: a re-integration reason already stored is from then on
seen by the employee only, until they tick that HR may see it.
"""

import sqlalchemy as sa
from alembic import op

revision = "7a4c2e9d1f60"
down_revision = "7c2d4e6f8a1b"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("capacity_offers") as batch:
        batch.add_column(
            sa.Column(
                "reason_shared_with_hr", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )


def downgrade():
    with op.batch_alter_table("capacity_offers") as batch:
        batch.drop_column("reason_shared_with_hr")
