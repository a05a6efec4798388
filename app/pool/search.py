"""Finding work: the job list and full-text search in Dutch, over the jobs the caller may see.

One function, :func:`search_jobs`, serves the list page, the search page and the API. It runs
one query for the page's rows (organisation joined, skills from ``jobs.skills_text``) and at most
one cheap count:

- without a text query the rows come newest first, walking ``ix_jobs_listing`` (arrangement,
  status, created_at, + the visibility columns), so no sort and no table reads for rows skipped;
  the total is counted up to a cap (``capped``: "1.000+"), never over every visible job;
- with a text query the rows come by rank, and the total comes with them (``count(*) OVER ()``).

Full text: SQLite FTS5 (``jobs_fts``, diacritics folded, bm25) or PostgreSQL's ``dutch`` text
search on a stored ``tsvector`` with a GIN index (ts_rank), made by
:func:`app.pool.search_schema.install_search` (re-exported here for app.schema).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

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
    or_,
    select,
)
from sqlalchemy.dialects import postgresql

from app.caches import app_cache
from app.extensions import db
from app.pool import vocabulary
from app.pool.jobs.operations import managed_clause, today, visible_clause
from app.pool.models import Job, JobSkill, Skill, skill_key
from app.pool.search_schema import (  # noqa: F401  SCHEMA_NAMES, install_search: for app.schema
    FTS_TABLE,
    PG_CONFIG_EXPR,
    SCHEMA_NAMES,
    install_search,
    job_search,
    jobs_fts,
)
from app.pool.wordforms import forms_queries, groups_query, like_prefix
from tenants.context import current_arrangement_id
from tenants.models import Organisation

PER_PAGE = 25
MAX_PER_PAGE = 100
#: The list page counts at most this many rows (more shows as "1.000+").
COUNT_CAP = 1000
#: A text search ranks at most this many matches, the newest (more shows as "more than").
CANDIDATES = 1000
MAX_TERMS = 8
MAX_QUERY_LENGTH = 200


# --- query text ------------------------------------------------------------------------------

#: Dutch stop words (Snowball's list, the one PostgreSQL's `dutch` uses): dropped from queries
#: on SQLite too, so "werk in de zorg" looks for "werk" and "zorg" on both databases.
_STOP_WORDS_TEXT = """
    aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door dus
    een eens en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand iets
    ik in is ja je kan kon kunnen maar me meer men met mij mijn moet na naar niet niets nog nu of
    om omdat onder ons ook op over reeds te tegen toch toen tot u uit uw van veel voor want waren
    was wat werd wezen wie wil worden wordt zal ze zelf zich zij zijn zo zonder zou"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
_WORD = re.compile(r"\w+", re.UNICODE)


def query_terms(q: str | None, *, stop_words: bool = True) -> list[str]:
    """The searchable words of a query: lower case, at most MAX_TERMS, and without Dutch stop
    words unless ``stop_words`` is False."""
    words = _WORD.findall((q or "")[:MAX_QUERY_LENGTH].casefold())
    terms = []
    for word in words:
        if word in terms or (len(word) < 2 and not word.isdigit()):
            continue
        if stop_words and word in STOP_WORDS:
            continue
        terms.append(word)
    return terms[:MAX_TERMS]


# --- the search ------------------------------------------------------------------------------


@dataclass
class Filters:
    """The list's filters; None or False means "any"."""

    organisation: str | None = None  # slug
    type: str | None = None  # one of JOB_TYPES (the kind of exchange)
    skill: str | None = None  # a skill name in any spelling
    hours_min: int | None = None
    hours_max: int | None = None
    available_from: date | None = None  # the job's period overlaps [from, until]
    available_until: date | None = None
    remote: bool = False
    status: str = "open"


