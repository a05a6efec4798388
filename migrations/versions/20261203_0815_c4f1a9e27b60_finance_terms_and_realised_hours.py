"""Cost basis, VAT code and realised hours per month (issue 14)

Revision ID: c4f1a9e27b60
Revises: c4a7e2f19b30
Create Date: 2026-12-03 08:15:00

Matches get ``cost_basis`` (employer_costs | hourly_rate | none) and ``vat_code`` (vat_21 |
exempt_cost_sharing | no_fee); existing rows map from ``cost_recharge``: hourly → hourly_rate with
vat_21 (secondment between public bodies is in principle taxed; the free-text
``vat_treatment`` stays as the reason), none → none with no_fee. Agreement snapshots are not
rewritten: the finance statement maps an old snapshot the same way. One new arrangement-owned
table, realised_hours (forced RLS like the others, installed after every upgrade).
"""

import sqlalchemy as sa
from alembic import op

revision = "c4f1a9e27b60"
down_revision = "c4a7e2f19b30"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("matches") as batch:
        batch.add_column(
            sa.Column("cost_basis", sa.String(length=20), nullable=False, server_default="none")
        )
        batch.add_column(
            sa.Column("vat_code", sa.String(length=30), nullable=False, server_default="no_fee")
        )
    op.execute(
        "UPDATE matches SET cost_basis = 'hourly_rate', vat_code = 'vat_21' "
        "WHERE cost_recharge = 'hourly'"
    )
    with op.batch_alter_table("matches") as batch:
        batch.create_check_constraint(
            op.f("ck_matches_cost_basis"), "cost_basis IN ('employer_costs', 'hourly_rate', 'none')"
        )
        batch.create_check_constraint(
            op.f("ck_matches_cost_basis_recharge"), "(cost_basis = 'none') = (cost_recharge = 'none')"
        )
        batch.create_check_constraint(
            op.f("ck_matches_vat_code"), "vat_code IN ('vat_21', 'exempt_cost_sharing', 'no_fee')"
        )
    op.create_table(
        "realised_hours",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("match_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("hours", sa.Numeric(precision=6, scale=2), nullable=False),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(), nullable=False),
        sa.Column("arrangement_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "hours >= 0 AND hours <= 744", name=op.f("ck_realised_hours_hours")
        ),
        sa.ForeignKeyConstraint(
            ["arrangement_id"],
            ["arrangements.id"],
            name=op.f("fk_realised_hours_arrangement_id_arrangements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["confirmed_by_id"],
            ["users.id"],
            name=op.f("fk_realised_hours_confirmed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["match_id"],
            ["matches.id"],
            name=op.f("fk_realised_hours_match_id_matches"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_realised_hours")),
        sa.UniqueConstraint("match_id", "month", name=op.f("uq_realised_hours_match_id_month")),
    )
    with op.batch_alter_table("realised_hours") as batch:
        batch.create_index(batch.f("ix_realised_hours_arrangement_id"), ["arrangement_id"])
        batch.create_index(batch.f("ix_realised_hours_match_id"), ["match_id"])


def downgrade():
    op.drop_table("realised_hours")
    with op.batch_alter_table("matches") as batch:
        batch.drop_constraint(op.f("ck_matches_vat_code"), type_="check")
        batch.drop_constraint(op.f("ck_matches_cost_basis_recharge"), type_="check")
        batch.drop_constraint(op.f("ck_matches_cost_basis"), type_="check")
        batch.drop_column("vat_code")
        batch.drop_column("cost_basis")
