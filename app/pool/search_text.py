"""The full-text statements of a search: the matches, ranked, and the page's rows.

Built once per statement shape by :mod:`app.pool.search` (the values are bound parameters):
the ranked candidates the viewer may see with the counts riding along as window functions, then
only the page's rows read in full. PostgreSQL reads its matches through ``job_search_matches``
(app.pool.search_schema); SQLite from its FTS5 table.
"""

from __future__ import annotations

from sqlalchemy import (
    Float,
    Integer,
    String,
    and_,
    bindparam,
    case,
    column,
    func,
    literal,
    literal_column,
    null,
    select,
)
from sqlalchemy.dialects import postgresql

from app.pool.models import Job
from app.pool.search_results import LIST_COLUMNS
from app.pool.search_schema import FTS_TABLE, PG_CONFIG_EXPR, jobs_fts

#: The job statuses a list's status filter reads (policy.jobs_visible: "expired" includes the open
#: jobs past their expiry date); the PostgreSQL search narrows by these inside its index.
SEARCH_STATUSES = {
    "open": ["open"],
    "expired": ["open", "expired"],
    "filled": ["filled"],
    "closed": ["closed"],
    "draft": ["draft"],
}


def candidates(dialect: str):
    """The text matches as a subquery (job_id, rank): the newest `candidates` (a bound value,
    app.pool.search.CANDIDATES) matches by job id
    (on PostgreSQL those of the caller's arrangement with the statuses asked).

    Bounded, so a broad word ("medewerker" in thousands of jobs) costs no more than a typical
    search, and fenced, so the planner finds the matches in the full-text index first (without
    the fence PostgreSQL may scan the whole table to read matches in rank order).
    """
    if dialect == "postgresql":
        # The query text comes from app.pool.wordforms (quoted words only, never user syntax).
        # job_search_matches (app.pool.search_schema) reads only the caller's arrangement's
        # matches of the statuses asked, newest first, from one GIN index: complete however
        # many matches the other arrangements hold.
        tsquery = func.to_tsquery(literal_column(PG_CONFIG_EXPR), bindparam("terms"))
        statuses = bindparam("statuses", type_=postgresql.ARRAY(String))
        found = func.job_search_matches(tsquery, statuses, bindparam("candidates"))
        matches = found.table_valued(column("job_id", Integer), column("rank", Float), name="found")
        return select(matches.c.job_id, matches.c.rank).subquery("matches")
    else:
        # `rank` is the configured bm25 (FTS5_RANK): lower is better.
        key, rank = jobs_fts.c.rowid, jobs_fts.c.rank
        match = FTS_TABLE.op("MATCH")(bindparam("terms"))
    return (
        select(key.label("job_id"), rank.label("rank"))
        .where(match)
        .order_by(key.desc())
        .limit(bindparam("candidates"))
        .subquery("matches")
    )


def text_statements(dialect: str, where: list) -> tuple:
    """Rank the candidates the viewer may see, then read the page's rows.

    The candidates are outer-joined to `jobs` (where the arrangement wall applies, in the ON
    clause and by row-level security), so the statement also counts how many candidates are
    this arrangement's: when that reaches CANDIDATES there may be more matches and the total
    is shown as "more than" (never from other arrangements' rows). Ranking reads only the
    narrow ix_jobs_search_filter; the page's 25 rows are read in full afterwards.
    """
    if dialect == "sqlite":
        return sqlite_text_statements(where)
    matches = candidates(dialect)
    shown = case((and_(*where), literal(1)), else_=null())
    descending = dialect == "postgresql"  # ts_rank: higher is better; bm25: lower
    ranked = (
        select(
            Job.id.label("job_id"),
            Job.created_at.label("created_at"),
            matches.c.rank,
            func.count(shown).over().label("total"),
            func.count(Job.id).over().label("ours"),
            shown.label("shown"),
        )
        .select_from(matches)
        .outerjoin(Job, Job.id == matches.c.job_id)
        .order_by(
            shown.is_(None),
            matches.c.rank.desc() if descending else matches.c.rank,
            Job.created_at.desc(),
            Job.id.desc(),
        )
        .offset(bindparam("offset"))
        .limit(bindparam("limit"))
        .subquery("ranked")
    )
    stmt = page_rows(ranked, descending)
    count = (
        select(func.count(shown), func.count(Job.id))
        .select_from(matches)
        .outerjoin(Job, Job.id == matches.c.job_id)
    )
    return stmt, count


def sqlite_text_statements(where: list) -> tuple:
    """SQLite: as _text_statements, with bm25 computed for the viewer's visible matches only.

    The newest CANDIDATES matches come straight from the FTS5 scan (rowid descending), each
    outer-joined to `jobs` (the arrangement wall in the ON clause); the rank is a CASE that asks
    FTS5 for bm25 only when the job is one the viewer may see. bm25 reads every match's
    positions and sizes and was most of a search's time (bench/job_pages.py); a match the viewer
    may not see (closed, another organisation's own, another arrangement's) has no rank, and
    "rank is null" is what marks it not shown. Then as on PostgreSQL: the counts ride along as
    window functions, and only the page's 25 rows are read in full.
    """
    key = jobs_fts.c.rowid
    rank = case((and_(*where), jobs_fts.c.rank), else_=null())
    matches = (
        select(
            key.label("job_id"),
            Job.id.label("id"),
            Job.created_at.label("created_at"),
            rank.label("rank"),
        )
        .select_from(jobs_fts)
        .outerjoin(Job, Job.id == key)
        .where(FTS_TABLE.op("MATCH")(bindparam("terms")))
        .order_by(key.desc())
        .limit(bindparam("candidates"))
        .subquery("matches")
    )
    shown = case((matches.c.rank.is_not(None), literal(1)), else_=null())
    ranked = (
        select(
            matches.c.job_id,
            matches.c.created_at,
            matches.c.rank,
            func.count(matches.c.rank).over().label("total"),
            func.count(matches.c.id).over().label("ours"),
            shown.label("shown"),
        )
        .order_by(
            matches.c.rank.is_(None),
            matches.c.rank,
            matches.c.created_at.desc(),
            matches.c.job_id.desc(),
        )
        .offset(bindparam("offset"))
        .limit(bindparam("limit"))
        .subquery("ranked")
    )
    count = select(func.count(matches.c.rank), func.count(matches.c.id))
    return page_rows(ranked, False), count


def page_rows(ranked, descending: bool):
    """The page's rows in full, for the ranked page of job ids, in the ranked order."""
    return (
        select(*LIST_COLUMNS, ranked.c.total, ranked.c.ours, ranked.c.shown)
        .select_from(ranked)
        .join(Job, Job.id == ranked.c.job_id)
        .order_by(
            ranked.c.shown.is_(None),
            ranked.c.rank.desc() if descending else ranked.c.rank,
            ranked.c.created_at.desc(),
            ranked.c.job_id.desc(),
        )
    )
