"""What a job list or search answers: the filters, the page, its rows' columns, and the
arrangement's organisations by id (names for the rows and the organisation filter)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import select

from app.caches import app_cache
from app.extensions import db
from app.pool.models import Job
from tenants.context import current_arrangement_id
from tenants.models import Organisation


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
    #: Published in [published_from, published_until) (saved-search alerts; not on the form).
    published_from: datetime | None = None
    published_until: datetime | None = None


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


def organisation_choices() -> list[tuple[str, str]]:
    """(slug, name) of the arrangement's organisations, by name (for filters)."""
    return [(o.slug, o.name) for o in organisation_map().values()]
