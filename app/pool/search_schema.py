"""The full-text index of jobs: what create_all cannot make.

SQLite: an FTS5 table over `jobs` (title, description, skills_text; diacritics folded; bm25 with
the title and skills weighing more) kept in step by triggers. PostgreSQL: a `job_search` side
table with a stored tsvector (`dutch` stemming and stop words, diacritics folded where the
unaccent extension exists) and a GIN index, kept in step by a trigger.

:func:`install_search` is idempotent; the tests' schema fixture and every migration call it
(through app.schema). :data:`SCHEMA_NAMES` lists what it makes, for the schema comparison.
"""

from __future__ import annotations

import logging

from sqlalchemy import Column, Float, Integer, MetaData, Table, Text, inspect, literal_column, text
from sqlalchemy.engine import Connection

log = logging.getLogger(__name__)

_SQLITE_DDL = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS jobs_fts USING fts5(
        title, description, skills_text, content='jobs', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER IF NOT EXISTS jobs_fts_ai AFTER INSERT ON jobs BEGIN
        INSERT INTO jobs_fts(rowid, title, description, skills_text)
        VALUES (new.id, new.title, new.description, new.skills_text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS jobs_fts_ad AFTER DELETE ON jobs BEGIN
        INSERT INTO jobs_fts(jobs_fts, rowid, title, description, skills_text)
        VALUES ('delete', old.id, old.title, old.description, old.skills_text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS jobs_fts_au AFTER UPDATE OF title, description, skills_text
    ON jobs BEGIN
        INSERT INTO jobs_fts(jobs_fts, rowid, title, description, skills_text)
        VALUES ('delete', old.id, old.title, old.description, old.skills_text);
        INSERT INTO jobs_fts(rowid, title, description, skills_text)
        VALUES (new.id, new.title, new.description, new.skills_text);
    END""",
]

#: PostgreSQL: a copy of the `dutch` configuration (stemming, stop words) that also folds
#: diacritics with the unaccent extension, as FTS5 does on SQLite; where unaccent cannot be
#: installed, the copy stays plain `dutch`.
PG_CONFIG = "deelkracht_dutch"
PG_CONFIG_EXPR = f"'{PG_CONFIG}'::regconfig"


def _pg_vector_sql(row: str) -> str:
    return (
        f"setweight(to_tsvector('{PG_CONFIG}', coalesce({row}.title, '')), 'A') || "
        f"setweight(to_tsvector('{PG_CONFIG}', coalesce({row}.skills_text, '')), 'A') || "
        f"setweight(to_tsvector('{PG_CONFIG}', coalesce({row}.description, '')), 'B')"
    )


# Why a side table and not a tsvector column on `jobs`: `jobs` has (forced) row-level security,
# and PostgreSQL never uses an index for a condition whose operator is not LEAKPROOF (`@@` is
# not) on such a table, because it must not run before the policy; only a superuser can mark it
# leakproof. So the GIN index lives on `job_search`, which holds no text: a job id and the
# stemmed words of that job. Queries always join it to `jobs`, where the policy applies
# (app.pool.search is its only reader); it has no arrangement_id, so tenants.rls leaves it be.
_PG_DDL = [
    """CREATE TABLE IF NOT EXISTS job_search (
        job_id integer PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
        search_vector tsvector NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS ix_job_search_vector ON job_search USING gin (search_vector)",
    f"""CREATE OR REPLACE FUNCTION job_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO job_search (job_id, search_vector) VALUES (NEW.id, {_pg_vector_sql("NEW")})
        ON CONFLICT (job_id) DO UPDATE SET search_vector = EXCLUDED.search_vector;
        RETURN NULL;
    END $$""",  # noqa: S608  constants only
    "DROP TRIGGER IF EXISTS jobs_search_sync ON jobs",
    """CREATE TRIGGER jobs_search_sync AFTER INSERT OR UPDATE OF title, description, skills_text
    ON jobs FOR EACH ROW EXECUTE FUNCTION job_search_sync()""",
    # Jobs that exist already (where the policy lets this connection see them) and are not
    # indexed yet: every upgrade runs this, and a vector for each of a million jobs costs minutes.
    f"""INSERT INTO job_search (job_id, search_vector)
    SELECT jobs.id, {_pg_vector_sql("jobs")} FROM jobs
    WHERE NOT EXISTS (SELECT 1 FROM job_search WHERE job_search.job_id = jobs.id)
    ON CONFLICT (job_id) DO NOTHING""",  # noqa: S608
]


def _pg_install(connection: Connection) -> None:
    has_config = connection.execute(
        text("SELECT 1 FROM pg_ts_config WHERE cfgname = :name"), {"name": PG_CONFIG}
    ).scalar()
    if not has_config:
        connection.execute(text(f"CREATE TEXT SEARCH CONFIGURATION {PG_CONFIG} (COPY = dutch)"))
        try:
            with connection.begin_nested():
                connection.execute(text("CREATE EXTENSION IF NOT EXISTS unaccent"))
                connection.execute(
                    text(
                        f"ALTER TEXT SEARCH CONFIGURATION {PG_CONFIG} "
                        "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, dutch_stem"
                    )
                )
        except Exception as exc:  # no unaccent here: the copy stays plain `dutch`
            log.warning("full-text search without unaccent: %s", type(exc).__name__)
    for statement in _PG_DDL:
        connection.execute(text(statement))


#: What install_search makes that the models do not (app.schema leaves these out when it checks
#: the models against the migrated schema).
SCHEMA_NAMES = frozenset(
    {
        "jobs_fts",
        "jobs_fts_data",
        "jobs_fts_idx",
        "jobs_fts_docsize",
        "jobs_fts_config",
        "jobs_fts_ai",
        "jobs_fts_ad",
        "jobs_fts_au",
        "job_search",
        "ix_job_search_vector",
        "job_search_sync",
        "jobs_search_sync",
        PG_CONFIG,
    }
)


FTS5_RANK = "bm25(10.0, 1.0, 6.0)"


def install_search(connection: Connection) -> None:
    """Create the full-text index for jobs, idempotently (FTS5 table + triggers on SQLite; a
    generated tsvector column + GIN index on PostgreSQL). Existing jobs are indexed too."""
    dialect = connection.dialect.name
    if not inspect(connection).has_table("jobs"):
        return  # a schema without the pool (yet): nothing to index
    if dialect == "sqlite":
        existed = connection.execute(
            text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'jobs_fts'")
        ).scalar()
        for statement in _SQLITE_DDL:
            connection.execute(text(statement))
        # `rank` is bm25 with title and skills weighing more than the description. Written
        # only when it differs: a change makes open connections fail their next search once.
        rank = connection.execute(text("SELECT v FROM jobs_fts_config WHERE k = 'rank'")).scalar()
        if rank != FTS5_RANK:
            connection.execute(
                text("INSERT INTO jobs_fts(jobs_fts, rank) VALUES ('rank', :rank)"),
                {"rank": FTS5_RANK},
            )
        if not existed:
            connection.execute(text("INSERT INTO jobs_fts(jobs_fts) VALUES ('rebuild')"))
            connection.execute(text("INSERT INTO jobs_fts(jobs_fts) VALUES ('optimize')"))
    elif dialect == "postgresql":
        _pg_install(connection)
    else:  # pragma: no cover - only the two supported databases
        raise RuntimeError(f"no full-text search for {dialect}")


# The FTS5 table as SQLAlchemy sees it: its own MetaData, so create_all never touches it.
jobs_fts = Table("jobs_fts", MetaData(), Column("rowid", Integer), Column("rank", Float))
FTS_TABLE = literal_column("jobs_fts")
# The PostgreSQL side table (see _PG_DDL), also outside the models' MetaData.
job_search = Table(
    "job_search", MetaData(), Column("job_id", Integer), Column("search_vector", Text)
)
