"""The ranking's view of the database: jobs and offers as :class:`~app.matches.ranking.Side`
values (their skills as concepts, their hours and period), and the one shared
:class:`~app.matches.ranking.RankingIndex` per arrangement and process, rebuilt only when its jobs
or offers changed. Nothing here decides who may see what: every ranking that uses the index is
limited to the ids the caller may see (app.matches.suggestions).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, func, select

from app.caches import app_cache
from app.extensions import db
from app.matches.concepts import concepts
from app.matches.exchange import flow
from app.matches.ranking import RankingIndex, Side
from app.pool.models import CapacityOffer, Job, JobSkill, OfferSkill, Skill
from tenants.context import current_arrangement_id


def skill_concepts(skill_ids) -> dict[int, tuple[str, frozenset[str]]]:
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


# --- the shared index ----------------------------------------------------------------------------
#
# One RankingIndex per arrangement and process, over all its open jobs and open offers, built
# once and kept while none of them (nor their skills) changed: what a caller may see is applied
# when ranking (``allowed``), so every user of the arrangement shares it.

INDEX_KEY = "matches_ranking_index"
INDEX_SIZE = 8  # arrangements kept per process


def _version() -> tuple:
    """What the index depends on, in one cheap statement: the newest change of the jobs and
    offers (a new one is the newest change; a changed skill list changes its job's or offer's
    ``updated_at``: app.pool.jobs.operations.set_skills,
    app.pool.offers.operations._set_skills), the highest job id,
    the skill list's count and highest id, and today (offers past their end drop out). Each
    figure is one step down an index (``ix_jobs_changed``, ``ix_capacity_offers_changed``, a
    primary key); no count over the arrangement's hundreds of thousands of skill links. A job
    or offer deleted since stays in the index unseen: every ranking is limited to the ids the
    caller may see now."""

    def newest(column):
        return select(func.max(column)).scalar_subquery()

    row = db.session.execute(
        select(
            newest(Job.updated_at),
            newest(CapacityOffer.updated_at),
            newest(Job.id),
            select(func.count(Skill.id)).scalar_subquery(),
            newest(Skill.id),
        )
    ).one()
    return (*row, date.today())


def _job_sides(skills: dict) -> list[Side]:
    """The open jobs as sides. Their skill links by subquery of the open jobs: the links of
    every job ever posted are ten times as many (~290,000 in an arrangement with five years of
    jobs), which made the first candidates page of each process take seconds and its memory
    grow past what it keeps."""
    is_open = Job.status == "open"
    rows = db.session.execute(
        select(Job.id, Job.type, Job.hours_per_week, Job.start_date, Job.end_date).where(is_open)
    ).all()
    links = skills_of(JobSkill, JobSkill.job_id, select(Job.id).where(is_open))
    out = []
    for row in rows:
        picked = [skills[i] for i in sorted(links.get(row.id, [])) if i in skills]
        out.append(
            Side(
                row.id, tuple(c for _, c in picked), ranked_hours(row), row.start_date, row.end_date
            )
        )
    return out


def _offer_sides(skills: dict) -> list[Side]:
    """The open offers as sides, with the skill links of the open ones only (as for jobs)."""
    is_open = CapacityOffer.status == "open"
    rows = db.session.execute(
        select(
            CapacityOffer.id,
            CapacityOffer.hours_per_week,
            CapacityOffer.available_from,
            CapacityOffer.available_until,
        ).where(is_open)
    ).all()
    links = skills_of(OfferSkill, OfferSkill.offer_id, select(CapacityOffer.id).where(is_open))
    out = []
    for offer_id, hours, start, end in rows:
        picked = [skills[i] for i in sorted(links.get(offer_id, [])) if i in skills]
        out.append(Side(offer_id, tuple(c for _, c in picked), hours, start, end))
    return out


def shared_index() -> RankingIndex:
    """The arrangement's ranking index, kept per process until its jobs or offers change."""
    version = _version()
    key = current_arrangement_id()
    kept = app_cache(INDEX_KEY, INDEX_SIZE)
    hit = kept.get(key)
    if hit is not None and hit[0] == version:
        return hit[1]
    rows = db.session.execute(select(Skill.id, Skill.key, Skill.synonyms))
    skills = {sid: (name, concepts(name, synonyms or ())) for sid, name, synonyms in rows}
    index = RankingIndex(_job_sides(skills), _offer_sides(skills))
    kept.put(key, (version, index))
    return index