@dataclass
class JobPage:
    items: list
    total: int
    page: int
    per_page: int
    #: True when ``total`` is a lower bound (the count stopped at the cap).
    capped: bool = False
    #: The arrangement's organisations by id: names for the rows.
    organisations: dict = field(default_factory=dict)
    terms: list[str] = field(default_factory=list)
    #: "Bedoelde je …?": the corrected words when a typo was corrected (the rows are theirs).
    suggestion: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


#: What a row of the list page needs, and nothing more.
LIST_COLUMNS = (
    Job.id,
    Job.type,
    Job.title,
    Job.summary,
    Job.hours_per_week,
    Job.start_date,
    Job.end_date,
    Job.location,
    Job.remote,
    Job.places,
    Job.visibility,
    Job.status,
    Job.expires_on,
    Job.created_at,
    Job.skills_text,
    Job.organisation_id,
)
# No join with organisations: joined, SQLite drives the query from that small table and sorts
# every visible job; the organisations' names come from organisation_map() instead.


class OrganisationRef(NamedTuple):
    id: int
    slug: str
    name: str


ORGANISATIONS_TTL = 30.0


def organisation_map() -> dict[int, OrganisationRef]:
    """The arrangement's organisations by id, by name (for names in lists and the filter).

    Kept per process for ORGANISATIONS_TTL seconds: a renamed organisation shows under its
    new name within half a minute."""
    # arrangement -> (read at, organisations), on the app: names change rarely, lists run often.
    cache = app_cache("pool_organisations", 256)
    key = current_arrangement_id()
    now = time.monotonic()
    hit = cache.get(key)
    if hit is not None and now - hit[0] < ORGANISATIONS_TTL:
        return hit[1]
    rows = db.session.execute(
        select(Organisation.id, Organisation.slug, Organisation.name).order_by(Organisation.name)
    )
    organisations = {row.id: OrganisationRef(*row) for row in rows}
    cache.put(key, (now, organisations))
    return organisations


# --- statements ---------------------------------------------------------------------------
#
# A page's statement depends only on its *shape* (text search or not, which filters, the
# status, whether the total is capped); the values are bound parameters. So each shape is
# built once per process and reused: building it took longer than running it.

_STATEMENTS: dict[tuple, object] = {}


class _Viewer:
    """The viewer as bound parameters, for visible_clause in a reusable statement."""

    organisation_id = bindparam("viewer_organisation")


def _shape(filters: Filters, text: bool, capped: bool, dialect: str) -> tuple:
    return (
        dialect,
        text,
        capped,
        filters.status,
        filters.organisation is not None,
        filters.skill is not None,
        filters.hours_min is not None,
        filters.hours_max is not None,
        filters.available_from is not None,
        filters.available_until is not None,
        bool(filters.remote),
        filters.type is not None,
    )


def _filter_clauses(shape: tuple) -> list:
    _, _, _, _, organisation, skill, hours_min, hours_max, start, until, remote, kind = shape
    clauses = []
    if kind:
        clauses.append(Job.type == bindparam("type"))
    if organisation:
        clauses.append(Job.organisation_id == bindparam("organisation_id"))
    if skill:
        # EXISTS, checked per row while the list walks its index: the planner never switches
        # to "every job with this skill, then sort".
        # A prefix of the skill's key: "Exc" finds "Excel" (the picker suggests whole names).
        skill_ids = select(Skill.id).where(Skill.key.like(bindparam("skill_key"), escape="\\"))
        clauses.append(
            select(JobSkill.id)
            .where(JobSkill.job_id == Job.id, JobSkill.skill_id.in_(skill_ids))
            .exists()
        )
    if hours_min:
        clauses.append(Job.hours_per_week >= bindparam("hours_min"))
    if hours_max:
        clauses.append(Job.hours_per_week <= bindparam("hours_max"))
    if start:
        clauses.append(Job.end_date >= bindparam("available_from"))
    if until:
        clauses.append(Job.start_date <= bindparam("available_until"))
    if remote:
        clauses.append(Job.remote.is_(True))
    return clauses


