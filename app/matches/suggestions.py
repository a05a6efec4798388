"""Suggestions: for a job, the responses and the capacity offers that fit, ranked, with their
reasons ("3 van 4 vaardigheden, 8 van 12 uur, beschikbaar vanaf 1 maart"); for an employee's
offer, the jobs that fit it. What is ranked is only what the caller may see: the offers come
through the pool's privacy clause, the responses through its application clause.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from app import policy
from app.accounts.models import User
from app.caches import app_cache
from app.dates import day
from app.extensions import db
from app.matches.models import OPEN_STATUSES, Match
from app.matches.ranking import Fit, RankingIndex, Side, concepts, fit, text_concepts
from app.pool.models import Application, CapacityOffer, Job, JobSkill, OfferSkill, Skill
from tenants.context import current_arrangement_id

OPEN_APPLICATIONS = ("submitted", "in_conversation")


@dataclass
class Candidate:
    kind: str  # "application" | "capacity" | "job"
    id: int
    fit: Fit
    employee: User | None = None
    job: Job | None = None
    source: object = None
    proposed: bool = False
    reasons: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        return self.fit.score

    @property
    def job_id(self) -> int:
        return self.fit.job_id


def posting_side_jobs(user) -> list[Job]:
    """The open jobs the user posts (for links to their candidates)."""
    if not (user.is_hr or policy.managed_department_ids(user)):
        return []
    return list(
        db.session.scalars(
            select(Job)
            .where(policy.jobs_managed(user), Job.status == "open")
            .order_by(Job.created_at.desc(), Job.id.desc())
            .limit(50)
        )
    )


def direct_candidates(user, job: Job) -> list[User]:
    """Whom the user may propose directly for the job: their own organisation's staff, for HR
    and for the job's line manager. Only people a proposal can be for: not HR advisers or
    coordinators (they run the placements, the list is of "Medewerkers"), not someone the caller
    may not propose, and not someone already in an open match for this job that the caller can
    see (a proposal would be refused)."""
    if not (user.is_hr or policy.manages(user, job.department_id)):
        return []
    staff = db.session.scalars(
        select(User)
        .where(
            User.organisation_id == user.organisation_id,
            User.active.is_(True),
            User.id != user.id,
            User.is_hr.is_(False),
            User.is_coordinator.is_(False),
        )
        .order_by(User.name, User.id)
    ).all()
    taken = set(
        db.session.scalars(
            select(Match.employee_id).where(
                Match.job_id == job.id,
                Match.status.in_(OPEN_STATUSES),
                policy.matches_visible(user),
            )
        )
    )
    return [
        person
        for person in staff
        if person.id not in taken and policy.allowed(user, "match.propose", (job, person))
    ]


# --- loading -------------------------------------------------------------------------------------


def _skill_concepts(skill_ids) -> dict[int, tuple[str, frozenset[str]]]:
    ids = sorted(set(skill_ids))
    if not ids:
        return {}
    rows = db.session.execute(select(Skill.id, Skill.key, Skill.synonyms).where(Skill.id.in_(ids)))
    return {sid: (key, concepts(key, synonyms or ())) for sid, key, synonyms in rows}


def _skills_of(link, owner_column, owner_ids) -> dict[int, list[int]]:
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
    known = skills if skills is not None else _skill_concepts(ids)
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
    from app.matches.exchange import flow

    kind = flow(getattr(job, "type", None))
    if kind.max_days or not kind.hours_transfer:
        return 1
    return job.hours_per_week


def _offer_side(offer: CapacityOffer, skill_ids: list[int], skills: dict) -> Side:
    picked = [skills[i] for i in sorted(skill_ids) if i in skills]
    return Side(
        id=offer.id,
        skills=tuple(c for _, c in picked),
        hours=offer.hours_per_week,
        start=offer.available_from,
        end=offer.available_until,
        labels=tuple(n for n, _ in picked),
    )


def _open_offers_query(user):
    today = date.today()
    return select(CapacityOffer.id).where(
        policy.offers_visible(user),
        CapacityOffer.status == "open",
        (CapacityOffer.available_until.is_(None)) | (CapacityOffer.available_until >= today),
    )


def _open_offers(user) -> list:
    """The open offers the user may see, as rows of the columns ranking reads (id, user_id,
    hours_per_week, available_from, available_until): a large arrangement has thousands, and
    only the few that make the list become objects (see candidates_for_job)."""
    columns = (
        CapacityOffer.id,
        CapacityOffer.user_id,
        CapacityOffer.hours_per_week,
        CapacityOffer.available_from,
        CapacityOffer.available_until,
    )
    stmt = _open_offers_query(user).with_only_columns(*columns).order_by(CapacityOffer.id)
    return list(db.session.execute(stmt))


def _proposed_for(user, job: Job) -> set[int]:
    """Employees with an open match for the job, among the matches ``user`` may know of (a
    proposal still waiting for the employee is private: no "already proposed" mark either)."""
    return set(
        db.session.scalars(
            select(Match.employee_id).where(
                Match.job_id == job.id,
                Match.status.in_(OPEN_STATUSES),
                policy.matches_visible(user),
            )
        )
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
    ``updated_at``: app.pool.jobs.set_skills, app.pool.offers._set_skills), the highest job id,
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
    rows = db.session.execute(
        select(Job.id, Job.type, Job.hours_per_week, Job.start_date, Job.end_date).where(
            Job.status == "open"
        )
    ).all()
    links = _skills_of(JobSkill, JobSkill.job_id, None)
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
    rows = db.session.execute(
        select(
            CapacityOffer.id,
            CapacityOffer.hours_per_week,
            CapacityOffer.available_from,
            CapacityOffer.available_until,
        ).where(CapacityOffer.status == "open")
    ).all()
    links = _skills_of(OfferSkill, OfferSkill.offer_id, None)
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


# --- for a job -----------------------------------------------------------------------------------


def candidates_for_job(user, job: Job, limit: int = 20) -> dict[str, list[Candidate]]:
    """Ranked responses to the job and ranked capacity offers, both as the user may see them."""
    offers = _open_offers(user)
    # by subquery, not by a list of thousands of ids
    offer_skills = (
        _skills_of(OfferSkill, OfferSkill.offer_id, _open_offers_query(user)) if offers else {}
    )
    job_skill_ids = [js.skill_id for js in job.job_skills]
    all_ids = job_skill_ids + [s for ids in offer_skills.values() for s in ids]
    skills = _skill_concepts(all_ids)
    wanted = job_side(job, skills)
    proposed = _proposed_for(user, job)

    applications = list(
        db.session.scalars(
            select(Application)
            .where(
                Application.job_id == job.id,
                Application.status.in_(OPEN_APPLICATIONS),
                policy.applications_visible(user),
            )
            .options(selectinload(Application.user))
            .order_by(Application.id)
        )
    )
    responders = {a.user_id for a in applications}
    offers_by_user: dict[int, list[CapacityOffer]] = {}
    for offer in offers:
        offers_by_user.setdefault(offer.user_id, []).append(offer)

    responses = []
    for application in applications:
        side = _response_side(
            application, offers_by_user.get(application.user_id, []), offer_skills, skills, wanted
        )
        candidate = Candidate(
            "application",
            application.id,
            fit(wanted, side),
            employee=application.user,
            job=job,
            source=application,
            proposed=application.user_id in proposed,
        )
        responses.append(candidate)
    responses.sort(key=lambda c: (-c.score, c.id))

    others = [o for o in offers if o.user_id not in responders]
    allowed = {o.id for o in others}
    found_offers = shared_index().offers_for(wanted, limit, allowed=allowed)
    by_id = {}
    if found_offers:  # only the listed offers become objects
        by_id = {
            o.id: o
            for o in db.session.scalars(
                select(CapacityOffer)
                .where(CapacityOffer.id.in_([f.offer_id for f in found_offers]))
                .options(selectinload(CapacityOffer.user))
            )
        }
    ranked = []
    for found in found_offers:
        offer = by_id[found.offer_id]
        ranked.append(
            Candidate(
                "capacity",
                offer.id,
                found,
                employee=offer.user,
                job=job,
                source=offer,
                proposed=offer.user_id in proposed,
            )
        )
    for candidate in responses + ranked:
        candidate.reasons = reasons(candidate.fit)
    return {"responses": responses[:limit], "offers": ranked}


def _response_side(application, offers, offer_skills, skills, wanted: Side) -> Side:
    """A response's skills: those the motivation mentions, and those of the applicant's open
    offers that the caller may see; its hours and period likewise."""
    mentioned = text_concepts(application.motivation, wanted.skills)
    offered: set[frozenset[str]] = set()
    for offer in offers:
        offered.update(skills[i][1] for i in offer_skills.get(offer.id, []) if i in skills)
    skill_sets = tuple(offered) + ((mentioned,) if mentioned else ())
    first = min(offers, key=lambda o: o.available_from) if offers else None
    hours = application.hours_per_week or (first.hours_per_week if first else None)
    return Side(
        id=application.id,
        skills=skill_sets,
        hours=hours,
        start=first.available_from if first else None,
        end=first.available_until if first else None,
    )


# --- for an offer --------------------------------------------------------------------------------


def jobs_for_offer(
    user, offer: CapacityOffer, limit: int = 20, *, overlapping: bool = False
) -> list[Candidate]:
    """The open jobs the user may see that fit this offer, best first; with ``overlapping``
    only jobs whose period overlaps the offer's (the employee's "Klussen voor jou")."""
    from app.pool.search import jobs_by_ids

    visible = set(db.session.scalars(select(Job.id).where(policy.jobs_visible(user, "open"))))
    offer_skill_ids = [os_.skill_id for os_ in offer.offer_skills]
    mine = _offer_side(offer, offer_skill_ids, _skill_concepts(offer_skill_ids))
    found = shared_index().jobs_for(mine, limit, allowed=visible, overlapping=overlapping)
    by_id = {job.id: job for job in jobs_by_ids([f.job_id for f in found])}
    out = []
    for fitting in found:
        job = by_id.get(fitting.job_id)
        if job is None:
            continue
        candidate = Candidate("job", job.id, fitting, employee=offer.user, job=job, source=offer)
        candidate.reasons = reasons(fitting)
        out.append(candidate)
    return out


# --- reasons -------------------------------------------------------------------------------------


def _day(value: date) -> str:
    """The pages' one date style (app.dates), so a reason reads like the dates around it."""
    return day(value)


def reasons(found: Fit) -> list[str]:
    """The figures behind a suggestion, in words."""
    out = []
    if found.skills_total:
        out.append(
            _(
                "%(n)d van %(total)d vaardigheden",
                n=found.skills_matched,
                total=found.skills_total,
            )
        )
    if found.hours_offered is not None:
        out.append(
            _(
                "%(n)d van %(total)d uur",
                n=min(found.hours_offered, found.hours_needed),
                total=found.hours_needed,
            )
        )
    start, until = found.available_from, found.available_until
    if start is None and until is None:
        return out
    if found.period_share <= 0:
        out.append(_("niet beschikbaar in de periode van de klus"))
    elif start and start > found.job_start:
        out.append(_("beschikbaar vanaf %(day)s", day=_day(start)))
    elif until and until < found.job_end:
        out.append(_("beschikbaar tot %(day)s", day=_day(until)))
    else:
        out.append(_("beschikbaar in de hele periode"))
    return out
