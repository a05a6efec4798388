"""The placements a report counts, as plain facts: one row per placement (two for a
functieruil: its return leg), with the hours and dates of the agreement in force. The
definitions are app.reports.figures'; this module reads them from the database in one
statement whatever the number of placements (a five-year report of a large arrangement has
thousands): columns instead of ORM objects, the agreement in force joined in the same statement
instead of a list of ids, and local days with one zone lookup per UTC hour.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.matches.exchange import flow
from app.matches.models import PLACED_STATUSES, Agreement, Match
from app.pool.models import Job
from app.reports.period import local_day_of


class PlacementFact(NamedTuple):
    """One placement as a report counts it (a tuple: a five-year report makes thousands, and a
    frozen dataclass costs several times more to build)."""

    match_id: int
    job_id: int
    lending_id: int
    borrowing_id: int
    hours_per_week: int
    start: date
    end: date  # the last day it counts: an ended placement's day of ending at the latest
    agreed_on: date | None
    job_posted_on: date | None
    #: The counterpart's direction of a functieruil (same match, same agreement).
    return_leg: bool = False

    @property
    def cross(self) -> bool:
        return self.lending_id != self.borrowing_id

    def involves(self, organisation_id: int | None) -> bool:
        return organisation_id is None or organisation_id in (self.lending_id, self.borrowing_id)


def placement_facts(organisation_id: int | None = None) -> list[PlacementFact]:
    """The placements of the current arrangement (involving one organisation, if given)."""
    conditions = [Match.status.in_(PLACED_STATUSES)]
    if organisation_id is not None:
        conditions.append(
            or_(
                Match.lending_organisation_id == organisation_id,
                Match.borrowing_organisation_id == organisation_id,
            )
        )
    # Columns, not Match objects: thousands of placements over five years (ORM objects cost
    # ten times more to build than rows). The agreement in force comes in the same statement:
    # each match's latest agreement version (hash joins over the arrangement's agreements, no
    # probe per placement), only the terms a report reads, taken out of the JSON by the
    # database (parsing thousands of whole snapshots in Python cost more than the query).
    latest = (
        select(Agreement.match_id, func.max(Agreement.version).label("version"))
        .group_by(Agreement.match_id)
        .subquery()
    )
    agreement = aliased(Agreement)
    stmt = (
        select(
            Match.id,
            Match.job_id,
            Match.lending_organisation_id,
            Match.borrowing_organisation_id,
            Match.status,
            Match.hours_per_week,
            Match.start_date,
            Match.end_date,
            Match.ended_at,
            Match.agreed_at,
            Match.type,
            Match.counterpart_id,
            Job.created_at.label("posted_at"),
            *(agreement.terms[key].as_string().label(f"agreed_{key}") for key in REPORT_TERMS),
        )
        .join(Job, Job.id == Match.job_id)
        .outerjoin(latest, latest.c.match_id == Match.id)
        .outerjoin(
            agreement,
            and_(agreement.match_id == latest.c.match_id, agreement.version == latest.c.version),
        )
        .where(*conditions)
        .order_by(Match.id)
    )
    rows = db.session.execute(stmt).all()
    facts = []
    local_day = local_day_of()
    for match in rows:
        start = iso_day(match.agreed_start_date) or match.start_date
        end = iso_day(match.agreed_end_date) or match.end_date
        if match.status == "ended" and match.ended_at is not None:
            end = min(end, local_day(match.ended_at))
        kind = flow(match)
        hours = int(match.agreed_hours_per_week or match.hours_per_week)
        fact = PlacementFact(
            match_id=match.id,
            job_id=match.job_id,
            lending_id=match.lending_organisation_id,
            borrowing_id=match.borrowing_organisation_id,
            hours_per_week=hours if kind.hours_transfer else 0,
            start=start,
            end=end,
            agreed_on=local_day(match.agreed_at),
            job_posted_on=local_day(match.posted_at),
        )
        facts.append(fact)
        if match.counterpart_id is not None:
            facts.append(
                fact._replace(
                    lending_id=fact.borrowing_id, borrowing_id=fact.lending_id, return_leg=True
                )
            )
    return facts


def iso_day(value) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


#: The terms a placement report reads from an agreement's snapshot.
REPORT_TERMS = ("hours_per_week", "start_date", "end_date")


def terms_in_force(matches, keys: tuple[str, ...] | None = REPORT_TERMS) -> dict[int, dict]:
    """match id → its latest agreement version's terms snapshot: only ``keys`` (None: the
    whole snapshot), for ``matches``, a subquery of match ids (one column) or a list of them."""
    if isinstance(matches, (list, tuple, set)):
        if not matches:
            return {}
        wanted = Agreement.match_id.in_(list(matches))
    else:
        wanted = Agreement.match_id.in_(select(matches.c[0]))
    latest = (
        select(Agreement.match_id, func.max(Agreement.version).label("version"))
        .where(wanted)
        .group_by(Agreement.match_id)
        .subquery()
    )
    in_latest = and_(Agreement.match_id == latest.c.match_id, Agreement.version == latest.c.version)
    if keys is None:
        rows = db.session.execute(
            select(Agreement.match_id, Agreement.terms).join(latest, in_latest)
        )
        return {match_id: terms or {} for match_id, terms in rows}
    # Only the terms a report reads, taken out of the JSON by the database: parsing thousands of
    # whole snapshots in Python cost more than the query.
    rows = db.session.execute(
        select(Agreement.match_id, *(Agreement.terms[key].as_string() for key in keys)).join(
            latest, in_latest
        )
    )
    return {
        match_id: {key: value for key, value in zip(keys, values, strict=True) if value is not None}
        for match_id, *values in rows
    }
