"""The ranking's view of the database: jobs and offers as :class:`~app.matches.ranking.Side`
values (their skills as concepts, their hours and period), one at a time for a page or all those
a statement selects for the shared index (app.matches.pool_index). Nothing here decides who may
see what: every ranking is limited to the ids the caller may see (app.matches.suggestions).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, select

from app.extensions import db
from app.matches.concepts import concepts
from app.matches.exchange import flow
from app.matches.ranking import Side
from app.pool.models import CapacityOffer, Job, JobSkill, OfferSkill, Skill

#: skill id -> (its key, its concepts): what the sides are made of.
Skills = dict[int, tuple[str, frozenset[str]]]


def skill_concepts(skill_ids) -> Skills:
    ids = sorted(set(skill_ids))
    if not ids:
        return {}
    rows = db.session.execute(select(Skill.id, Skill.key, Skill.synonyms).where(Skill.id.in_(ids)))
    return {sid: (key, concepts(key, synonyms or ())) for sid, key, synonyms in rows}


def skills_of(link, owner_column, owner_ids) -> dict[int, list[int]]:
    """owner id → its skill ids: for a list of owner ids, a select of them, or (None) every
    owner's."""
    out: dict[int, list[int]] = {}
    stmt = select(owner_column, link.skill_id)
    if owner_ids is not None:
        if not isinstance(owner_ids, Select):
            owner_ids = list(owner_ids)
            if not owner_ids:
                return out
        stmt = stmt.where(owner_column.in_(owner_ids))
    rows = db.session.execute(stmt)
    for owner_id, skill_id in rows:
        out.setdefault(owner_id, []).append(skill_id)
    return out


def job_side(job: Job, skills: dict | None = None) -> Side:
    ids = [js.skill_id for js in job.job_skills]
    known = skills if skills is not None else skill_concepts(ids)
    picked = [known[i] for i in sorted(ids) if i in known]
    return Side(
        id=job.id,
        skills=tuple(c for _, c in picked),
        hours=ranked_hours(job),
        start=job.start_date,
        end=job.end_date,
        labels=tuple(n for n, _ in picked),
    )


def ranked_hours(job) -> int:
    """The weekly hours the ranking asks an offer to cover. A meeloopdag (a few days) and a
    mentoring (no hours transfer) ask for no weekly capacity, so any offer's hours cover them
    fully and the score is skills and period (app.matches.exchange); the others their hours."""

    kind = flow(getattr(job, "type", None))
    if kind.max_days or not kind.hours_transfer:
        return 1
    return job.hours_per_week


def offer_side(offer: CapacityOffer, skill_ids: list[int], skills: dict) -> Side:
    picked = [skills[i] for i in sorted(skill_ids) if i in skills]
    return Side(
        id=offer.id,
        skills=tuple(c for _, c in picked),
        hours=offer.hours_per_week,
        start=offer.available_from,
        end=offer.available_until,
        labels=tuple(n for n, _ in picked),
    )


def all_skills() -> Skills:
    """The arrangement's whole skill list (a few hundred rows at most) with its concepts."""
    rows = db.session.execute(select(Skill.id, Skill.key, Skill.synonyms))
    return {sid: (key, concepts(key, synonyms or ())) for sid, key, synonyms in rows}


def _picked(skills: Skills, ids: list[int]) -> tuple[frozenset[str], ...]:
    return tuple(skills[i][1] for i in sorted(ids) if i in skills)


def jobs_where(skills: Skills, where: ColumnElement[bool]) -> tuple[dict[int, Side], set[int]]:
    """The jobs ``where`` selects: the open ones as sides (id -> side), and the ids of the others
    (no longer open). Their skill links by subquery of the same jobs: the links of every job
    ever posted are ten times as many (~290,000 in an arrangement with five years of jobs)."""
    columns = (Job.id, Job.status, Job.type, Job.hours_per_week, Job.start_date, Job.end_date)
    rows = db.session.execute(select(*columns).where(where)).all()
    links = skills_of(JobSkill, JobSkill.job_id, select(Job.id).where(where))
    found, closed = {}, set()
    for row in rows:
        if row.status != "open":
            closed.add(row.id)
            continue
        picked = _picked(skills, links.get(row.id, []))
        found[row.id] = Side(row.id, picked, ranked_hours(row), row.start_date, row.end_date)
    return found, closed


def offers_where(skills: Skills, where: ColumnElement[bool]) -> tuple[dict[int, Side], set[int]]:
    """The capacity offers ``where`` selects: the open ones as sides, the ids of the others."""
    rows = db.session.execute(
        select(
            CapacityOffer.id,
            CapacityOffer.status,
            CapacityOffer.hours_per_week,
            CapacityOffer.available_from,
            CapacityOffer.available_until,
        ).where(where)
    ).all()
    links = skills_of(OfferSkill, OfferSkill.offer_id, select(CapacityOffer.id).where(where))
    found, closed = {}, set()
    for offer_id, status, hours, start, end in rows:
        if status != "open":
            closed.add(offer_id)
            continue
        picked = _picked(skills, links.get(offer_id, []))
        found[offer_id] = Side(offer_id, picked, hours, start, end)
    return found, closed
