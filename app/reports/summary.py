"""The weekly summary for coordinators: aggregate numbers of their arrangement, by e-mail.

A weekly schedule records one outbox row per active coordinator (ids and the week code only,
once per ISO week). The e-mail is composed at delivery (``app.reports.emails``) from the
figures as they are then: open jobs, proposals waiting (per party, counted among the matches the
coordinator may see), placements agreed in the seven days before the row was recorded, and
placements running. Numbers only: no names, no job titles, so nothing about a proposal that
still waits for the employee can reach anyone through it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.outbox.models import OutboxMessage
from app.outbox.operations import record
from app.reports import figures
from app.reports.period import Period, local_date
from app.reports.waiting import waiting_counts, waiting_proposals
from app.transaction import commit
from tenants.context import use_arrangement
from tenants.models import Arrangement, utcnow

KIND = "reports.coordinator_summary"
WEEK = timedelta(days=7)


def week_code(moment: datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"w{year}_{week:02d}"


def record_weekly_summaries(now: datetime | None = None) -> int:
    """One summary per active coordinator per ISO week, in every arrangement."""

    now = now or utcnow()
    code = week_code(now)
    recorded = 0
    session = db.session()
    arrangement_ids = session.scalars(select(Arrangement.id).order_by(Arrangement.id)).all()
    session.rollback()
    for arrangement_id in arrangement_ids:
        with use_arrangement(arrangement_id):
            coordinators = session.scalars(
                select(User.id).where(User.is_coordinator.is_(True), User.active.is_(True))
            ).all()
            earlier = session.execute(
                select(OutboxMessage.recipient_id, OutboxMessage.refs).where(
                    OutboxMessage.kind == KIND, OutboxMessage.created_at > now - 2 * WEEK
                )
            ).all()
            done = {rid for rid, refs in earlier if (refs or {}).get("week") == code}
            for user_id in coordinators:
                if user_id not in done:
                    record(KIND, recipient_id=user_id, week=code)
                    recorded += 1
            commit()
    return recorded


@dataclass
class Summary:
    open_jobs: int
    open_jobs_over_30_days: int
    waiting: dict[str, int]
    waiting_total: int
    agreed_this_week: int
    running: int


def summary_for(coordinator: User, until: datetime) -> Summary:
    """The coordinator's figures of the seven days up to ``until`` (numbers only)."""
    day = local_date(until)
    week = Period(day - timedelta(days=6), day)
    open_jobs = figures.open_jobs_by_age(None, day)
    waiting = waiting_proposals(coordinator)
    facts = figures.placement_facts()
    return Summary(
        open_jobs=sum(open_jobs.values()),
        open_jobs_over_30_days=open_jobs["31-90"] + open_jobs["91+"],
        waiting=waiting_counts(waiting),
        waiting_total=len(waiting),
        agreed_this_week=figures.agreed_between(facts, week),
        running=figures.running_placements(facts, day),
    )
