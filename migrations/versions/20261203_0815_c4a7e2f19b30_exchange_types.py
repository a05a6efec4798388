"""exchange types: a job's type, a match's type and a functieruil's counterpart (issue 14)

Revision ID: c4a7e2f19b30
Revises: 3b8e5d1c9a42
Create Date: 2026-12-03 08:15:00

Jobs and matches get ``type`` (klus, detachering, meeloopdag, functieruil, mentoring); every
existing row becomes ``klus`` through the column default, the flow they had. Matches get
``counterpart_id`` (the second person of a functieruil), and an approval's party may be
``counterpart``: the party column grows to 12 characters and its check names the new value.
"""

import sqlalchemy as sa
from alembic import op

revision = "c4a7e2f19b30"
down_revision = "3b8e5d1c9a42"
branch_labels = None
depends_on = None

TYPES = "type IN ('klus', 'detachering', 'meeloopdag', 'functieruil', 'mentoring')"
PARTIES_NEW = "party IN ('employee', 'counterpart', 'lending', 'borrowing')"
PARTIES_OLD = "party IN ('employee', 'lending', 'borrowing')"


def _type_column():
    return sa.Column(
        "type", sa.String(length=12), nullable=False, server_default=sa.text("'klus'")
    )


def upgrade():
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(_type_column())
        batch.create_check_constraint("type", TYPES)
    with op.batch_alter_table("matches") as batch:
        batch.add_column(_type_column())
        batch.add_column(sa.Column("counterpart_id", sa.Integer(), nullable=True))
        batch.create_check_constraint("type", TYPES)
        batch.create_foreign_key(
            batch.f("fk_matches_counterpart_id_users"),
            "users",
            ["counterpart_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.create_index(batch.f("ix_matches_counterpart_id"), ["counterpart_id"])
    with op.batch_alter_table("match_approvals") as batch:
        batch.drop_constraint(batch.f("ck_match_approvals_party"), type_="check")
        batch.alter_column(
            "party", existing_type=sa.String(length=10), type_=sa.String(length=12)
        )
        batch.create_check_constraint("party", PARTIES_NEW)


def downgrade():
    op.execute(sa.text("DELETE FROM match_approvals WHERE party = 'counterpart'"))
    with op.batch_alter_table("match_approvals") as batch:
        batch.drop_constraint(batch.f("ck_match_approvals_party"), type_="check")
        batch.alter_column(
            "party", existing_type=sa.String(length=12), type_=sa.String(length=10)
        )
        batch.create_check_constraint("party", PARTIES_OLD)
    with op.batch_alter_table("matches") as batch:
        batch.drop_index(batch.f("ix_matches_counterpart_id"))
        batch.drop_constraint(batch.f("fk_matches_counterpart_id_users"), type_="foreignkey")
        batch.drop_constraint(batch.f("ck_matches_type"), type_="check")
        batch.drop_column("counterpart_id")
        batch.drop_column("type")
    with op.batch_alter_table("jobs") as batch:
        batch.drop_constraint(batch.f("ck_jobs_type"), type_="check")
        batch.drop_column("type")
