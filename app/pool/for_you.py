""" "Voor jou": open jobs ranked against the employee's own open capacity offer.

Candidates are the visible open jobs whose period overlaps the offer and that share a skill with
it (a skill's synonyms count too), most shared skills first; they are then scored on skills,
hours (a job asking no more than the offered hours fits) and period (inside the offered period).
"""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.pool.jobs import today, visible_clause
from app.pool.models import CapacityOffer, Job, JobSkill, Skill
from app.pool.search import LIST_COLUMNS, organisation_map

CANDIDATES = 200
SHOWN = 25


def own_open_offer(user) -> CapacityOffer | None:
    return db.session.scalar(
        select(CapacityOffer)
        .where(CapacityOffer.user_id == user.id, CapacityOffer.status == "open")
        .order_by(CapacityOffer.created_at.desc(), CapacityOffer.id.desc())
        .limit(1)
    )


def _skill_ids(offer: CapacityOffer) -> set[int]:
    skills = [link.skill for link in offer.offer_skills]
    ids = {skill.id for skill in skills}
    synonyms = {key for skill in skills for key in (skill.synonyms or [])}
    if synonyms:
        ids.update(db.session.scalars(select(Skill.id).where(Skill.key.in_(sorted(synonyms)))))
    return ids


def score(row, offer: CapacityOffer) -> float:
    points = 3.0 * row.overlap
    if row.hours_per_week <= offer.hours_per_week:
        points += 2.0
    else:
        points -= (row.hours_per_week - offer.hours_per_week) / 4
    until = offer.available_until
    if row.start_date >= offer.available_from and (until is None or row.end_date <= until):
        points += 1.0
    return points


def jobs_for_you(user) -> tuple[CapacityOffer | None, list, dict]:
    """(the employee's open offer or None, [(row, score)] best first, organisations by id)."""
    offer = own_open_offer(user)
    if offer is None:
        return None, [], {}
    skill_ids = _skill_ids(offer)
    if not skill_ids:
        return offer, [], {}
    overlap = func.count(JobSkill.id).label("overlap")
    period = [Job.end_date >= max(offer.available_from, today())]
    if offer.available_until is not None:
        period.append(Job.start_date <= offer.available_until)
    rows = db.session.execute(
        select(*LIST_COLUMNS, overlap)
        .join(JobSkill, JobSkill.job_id == Job.id)
        .where(visible_clause(user), JobSkill.skill_id.in_(sorted(skill_ids)), *period)
        .group_by(Job.id)
        .order_by(overlap.desc(), Job.created_at.desc())
        .limit(CANDIDATES)
    ).all()
    ranked = sorted(rows, key=lambda row: (-score(row, offer), -row.created_at.timestamp()))
    return offer, [(row, score(row, offer)) for row in ranked[:SHOWN]], organisation_map()
