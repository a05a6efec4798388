"""every job and offer keeps the skill spelling its author typed (issue 10, finding 12)

Revision ID: 7c2d4e6f8a1b
Revises: 98760748b5fb
Create Date: 2026-12-03 05:30:00

``skills.name`` was one spelling for everyone (the first used), shown on every job and offer:
it told a job poster which skills were offered in private offers and let one person's text
change another's. The spelling moves to the links (``job_skills.name``, ``offer_skills.name``);
``skills`` keeps the normalised key and the synonyms that matching compares.

Existing links take the name they showed until now (``skills.name``), so nothing changes on
screen at the upgrade; from then on each author's own spelling is kept.
"""

import sqlalchemy as sa
from alembic import op

revision = "7c2d4e6f8a1b"
down_revision = "98760748b5fb"
branch_labels = None
depends_on = None

LINKS = ("job_skills", "offer_skills")


def _per_arrangement(statements: list[str]) -> None:
    """Run the statements; on PostgreSQL once per arrangement, as forced row-level security
    (tenants/rls.py) applies to the owner too (rows never cross arrangements)."""
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        for statement in statements:
            bind.execute(sa.text(statement))
        return
    for (arrangement_id,) in bind.execute(sa.text("SELECT id FROM arrangements")).all():
        bind.execute(
            sa.text("SELECT set_config('deelkracht.arrangement_id', :id, true)"),
            {"id": str(arrangement_id)},
        )
        for statement in statements:
            bind.execute(sa.text(statement))
    bind.execute(sa.text("SELECT set_config('deelkracht.arrangement_id', '', true)"))


def upgrade():
    for table in LINKS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("name", sa.String(length=80), nullable=True))
    _per_arrangement(
        [
            f"UPDATE {table} SET name = (SELECT skills.name FROM skills"
            f" WHERE skills.id = {table}.skill_id)"
            for table in LINKS
        ]
    )
    for table in LINKS:
        # A child table: rebuilding it on SQLite cascades nothing.
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("name", existing_type=sa.String(length=80), nullable=False)
    if op.get_bind().dialect.name == "sqlite":
        # Not batch mode: rebuilding ``skills`` would drop the parent table, and with foreign
        # keys on, SQLite's implicit DELETE would cascade to every link. SQLite ≥ 3.35 drops a
        # plain column in place.
        op.execute("ALTER TABLE skills DROP COLUMN name")
    else:
        op.drop_column("skills", "name")


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE skills ADD COLUMN name VARCHAR(80) NOT NULL DEFAULT ''")
    else:
        op.add_column(
            "skills",
            sa.Column("name", sa.String(length=80), nullable=False, server_default=""),
        )
        op.alter_column("skills", "name", server_default=None)
    # The shared name back: the spelling of some job, else of some offer.
    _per_arrangement(
        [
            "UPDATE skills SET name = COALESCE("
            "(SELECT MIN(job_skills.name) FROM job_skills WHERE job_skills.skill_id = skills.id),"
            "(SELECT MIN(offer_skills.name) FROM offer_skills"
            " WHERE offer_skills.skill_id = skills.id), key)"
        ]
    )
    for table in LINKS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("name")
