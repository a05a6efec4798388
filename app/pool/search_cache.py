"""Pages of the job list and search, kept per process while no job of the arrangement changed.

The list and search pages are the busiest of the product and ask the same few questions over and
over (the first pages, "notulen", "zwembad"); a search also ranks every match. A kept page is
reused only while the arrangement's newest job change (``max(jobs.updated_at)``, one index
lookup) is the one it was made at, so a new, changed, closed or hidden job shows at once, in
every process. Only open jobs are kept (their visibility depends on the viewer's organisation
alone), keyed by arrangement, organisation, words, filters, page and date.
"""

from __future__ import annotations

from dataclasses import astuple, replace

from sqlalchemy import func, select

from app.caches import app_cache
from app.extensions import db
from app.pool.jobs.operations import today
from app.pool.models import Job
from app.pool.search import PER_PAGE, Filters, JobPage, organisation_map, query_terms, search_jobs
from tenants.context import current_arrangement_id

CACHE_SIZE = 500
CACHE_KEY = "pool_search_pages"


_JOBS_VERSION = select(func.max(Job.updated_at))  # kept: its scoped cache key is reused


def jobs_version():
    """The newest change of the current arrangement's jobs."""
    return db.session.scalar(_JOBS_VERSION)


def search_page(user, q: str, filters: Filters, page: int, per_page: int = PER_PAGE) -> JobPage:
    """search_jobs for a page, reusing a kept result while the jobs are unchanged."""
    if filters.status != "open":
        return search_jobs(user, q, filters, page, per_page)
    words = tuple(query_terms(q, stop_words=False)) if query_terms(q) else ()
    version = jobs_version()
    key = (
        current_arrangement_id(),
        user.organisation_id,
        words,
        astuple(filters),
        page,
        per_page,
        today(),
    )
    cache = app_cache(CACHE_KEY, CACHE_SIZE)  # gthread workers share it: a locked LRU
    hit = cache.get(key)
    if hit is not None and hit[0] == version:
        # A kept page is shared between threads: hand out a copy with current names.
        return replace(hit[1], organisations=organisation_map())
    result = search_jobs(user, q, filters, page, per_page)
    cache.put(key, (version, result))
    return result
