"""job search side table carries the arrangement and status; offers' newest change indexed

Revision ID: d5b8e3a1f7c2
Revises: c0a7e5b1d2f4
Create Date: 2026-12-03 11:30:00

PostgreSQL only (SQLite searches its FTS5 table, which this leaves alone). `job_search` had a job
id and the words: a search ranked the newest 1,000 matches of every arrangement and then kept
the caller's, slow and incomplete with 120 arrangements (of 4,358 matches of "monteur planning",
62 open in arrangement 1; the newest 1,000 held 12 of them). Now it also holds the job's
arrangement and status, kept in step by the trigger, with one GIN index over the three
(btree_gin) and forced row-level security like every arrangement's table; searches go through
``job_search_matches()`` (app/pool/search_schema.py says why).

The backfill copies each job's arrangement and status into a new table, one arrangement at a
time: forced row-level security applies to the owner too, so the owner sees one arrangement's
jobs at a time, as the application would.

ix_capacity_offers_changed: the ranking index's version reads the newest change of the
arrangement's offers (app.matches.suggestions) instead of counting ~400,000 skill links per
candidates page.
"""

import sqlalchemy as sa
from alembic import op

revision = "d5b8e3a1f7c2"
down_revision = "c0a7e5b1d2f4"
branch_labels = None
depends_on = None

SETTING = "SELECT set_config('deelkracht.arrangement_id', :id, true)"


def _columns(bind) -> set[str]:
    return {c["name"] for c in sa.inspect(bind).get_columns("job_search")}


def upgrade():
    # The ranking index's version (app.matches.suggestions._version): the newest change of an
    # arrangement's offers, one step down this index instead of counting its skill links.
    with op.batch_alter_table("capacity_offers", schema=None) as batch_op:
        batch_op.create_index(
            "ix_capacity_offers_changed", ["arrangement_id", "updated_at"], unique=False
        )
    bind = op.get_bind()
    if bind.dialect.name != "postgresql" or not sa.inspect(bind).has_table("job_search"):
        return  # SQLite, or a new database: install_search makes the table in its new shape
    if "arrangement_id" not in _columns(bind):
        # Rebuilt, not updated: updating a million rows of words rewrites them all anyway and
        # leaves as many dead ones (and the old GIN index would take every new version).
        op.execute("DROP INDEX IF EXISTS ix_job_search_vector")
        op.execute(
            "CREATE TABLE job_search_new (job_id integer NOT NULL, arrangement_id integer "
            "NOT NULL, status varchar(20) NOT NULL, search_vector tsvector NOT NULL)"
        )
        for (arrangement_id,) in bind.execute(sa.text("SELECT id FROM arrangements")).all():
            bind.execute(sa.text(SETTING), {"id": str(arrangement_id)})
            bind.execute(
                sa.text(
                    "INSERT INTO job_search_new (job_id, arrangement_id, status, search_vector) "
                    "SELECT s.job_id, j.arrangement_id, j.status, s.search_vector "
                    "FROM jobs j JOIN job_search s ON s.job_id = j.id "
                    "WHERE j.arrangement_id = :id"  # also where the owner bypasses RLS
                ),
                {"id": arrangement_id},
            )
        bind.execute(sa.text(SETTING), {"id": ""})
        op.execute("DROP TABLE job_search")
        op.execute("ALTER TABLE job_search_new RENAME TO job_search")
        # The names PostgreSQL gave them in install_search's CREATE TABLE.
        op.execute("ALTER TABLE job_search ADD CONSTRAINT job_search_pkey PRIMARY KEY (job_id)")
        op.execute(
            "ALTER TABLE job_search ADD CONSTRAINT job_search_job_id_fkey FOREIGN KEY (job_id) "
            "REFERENCES jobs (id) ON DELETE CASCADE"
        )
    # The composite index, the trigger that keeps the new columns, the search function and the
    # owner's policy (the arrangement policy follows with tenants.rls after the upgrade).
    from app.pool.search_schema import install_search

    install_search(bind)


def downgrade():
    with op.batch_alter_table("capacity_offers", schema=None) as batch_op:
        batch_op.drop_index("ix_capacity_offers_changed")
    bind = op.get_bind()
    if bind.dialect.name != "postgresql" or not sa.inspect(bind).has_table("job_search"):
        return
    op.execute("DROP FUNCTION IF EXISTS job_search_matches(tsquery, text[], integer)")
    op.execute("DROP POLICY IF EXISTS job_search_owner ON job_search")
    op.execute("DROP POLICY IF EXISTS arrangement_wall ON job_search")
    op.execute("ALTER TABLE job_search NO FORCE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE job_search DISABLE ROW LEVEL SECURITY")
    op.execute("DROP INDEX IF EXISTS ix_job_search_match")
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_job_search_vector ON job_search USING gin (search_vector)"
    )
    # The old trigger function (job id and words only): the columns go, so must their copies.
    op.execute(
        """CREATE OR REPLACE FUNCTION job_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO job_search (job_id, search_vector) VALUES (NEW.id,
            setweight(to_tsvector('deelkracht_dutch', coalesce(NEW.title, '')), 'A') ||
            setweight(to_tsvector('deelkracht_dutch', coalesce(NEW.skills_text, '')), 'A') ||
            setweight(to_tsvector('deelkracht_dutch', coalesce(NEW.description, '')), 'B'))
        ON CONFLICT (job_id) DO UPDATE SET search_vector = EXCLUDED.search_vector;
        RETURN NULL;
    END $$"""
    )
    op.execute("DROP TRIGGER IF EXISTS jobs_search_sync ON jobs")
    op.execute(
        "CREATE TRIGGER jobs_search_sync AFTER INSERT OR UPDATE OF title, description, "
        "skills_text ON jobs FOR EACH ROW EXECUTE FUNCTION job_search_sync()"
    )
    op.execute("ALTER TABLE job_search DROP COLUMN status")
    op.execute("ALTER TABLE job_search DROP COLUMN arrangement_id")
