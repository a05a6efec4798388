"""Proposals waiting for a decision, and for whom: the employee, the lending or the borrowing
organisation. Counted among the matches the viewer may see
(:func:`app.policy.matches_visible`), so a proposal that still waits for the
employee is counted for those who may know of it (the coordinators, HR of the organisations
involved, depending on the source's privacy rule) and never for the employee's own line manager.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.matches.models import PARTIES, Match
from app.policy import matches_visible
from app.pool.models import Job
from app.reports.period import local_date


@dataclass(frozen=True)
class Waiting:
    match_id: int
    job_title: str
    lending_id: int
    borrowing_id: int
    parties: tuple[str, ...]
    since: date | None


def waiting_for(match: Match) -> tuple[str, ...]:
    """The parties that can decide now and have not approved the current terms: the employee
    first; the lending side once the employee approved; the borrowing side at any time."""
    approved = {p for p, a in match.current_approvals().items() if a.decision == "approve"}
    waiting = set()
    if "employee" not in approved:
        waiting.add("employee")
    elif "lending" not in approved:
        waiting.add("lending")
    if "borrowing" not in approved:
        waiting.add("borrowing")
    return tuple(p for p in PARTIES if p in waiting)


def waiting_proposals(user, organisation_id: int | None = None) -> list[Waiting]:
    """Proposals (and changes of agreed terms) waiting for a decision, among the matches
    ``user`` may see (:func:`app.policy.matches_visible`)."""

    pending = or_(
        Match.status == "proposed",
        and_(
            Match.status.in_(("agreed", "active")),
            Match.agreed_terms_version.is_not(None),
            Match.agreed_terms_version != Match.terms_version,
        ),
    )
    stmt = (
        select(Match, Job.title)
        .join(Job, Job.id == Match.job_id)
        .where(pending, matches_visible(user))
        .options(selectinload(Match.approvals))
        .order_by(Match.created_at, Match.id)
    )
    if organisation_id is not None:
        stmt = stmt.where(
            or_(
                Match.lending_organisation_id == organisation_id,
                Match.borrowing_organisation_id == organisation_id,
            )
        )
    out = []
    for match, title in db.session.execute(stmt).all():
        since = match.created_at if match.status == "proposed" else match.updated_at
        out.append(
            Waiting(
                match.id,
                title,
                match.lending_organisation_id,
                match.borrowing_organisation_id,
                waiting_for(match),
                local_date(since),
            )
        )
    return out


def waiting_counts(waiting: list[Waiting]) -> dict[str, int]:
    counts = Counter(party for item in waiting for party in item.parties)
    return {party: counts.get(party, 0) for party in PARTIES}
