"""job search: one GIN index over the words keyed by arrangement and status

Revision ID: e7c3a9d2b5f1
Revises: e2c9d4f6a8b1
Create Date: 2026-12-03 14:30:00

PostgreSQL only (SQLite searches its FTS5 table). The btree_gin index over (arrangement_id,
status, search_vector) made every search intersect its words' matches with the posting lists of
its arrangement and status, that is with every job of the arrangement: most of a typical
search's time. Now the index is over the job's words keyed "<arrangement>/<status>/<word>"
(``job_search_keys``), and ``job_search_matches`` asks for its arrangement's keys of the statuses
wanted (``job_search_key_query``): it reads those posting lists only (app/pool/search_schema.py).
"""

import sqlalchemy as sa
from alembic import op

revision = "e7c3a9d2b5f1"
down_revision = "e2c9d4f6a8b1"
branch_labels = None
depends_on = None

# job_search_matches as revision d5b8e3a1f7c2 made it, for the downgrade.
_OLD_MATCHES = """CREATE OR REPLACE FUNCTION job_search_matches(query tsquery, statuses text[],
    cap integer) RETURNS TABLE (job_id integer, rank real) LANGUAGE plpgsql STABLE
    SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    BEGIN
        RETURN QUERY EXECUTE $sql$ SELECT s.job_id, ts_rank(s.search_vector, $1)
        FROM public.job_search s
        WHERE s.arrangement_id = NULLIF(current_setting('deelkracht.arrangement_id', true),
            '')::integer AND s.status = ANY ($2) AND s.search_vector @@ $1
        ORDER BY s.job_id DESC LIMIT $3 $sql$ USING query, statuses, cap;
    END $$"""


def _has_job_search(bind) -> bool:
    return bind.dialect.name == "postgresql" and sa.inspect(bind).has_table("job_search")


def upgrade():
    bind = op.get_bind()
    if not _has_job_search(bind):
        return  # SQLite, or a new database: install_search makes it in its new shape
    # The key functions, the keyed index, the new job_search_matches; the old index goes.
    from app.pool.search_schema import install_search

    install_search(bind)


def downgrade():
    bind = op.get_bind()
    if not _has_job_search(bind):
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_job_search_match ON job_search "
        "USING gin (arrangement_id, status, search_vector)"
    )
    op.execute(_OLD_MATCHES)
    op.execute("DROP INDEX IF EXISTS ix_job_search_keys")
    op.execute("DROP FUNCTION IF EXISTS job_search_key_query(tsquery, integer, text[])")
    op.execute("DROP FUNCTION IF EXISTS job_search_keys(integer, text, tsvector)")
