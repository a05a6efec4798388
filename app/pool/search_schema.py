"""The full-text index of jobs: what create_all cannot make.

SQLite: an FTS5 table over `jobs` (title, description, skills_text; diacritics folded; bm25 with
the title and skills weighing more) kept in step by triggers. PostgreSQL: a `job_search` side
table with the job's arrangement, status and stored tsvector (`dutch` stemming and stop words,
diacritics folded where the unaccent extension exists), one GIN index over its words keyed by
arrangement and status, kept in step by a trigger, and read through the function
job_search_matches (see _PG_TABLE's comment).

:func:`install_search` is idempotent; the tests' schema fixture and every migration call it
(through app.schema). :data:`SCHEMA_NAMES` lists what it makes, for the schema comparison.
"""

from __future__ import annotations

import logging

from sqlalchemy import Column, Float, Integer, MetaData, Table, Text, inspect, literal_column, text
from sqlalchemy.engine import Connection

from tenants.context import RLS_SETTING

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
#: job_search's second policy: its owner sees every row (see below).
OWNER_POLICY = "job_search_owner"


def _pg_vector_sql(row: str) -> str:
    return (
        f"setweight(to_tsvector('{PG_CONFIG}', coalesce({row}.title, '')), 'A') || "
        f"setweight(to_tsvector('{PG_CONFIG}', coalesce({row}.skills_text, '')), 'A') || "
        f"setweight(to_tsvector('{PG_CONFIG}', coalesce({row}.description, '')), 'B')"
    )


# Why a side table and not a tsvector column on `jobs`: `jobs` has (forced) row-level security,
# and PostgreSQL never uses an index for a condition whose operator is not LEAKPROOF (`@@` is
# not) on such a table, because it must not run before the policy; only a superuser can mark it
# leakproof. So the GIN index lives on `job_search`: a job id, its arrangement and status (copied
# by the trigger) and the stemmed words of that job, no text.
#
# It carries arrangement_id, so tenants.rls gives it forced row-level security like every
# arrangement's table: the application role reads and writes only its arrangement's rows. Its
# searches go through job_search_matches(), a SECURITY DEFINER function of the table's owner,
# for whom one more policy (job_search_owner) lets every row through, so PostgreSQL uses the GIN
# index. The function applies the arrangement wall itself (the same setting as the policy), so
# the door it opens is the wall's own. Queries then join `jobs`, where the policy applies too.
#
# The index is over *keyed* words (job_search_keys): each word prefixed with the job's
# arrangement and status, "7/open/schilder". A search asks for its own arrangement's keys of the
# statuses it wants (job_search_key_query), so it reads only those posting lists: as cheap as a
# plain full-text index over one arrangement's open jobs, however many jobs the other
# arrangements and statuses hold. (It replaced a btree_gin index over (arrangement_id, status,
# search_vector), which intersected every search with the posting lists of the arrangement and
# the status, all of the arrangement's jobs: most of a typical search's time, bench/job_pages.py.)
_PG_TABLE = """CREATE TABLE IF NOT EXISTS job_search (
        job_id integer PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
        arrangement_id integer NOT NULL,
        status varchar(20) NOT NULL,
        search_vector tsvector NOT NULL)"""
