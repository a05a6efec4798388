"""Suggestions: for a job, the responses and the capacity offers that fit, ranked, with their
reasons ("3 van 4 vaardigheden, 8 van 12 uur, beschikbaar vanaf 1 maart"); for an employee's
offer, the jobs that fit it. What is ranked is only what the caller may see: the offers come
through the pool's privacy clause, the responses through its application clause.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import policy
from app.accounts.models import User
from app.dates import day
from app.extensions import db
from app.matches.concepts import text_concepts
from app.matches.models import OPEN_STATUSES, Match
from app.matches.pool_index import shared_index
from app.matches.ranking import Fit, Side, fit
from app.matches.sides import job_side, offer_side, skill_concepts, skills_of
from app.pool.models import Application, CapacityOffer, Job, OfferSkill
from app.pool.search import jobs_by_ids

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


def _open_offers_query(user):
    today = date.today()
    return select(CapacityOffer.id).where(
        policy.offers_visible(user),
        CapacityOffer.status == "open",
        (CapacityOffer.available_until.is_(None)) | (CapacityOffer.available_until >= today),
    )


def _open_offers(user, of_users) -> list:
    """The open offers the user may see of the employees ``of_users`` (those who responded), as
    rows of the columns a response's side reads (id, user_id, hours_per_week, available_from,
    available_until)."""
    if not of_users:
        return []
    columns = (
        CapacityOffer.id,
        CapacityOffer.user_id,
        CapacityOffer.hours_per_week,
        CapacityOffer.available_from,
        CapacityOffer.available_until,
    )
    stmt = (
        _open_offers_query(user)
        .with_only_columns(*columns)
        .where(CapacityOffer.user_id.in_(sorted(of_users)))
        .order_by(CapacityOffer.id)
    )
    return list(db.session.execute(stmt))


def _rankable_offer_ids(user, responders) -> set[int]:
    """The ids of the open offers the user may see, except those of the job's responders (they
    are listed as responses): what the shared index may rank. Ids only, one column: a large
    arrangement shows thousands, and only the few that make the list are loaded whole."""
    stmt = _open_offers_query(user)
    if responders:
        stmt = stmt.where(CapacityOffer.user_id.not_in(sorted(responders)))
    return set(db.session.scalars(stmt))


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


# --- for a job -----------------------------------------------------------------------------------


def candidates_for_job(user, job: Job, limit: int = 20) -> dict[str, list[Candidate]]:
    """Ranked responses to the job and ranked capacity offers, both as the user may see them.

    What is loaded does not grow with the arrangement's offers beyond one column of ids: the
    responses with their applicants' offers (a response's side), the ids of the other offers
    the caller may see (the index ranks among them), and whole rows only for the ``limit``
    offers ranked best."""
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
    offers = _open_offers(user, responders)
    offer_skills = skills_of(OfferSkill, OfferSkill.offer_id, [o.id for o in offers])
    job_skill_ids = [js.skill_id for js in job.job_skills]
    all_ids = job_skill_ids + [s for ids in offer_skills.values() for s in ids]
    skills = skill_concepts(all_ids)
    wanted = job_side(job, skills)
    proposed = _proposed_for(user, job)
    offers_by_user: dict[int, list] = {}
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

    allowed = _rankable_offer_ids(user, responders)
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

    visible = set(db.session.scalars(select(Job.id).where(policy.jobs_visible(user, "open"))))
    offer_skill_ids = [os_.skill_id for os_ in offer.offer_skills]
    mine = offer_side(offer, offer_skill_ids, skill_concepts(offer_skill_ids))
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
