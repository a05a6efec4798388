"""Periodic upkeep of jobs and offers, so the lists stay current without anyone tidying by hand:

- open jobs past their expiry date become ``expired`` (lists leave them out before that, too);
- the posting side of an open job that expires within REMIND_DAYS gets one reminder e-mail
  (outbox kind ``pool.job_expiring``) with a link to renew it;
- open offers past their end close themselves (``app.pool.offers.operations.close_ended``).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select, update

from app.extensions import db
from app.outbox.operations import record
from app.pool import saved_searches, vocabulary
from app.pool.jobs.operations import owners, today
from app.pool.models import Job
from app.pool.notifications import digest
from app.pool.notifications.digest import WEEK
from app.pool.offers.operations import close_ended
from app.transaction import commit
from tenants.context import use_arrangement
from tenants.models import Arrangement

REMIND_DAYS = 7
EVERY_SECONDS = 3600


def expire_jobs(on: date) -> int:
    """Mark the current arrangement's overdue open jobs expired."""
    result = db.session.execute(
        update(Job)
        .where(Job.status == "open", Job.expires_on < on)
        .values(status="expired")
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def remind_owners(on: date) -> int:
    """One reminder per job (and owner) before it expires; returns the number of e-mails."""

    jobs = db.session.scalars(
        select(Job).where(
            Job.status == "open",
            Job.expires_on >= on,
            Job.expires_on <= on + timedelta(days=REMIND_DAYS),
            Job.reminder_sent_on.is_(None),
        )
    ).all()
    sent = 0
    for job in jobs:
        for owner in owners(job):
            record("pool.job_expiring", recipient_id=owner.id, job_id=job.id)
            sent += 1
        job.reminder_sent_on = on
    db.session.flush()
    return sent


def run_job_upkeep(on: date | None = None) -> dict[str, int]:
    """Expire and remind in every arrangement, each in its own context and transaction."""

    on = on or today()
    totals = {"expired": 0, "reminders": 0}
    session = db.session()
    arrangement_ids = session.scalars(select(Arrangement.id).order_by(Arrangement.id)).all()
    session.rollback()
    for arrangement_id in arrangement_ids:
        with use_arrangement(arrangement_id):
            totals["expired"] += expire_jobs(on)
            totals["reminders"] += remind_owners(on)
            commit()
    return totals


def job_upkeep() -> dict[str, int]:
    return run_job_upkeep()


def run_offer_upkeep(on: date | None = None) -> int:
    """Close ended offers in every arrangement, each in its own context and transaction."""

    on = on or today()
    closed = 0
    session = db.session()
    arrangement_ids = session.scalars(select(Arrangement.id).order_by(Arrangement.id)).all()
    session.rollback()
    for arrangement_id in arrangement_ids:
        with use_arrangement(arrangement_id):
            closed += close_ended(on)
            commit()
    return closed


def offer_upkeep() -> int:
    return run_offer_upkeep()


#: The schedules of this module: (name, interval in seconds, callable), registered by the
#: domain's ``init_app``.
SCHEDULES = (
    ("pool.job_upkeep", EVERY_SECONDS, job_upkeep),
    ("pool.offer_upkeep", EVERY_SECONDS, offer_upkeep),
    ("pool.weekly_digest", int(WEEK.total_seconds()), digest.weekly_digest),
    ("pool.saved_search_alerts", saved_searches.EVERY_SECONDS, saved_searches.saved_search_alerts),
    ("pool.search_vocabulary", 24 * 3600, vocabulary.run_rebuild),
)