#: The keyed words' index (see above).
PG_INDEX = "ix_job_search_keys"
_PG_INDEX_DDL = (
    f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON job_search "
    "USING gin (job_search_keys(arrangement_id, status, search_vector))"
)
#: The indexes it replaced (the composite one, and the words alone where btree_gin was missing).
OLD_INDEXES = ("ix_job_search_match", "ix_job_search_vector")
_KEY_FUNCTIONS = [
    # A job's words as keys "<arrangement>/<status>/<word>" (no positions or weights: the index
    # only finds rows, ts_rank reads the words themselves). Words over 1,000 bytes are left out:
    # with the key's prefix they could pass a lexeme's limit (2,046 bytes) and fail the job's
    # save, and no search looks for them (a query is at most 200 characters).
    """CREATE OR REPLACE FUNCTION job_search_keys(arrangement integer, status text, words tsvector)
    RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog AS $$
        SELECT array_to_tsvector(array(
            SELECT arrangement::text || '/' || status || '/' || w.lexeme FROM unnest(words) AS w
            WHERE octet_length(w.lexeme) <= 1000))
    $$""",
    # A query over the words as one over the keys of an arrangement and statuses: every word
    # 'w' (with its prefix mark or weights) becomes ('7/open/w' | '7/expired/w'). Statuses are
    # lower-case words (anything else is left out); no arrangement or no status: NULL, no match.
    r"""CREATE OR REPLACE FUNCTION job_search_key_query(
        query tsquery, arrangement integer, statuses text[])
    RETURNS tsquery LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog AS $$
        SELECT regexp_replace(query::text, '''((?:[^'']|'''')*)''(:\*?[A-D]*)?',
            '( ' || (SELECT string_agg('''' || arrangement::text || '/' || s || '/\1''\2', ' | ')
                     FROM unnest(statuses) AS s WHERE s ~ '^[a-z_]+$') || ' )', 'g')::tsquery
    $$""",
]
_WALL = f"NULLIF(current_setting('{RLS_SETTING}', true), '')::integer"
# The keys find the rows; the arrangement and statuses are checked on each row as well, so no
# query (a negation, say) reaches past them.
_MATCHES_SQL = (
    "SELECT s.job_id, ts_rank(s.search_vector, $1) FROM public.job_search s "  # noqa: S608
    "WHERE public.job_search_keys(s.arrangement_id, s.status, s.search_vector) "
    f"@@ public.job_search_key_query($1, {_WALL}, $2) "
    f"AND s.arrangement_id = {_WALL} AND s.status = ANY ($2) "
    "ORDER BY s.job_id DESC LIMIT $3"
)
_PG_DDL = [
    f"""CREATE OR REPLACE FUNCTION job_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND NEW.title IS NOT DISTINCT FROM OLD.title
                AND NEW.description IS NOT DISTINCT FROM OLD.description
                AND NEW.skills_text IS NOT DISTINCT FROM OLD.skills_text THEN
            -- only the status (or the arrangement) changed: the words stay
            UPDATE job_search SET status = NEW.status, arrangement_id = NEW.arrangement_id
            WHERE job_id = NEW.id;
            IF FOUND THEN
                RETURN NULL;
            END IF;
        END IF;
        INSERT INTO job_search (job_id, arrangement_id, status, search_vector)
        VALUES (NEW.id, NEW.arrangement_id, NEW.status, {_pg_vector_sql("NEW")})
        ON CONFLICT (job_id) DO UPDATE SET arrangement_id = EXCLUDED.arrangement_id,
            status = EXCLUDED.status, search_vector = EXCLUDED.search_vector;
        RETURN NULL;
    END $$""",  # noqa: S608  constants only
    "DROP TRIGGER IF EXISTS jobs_search_sync ON jobs",
    """CREATE TRIGGER jobs_search_sync
    AFTER INSERT OR UPDATE OF title, description, skills_text, status, arrangement_id
    ON jobs FOR EACH ROW EXECUTE FUNCTION job_search_sync()""",
    # The search: the caller's arrangement's matches of the statuses asked, newest first, at
    # most `cap`. As the owner (SECURITY DEFINER) with the arrangement wall applied here; the
    # statement is planned for its values on each call (EXECUTE), so the GIN index is used.
    f"""CREATE OR REPLACE FUNCTION job_search_matches(query tsquery, statuses text[], cap integer)
    RETURNS TABLE (job_id integer, rank real) LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, public AS $$
    BEGIN
        RETURN QUERY EXECUTE $sql$ {_MATCHES_SQL} $sql$ USING query, statuses, cap;
    END $$""",
    # Jobs that exist already (where the policy lets this connection see them) and are not
    # indexed yet: every upgrade runs this, and a vector for each of a million jobs costs minutes.
    f"""INSERT INTO job_search (job_id, arrangement_id, status, search_vector)
    SELECT jobs.id, jobs.arrangement_id, jobs.status, {_pg_vector_sql("jobs")} FROM jobs
    WHERE NOT EXISTS (SELECT 1 FROM job_search WHERE job_search.job_id = jobs.id)
    ON CONFLICT (job_id) DO NOTHING""",  # noqa: S608
    # The owner (who runs migrations and owns job_search_matches) sees every row: see above.
    f"DROP POLICY IF EXISTS {OWNER_POLICY} ON job_search",
    f"CREATE POLICY {OWNER_POLICY} ON job_search TO CURRENT_USER USING (true)",
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
    connection.execute(text(_PG_TABLE))
    for statement in _KEY_FUNCTIONS:
        connection.execute(text(statement))
    connection.execute(text(_PG_INDEX_DDL))
    for name in OLD_INDEXES:
        connection.execute(text(f"DROP INDEX IF EXISTS {name}"))
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
        PG_INDEX,
        *OLD_INDEXES,
        "job_search_keys",
        "job_search_key_query",
        "job_search_matches",
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
    "job_search",
    MetaData(),
    Column("job_id", Integer),
    Column("arrangement_id", Integer),
    Column("status", Text),
    Column("search_vector", Text),
)
