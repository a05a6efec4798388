"""The weekly digest: new jobs that match an employee's skills, by e-mail, for those who chose it.

A weekly schedule records one outbox row per subscriber (ids only). The e-mail is composed at
delivery (``app.pool.pool_emails``) from the jobs the employee may see *then*: open jobs of their
own organisation and arrangement-wide jobs of the others (:func:`app.policy.jobs_visible`),
so an organisation-only job of another organisation can never appear in it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import func, select

from app import policy
from app.accounts.models import User
from app.extensions import db
from app.outbox.models import OutboxMessage
from app.outbox.operations import record
from app.pool.models import CapacityOffer, Job, JobSkill, OfferSkill
from app.transaction import commit
from tenants.context import use_arrangement
from tenants.models import Arrangement, utcnow

WEEK = timedelta(days=7)
MAX_JOBS = 20
KIND = "pool.digest"


def choose(user: User, weekly: bool) -> None:
    """The employee's own choice (User.weekly_digest)."""
    user.weekly_digest = weekly
    db.session.flush()


class OfferedSkill(NamedTuple):
    id: int  # the shared skill (Skill.id): what the digest matches on
    name: str  # as the employee spelled it in their offer


def skills_of(user: User) -> list[OfferedSkill]:
    """The skills the employee offers (in their open offers), in their own spelling."""
    rows = db.session.execute(
        select(OfferSkill.skill_id, func.min(OfferSkill.name))
        .join(CapacityOffer, CapacityOffer.id == OfferSkill.offer_id)
        .where(CapacityOffer.user_id == user.id, CapacityOffer.status == "open")
        .group_by(OfferSkill.skill_id)
    )
    return sorted((OfferedSkill(*row) for row in rows), key=lambda s: s.name.casefold())


def new_jobs_for(user: User, since: datetime, until: datetime) -> tuple[list[Job], bool]:
    """New open jobs ``user`` may see, posted in [since, until), matching their skills when they
    offer any. Returns the jobs and whether they were matched on skills."""
    skill_ids = [skill.id for skill in skills_of(user)]
    stmt = select(Job).where(
        policy.jobs_visible(user, on=until.date()),
        Job.created_at >= since,
        Job.created_at < until,
    )
    if skill_ids:
        stmt = stmt.where(
            Job.id.in_(select(JobSkill.job_id).where(JobSkill.skill_id.in_(skill_ids)))
        )
    rows = db.session.scalars(stmt.order_by(Job.created_at.desc(), Job.id.desc()).limit(MAX_JOBS))
    return list(rows), bool(skill_ids)


def _week_code(now: datetime) -> str:
    year, week, _ = now.isocalendar()
    return f"w{year}_{week:02d}"


def record_weekly_digests(now: datetime | None = None) -> int:
    """Record this week's digest for every subscriber in every arrangement (once a week each).

    Runs without a request: it enters each arrangement in turn and commits once at the end.
    """

    now = now or utcnow()
    recorded = 0
    arrangement_ids = db.session.scalars(select(Arrangement.id).order_by(Arrangement.id)).all()
    for arrangement_id in arrangement_ids:
        with use_arrangement(arrangement_id):
            subscribers = db.session.scalars(
                select(User.id).where(User.weekly_digest.is_(True), User.active.is_(True))
            ).all()
            already = set(
                db.session.scalars(
                    select(OutboxMessage.recipient_id).where(
                        OutboxMessage.kind == KIND,
                        OutboxMessage.created_at > now - WEEK + timedelta(hours=12),
                    )
                )
            )
            for user_id in subscribers:
                if user_id not in already:
                    record(KIND, recipient_id=user_id, week=_week_code(now))
                    recorded += 1
    commit()
    return recorded


def weekly_digest() -> int:
    return record_weekly_digests()
