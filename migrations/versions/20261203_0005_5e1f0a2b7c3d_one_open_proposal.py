"""one open proposal per job, person and proposer (issue 10, finding 3)

Revision ID: 5e1f0a2b7c3d
Revises: 1b731306c545
Create Date: 2026-12-03 00:05:00

Duplicates that the race already made are resolved first, or the unique index could not be
built: of the open matches with the same job, employee and proposer, the one furthest along
(agreed or active) or else the oldest stays; the other proposals are withdrawn. Agreeing to a
duplicate was already refused, so no placement is touched.
"""

import sqlalchemy as sa
from alembic import op

revision = "5e1f0a2b7c3d"
down_revision = "1b731306c545"
branch_labels = None
depends_on = None

OPEN = "status IN ('proposed', 'agreed', 'active')"


WITHDRAW_DUPLICATES = sa.text(
    "UPDATE matches SET status = 'withdrawn', "
    "end_reason = 'Dubbel voorstel, automatisch ingetrokken / duplicate proposal' "
    "WHERE status = 'proposed' AND EXISTS ("
    " SELECT 1 FROM matches AS other"
    " WHERE other.job_id = matches.job_id"
    " AND other.employee_id = matches.employee_id"
    " AND other.proposed_by_id = matches.proposed_by_id"
    " AND other.id <> matches.id"
    " AND (other.status IN ('agreed', 'active')"
    "      OR (other.status = 'proposed' AND other.id < matches.id)))"
)


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        # Forced row-level security applies to the owner too (tenants/rls.py): one arrangement
        # at a time, as the application would (duplicates never cross arrangements).
        for (arrangement_id,) in bind.execute(sa.text("SELECT id FROM arrangements")).all():
            bind.execute(
                sa.text("SELECT set_config('deelkracht.arrangement_id', :id, true)"),
                {"id": str(arrangement_id)},
            )
            bind.execute(WITHDRAW_DUPLICATES)
        bind.execute(sa.text("SELECT set_config('deelkracht.arrangement_id', '', true)"))
    else:
        bind.execute(WITHDRAW_DUPLICATES)
    with op.batch_alter_table("matches", schema=None) as batch_op:
        batch_op.create_index(
            "uq_matches_open_proposal",
            ["job_id", "employee_id", "proposed_by_id"],
            unique=True,
            postgresql_where=sa.text(OPEN),
            sqlite_where=sa.text(OPEN),
        )


def downgrade():
    with op.batch_alter_table("matches", schema=None) as batch_op:
        batch_op.drop_index("uq_matches_open_proposal")
