"""SCIM groups and the groups that make their members HR (issue 12)

Revision ID: 3b8e5d1c9a42
Revises: 7a4c2e9d1f60
Create Date: 2026-12-03 07:00:00

Two arrangement-owned tables (forced RLS like the others, installed after every upgrade):
scim_groups and scim_group_members. Organisations get ``scim_hr_groups``: the display names of
the groups whose members are HR, from the arrangement's TOML file (none at first).
"""

import sqlalchemy as sa
from alembic import op

revision = "3b8e5d1c9a42"
down_revision = "7a4c2e9d1f60"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "scim_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("display_name", sa.String(length=255), nullable=False),
        sa.Column("external_id", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("arrangement_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["arrangement_id"],
            ["arrangements.id"],
            name=op.f("fk_scim_groups_arrangement_id_arrangements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_scim_groups_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scim_groups")),
        sa.UniqueConstraint(
            "organisation_id",
            "display_name",
            name=op.f("uq_scim_groups_organisation_id_display_name"),
        ),
        sa.UniqueConstraint(
            "organisation_id",
            "external_id",
            name=op.f("uq_scim_groups_organisation_id_external_id"),
        ),
    )
    with op.batch_alter_table("scim_groups") as batch:
        batch.create_index(batch.f("ix_scim_groups_arrangement_id"), ["arrangement_id"])
        batch.create_index(batch.f("ix_scim_groups_organisation_id"), ["organisation_id"])
    op.create_table(
        "scim_group_members",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("arrangement_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["arrangement_id"],
            ["arrangements.id"],
            name=op.f("fk_scim_group_members_arrangement_id_arrangements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["scim_groups.id"],
            name=op.f("fk_scim_group_members_group_id_scim_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_scim_group_members_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("group_id", "user_id", name=op.f("pk_scim_group_members")),
    )
    with op.batch_alter_table("scim_group_members") as batch:
        batch.create_index(batch.f("ix_scim_group_members_arrangement_id"), ["arrangement_id"])
        batch.create_index(batch.f("ix_scim_group_members_user_id"), ["user_id"])
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(sa.Column("scim_hr_groups", sa.Text(), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("organisations") as batch:
        batch.drop_column("scim_hr_groups")
    op.drop_table("scim_group_members")
    op.drop_table("scim_groups")