#: The job statuses a list's status filter reads (visible_clause: "expired" includes the open
#: jobs past their expiry date); the PostgreSQL search narrows by these inside its index.
SEARCH_STATUSES = {
    "open": ["open"],
    "expired": ["open", "expired"],
    "filled": ["filled"],
    "closed": ["closed"],
    "draft": ["draft"],
}


def _candidates(dialect: str):
    """The text matches as a subquery (job_id, rank): the newest CANDIDATES matches by job id
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


def _text_statements(dialect: str, where: list) -> tuple:
    """Rank the candidates the viewer may see, then read the page's rows.

    The candidates are outer-joined to `jobs` (where the arrangement wall applies, in the ON
    clause and by row-level security), so the statement also counts how many candidates are
    this arrangement's: when that reaches CANDIDATES there may be more matches and the total
    is shown as "more than" (never from other arrangements' rows). Ranking reads only the
    narrow ix_jobs_search_filter; the page's 25 rows are read in full afterwards.
    """
    if dialect == "sqlite":
        return _sqlite_text_statements(where)
    matches = _candidates(dialect)
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
    stmt = _page_rows(ranked, descending)
    count = (
        select(func.count(shown), func.count(Job.id))
        .select_from(matches)
        .outerjoin(Job, Job.id == matches.c.job_id)
    )
    return stmt, count


def _sqlite_text_statements(where: list) -> tuple:
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
    return _page_rows(ranked, False), count


def _page_rows(ranked, descending: bool):
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


def _build(shape: tuple, user) -> tuple:
    """(page statement, count statement) for a shape; ``user`` is _Viewer or a real user
    (drafts: the posting side is per user, so those statements are not kept)."""
    dialect, text_search, capped, status = shape[:4]
    where = [visible_clause(user, status, bindparam("today")), *_filter_clauses(shape)]
    if text_search:
        return _text_statements(dialect, where)
    # The (capped) count rides along as an uncorrelated scalar subquery: one statement.
    ids = select(Job.id).where(*where)
    if capped:
        ids = ids.limit(bindparam("cap"))
    count = select(func.count()).select_from(ids.subquery())
    stmt = (
        select(*LIST_COLUMNS, count.scalar_subquery().label("total"))
        .where(*where)
        .order_by(Job.created_at.desc(), Job.id.desc())
        .offset(bindparam("offset"))
        .limit(bindparam("limit"))
    )
    return stmt, count


def _statements(shape: tuple, user) -> tuple:
    if shape[3] == "draft":
        return _build(shape, user)
    statements = _STATEMENTS.get(shape)
    if statements is None:
        statements = _STATEMENTS[shape] = _build(shape, _Viewer)
    return statements


def _parameters(user, filters: Filters, organisations: dict) -> dict | None:
    """The bound values; None when a filter can match nothing (an unknown organisation)."""
    params = {"viewer_organisation": user.organisation_id, "today": today()}
    if filters.organisation is not None:
        ids = [o.id for o in organisations.values() if o.slug == filters.organisation]
        if not ids:
            return None
        params["organisation_id"] = ids[0]
    if filters.skill is not None:
        params["skill_key"] = like_prefix(skill_key(filters.skill))
    if filters.type is not None:
        params["type"] = filters.type
    params["statuses"] = SEARCH_STATUSES.get(filters.status, [])
    params["hours_min"] = filters.hours_min
    params["hours_max"] = filters.hours_max
    params["available_from"] = filters.available_from
    params["available_until"] = filters.available_until
    return params


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def search_jobs(
    user,
    q: str | None = None,
    filters: Filters | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
    *,
    exact_total: bool = False,
) -> JobPage:
    """The jobs ``user`` may see that match ``q`` and ``filters``: one page of rows + total.

    Rows carry LIST_COLUMNS (skills in ``skills_text``). Without ``exact_total`` the total of a
    list without text query is counted up to a cap (``capped``).
    """
    filters = filters or Filters()
    page = max(1, int(page))
    per_page = max(1, min(int(per_page), MAX_PER_PAGE))
    offset = (page - 1) * per_page
    terms = query_terms(q)
    organisations = organisation_map()
    params = _parameters(user, filters, organisations)
    if params is None:
        return JobPage([], 0, page, per_page, organisations=organisations, terms=terms)
    params.update(offset=offset, limit=per_page)
    dialect = _dialect()
    cap = None if exact_total or terms else max(COUNT_CAP, offset + 10 * per_page) + 1
    stmt, count = _statements(_shape(filters, bool(terms), cap is not None, dialect), user)

    if terms:
        # Each word as typed or in a related form (app.pool.wordforms: "notulen" also finds
        # "notuleren", "notulist"); on SQLite also as a prefix, which stands in for stemming.
        attempts = forms_queries(dialect, terms)
        first_attempts = len(attempts)
        params["candidates"] = CANDIDATES
        suggestion: list[str] = []
        for match in attempts:
            params["terms"] = match
            rows = db.session.execute(stmt, params).all()
            if rows:
                total, ours = rows[0].total, rows[0].ours
            else:  # past the end: the counts alone
                total, ours = db.session.execute(count, params).one()
            if total or len(attempts) > first_attempts:
                break
            if match is not attempts[-1]:
                continue  # the next, broader form first
            # Nothing: typos and compounds, against the arrangement's vocabulary (only now,
            # so a search that finds something costs no extra query).
            rewritten = vocabulary.rewrite(terms)
            if rewritten is not None:
                attempts.append(groups_query(dialect, rewritten[0]))
                suggestion = rewritten[1]
        if not total:
            suggestion = []
        return JobPage(
            [row for row in rows if row.shown],
            total,
            page,
            per_page,
            capped=ours >= CANDIDATES,
            organisations=organisations,
            terms=terms,
            suggestion=suggestion,
        )

    params["cap"] = cap
    rows = db.session.execute(stmt, params).all()
    if rows:
        total = rows[0].total
    elif page == 1:
        total = 0
    else:  # past the end: the count alone
        total = db.session.scalar(count, params)
    capped = cap is not None and total >= cap
    if capped:
        total = cap - 1
    return JobPage(rows, total, page, per_page, capped=capped, organisations=organisations)


def jobs_by_ids(ids: list[int]) -> list[Job]:
    """Full Job objects in the order of ``ids`` (the API's list output)."""
    from sqlalchemy.orm import joinedload

    if not ids:
        return []
    jobs = db.session.scalars(
        select(Job)
        .where(Job.id.in_(ids))
        .options(joinedload(Job.organisation), joinedload(Job.department))
    ).all()
    by_id = {job.id: job for job in jobs}
    return [by_id[i] for i in ids if i in by_id]


def my_jobs(user, status: str | None = None, page: int = 1, per_page: int = PER_PAGE) -> JobPage:
    """The jobs ``user`` is on the posting side of (all states, or one), newest first."""
    page = max(1, int(page))
    on = today()
    where = [managed_clause(user)]
    if status == "open":
        where += [Job.status == "open", Job.expires_on >= on]
    elif status == "expired":
        where.append(or_(Job.status == "expired", and_(Job.status == "open", Job.expires_on < on)))
    elif status:
        where.append(Job.status == status)
    rows = db.session.execute(
        select(*LIST_COLUMNS)
        .where(*where)
        .order_by(Job.created_at.desc(), Job.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    total = db.session.scalar(select(func.count()).select_from(Job).where(*where))
    return JobPage(rows, total, page, per_page, organisations=organisation_map())


def organisation_choices() -> list[tuple[str, str]]:
    """(slug, name) of the arrangement's organisations, by name (for filters)."""
    return [(o.slug, o.name) for o in organisation_map().values()]
