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

By concern: the query's words in :mod:`app.pool.search_terms`, the filters, the page and the
organisations' names in :mod:`app.pool.search_results`, the full-text statements in
:mod:`app.pool.search_text`; here the statements' shapes and the search itself (the names
callers import stay here).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.orm import joinedload

from app import policy
from app.extensions import db
from app.pool import vocabulary
from app.pool.jobs.operations import today
from app.pool.models import Job, JobSkill, Skill, skill_key
from app.pool.search_results import (  # noqa: F401  re-exported: the list's pages and names
    LIST_COLUMNS,
    Filters,
    JobPage,
    OrganisationRef,
    organisation_choices,
    organisation_map,
)
from app.pool.search_schema import SCHEMA_NAMES, install_search  # noqa: F401  for app.schema
from app.pool.search_terms import (  # noqa: F401  re-exported: the query's words
    MAX_QUERY_LENGTH,
    MAX_TERMS,
    STOP_WORDS,
    query_terms,
)
from app.pool.search_text import SEARCH_STATUSES, text_statements
from app.pool.wordforms import forms_queries, groups_query, like_prefix

PER_PAGE = 25
MAX_PER_PAGE = 100
#: The list page counts at most this many rows (more shows as "1.000+").
COUNT_CAP = 1000
#: A text search ranks at most this many matches, the newest (more shows as "more than").
CANDIDATES = 1000
#: ``every_match``: no cap (the largest value the matches function's ``integer`` takes).
EVERY_MATCH = 2**31 - 1


# --- statements ---------------------------------------------------------------------------
#
# A page's statement depends only on its *shape* (text search or not, which filters, the
# status, whether the total is capped); the values are bound parameters. So each shape is
# built once per process and reused: building it took longer than running it.

_STATEMENTS: dict[tuple, object] = {}


class _Viewer:
    """The viewer as bound parameters, for policy.jobs_visible in a reusable statement."""

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
        filters.published_from is not None,
    )


def _filter_clauses(shape: tuple) -> list:
    (_, _, _, _, organisation, skill, hours_min, hours_max, start, until, remote, kind, new) = shape
    clauses = []
    if new:
        # Jobs loaded without a publication moment count from their creation.
        published = func.coalesce(Job.published_at, Job.created_at)
        clauses.append(published >= bindparam("published_from"))
        clauses.append(published < bindparam("published_until"))
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


def _build(shape: tuple, user) -> tuple:
    """(page statement, count statement) for a shape; ``user`` is _Viewer or a real user
    (drafts: the posting side is per user, so those statements are not kept)."""
    dialect, text_search, capped, status = shape[:4]
    where = [policy.jobs_visible(user, status, bindparam("today")), *_filter_clauses(shape)]
    if text_search:
        return text_statements(dialect, where)
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
    if filters.published_from is not None:
        params["published_from"] = filters.published_from
        params["published_until"] = filters.published_until or datetime.max
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
    every_match: bool = False,
) -> JobPage:
    """The jobs ``user`` may see that match ``q`` and ``filters``: one page of rows + total.

    Rows carry LIST_COLUMNS (skills in ``skills_text``). Without ``exact_total`` the total of a
    list without text query is counted up to a cap (``capped``). A text search ranks the newest
    CANDIDATES matches by job id; with ``every_match`` all of them (a saved search's alert,
    in the background: a draft saved long ago and opened now has an old id, and the period
    filter applies after the matches are taken).
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
        params["candidates"] = EVERY_MATCH if every_match else CANDIDATES
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
            capped=not every_match and ours >= CANDIDATES,
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
    where = [policy.jobs_managed(user)]
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
