"""Proposing a match: its source (a response, an offer with a job, a job with an employee), who
may propose, the terms it starts with, the period and the functieruil's counterpart.

Operations ask the rules in :mod:`app.matches.access` first and only flush; the request commits.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import policy
from app.accounts.models import User
from app.dates import day
from app.dates import today as local_today
from app.errors import Conflict, Forbidden, InvalidInput
from app.extensions import db
from app.matches import notices
from app.matches.exchange import flow
from app.matches.models import (
    OPEN_STATUSES,
    Match,
)
from app.matches.operations import free_places, not_found
from app.matches.terms import _apply_terms, clean_terms
from app.pool.jobs.operations import effective_status
from app.pool.models import Application, CapacityOffer, Job


def _default_terms(job: Job, employee: User, offer: CapacityOffer | None, hours: int | None):
    start, end = job.start_date, job.end_date
    if offer is not None:
        start = max(start, offer.available_from)
        if offer.available_until is not None:
            end = min(end, offer.available_until)
        hours = hours or offer.hours_per_week
    if end < start:
        start, end = job.start_date, job.end_date
    return {
        "hours_per_week": min(hours, job.hours_per_week) if hours else job.hours_per_week,
        "start_date": start,
        "end_date": end,
        "place_of_work": job.location or "",
        "supervisor_name": job.contact.name if job.contact else "",
        "supervisor_role": "",
        "cost_recharge": "none",
        "cost_basis": "none",
        "hourly_rate": employee.organisation.default_hourly_rate,
        "vat_code": "no_fee",
        "vat_treatment": "",
        "notes": "",
    }


def proposal_defaults(job: Job, employee: User, offer=None, application=None) -> dict:
    """What the proposal form starts with (the lending organisation's rate preselected; a
    meeloopdag's first day only, as a period of a few days is what it may be)."""
    hours = application.hours_per_week if application is not None else None
    terms = _default_terms(job, employee, offer, hours)
    kind = flow(job.type)
    if kind.max_days:
        terms["end_date"] = terms["start_date"]
    return terms


def resolve_source(user, data: dict) -> tuple[Job, User, Application | None, CapacityOffer | None]:
    """The job, the employee and the source named by a proposal; 404 for what the user may not
    see (a response or offer hidden by the privacy settings is answered as absent)."""
    application = offer = None
    if data.get("application_id") is not None:
        if data.get("capacity_id") is not None or data.get("employee_id") is not None:
            raise InvalidInput(
                _("Noem een reactie, of een aanbod met een klus, of een klus met een medewerker."),
                {"application_id": [_("Niet samen met een aanbod of medewerker.")]},
            )
        application = db.session.get(Application, data["application_id"])
        if not policy.allowed(user, "application.view", application):
            raise not_found()
        job, employee = application.job, application.user
        if data.get("job_id") not in (None, job.id):
            raise InvalidInput(
                _("Deze reactie hoort bij een andere klus."),
                {"job_id": [_("Deze reactie hoort bij een andere klus.")]},
            )
        return job, employee, application, None
    if data.get("job_id") is None:
        raise InvalidInput(
            _("Noem een reactie, of een aanbod met een klus, of een klus met een medewerker."),
            {"job_id": [_("Kies de klus.")]},
        )
    if data.get("capacity_id") is not None:
        if data.get("employee_id") is not None:
            raise InvalidInput(
                _("Noem een aanbod of een medewerker, niet allebei."),
                {"employee_id": [_("Niet samen met een aanbod.")]},
            )
        offer = db.session.get(CapacityOffer, data["capacity_id"])
        if not policy.allowed(user, "offer.view", offer):
            raise not_found()
        employee = offer.user
    elif data.get("employee_id") is not None:
        employee = db.session.get(User, data["employee_id"])
        if not policy.allowed(user, "match.name_employee", employee):
            raise not_found()
    else:
        raise InvalidInput(
            _("Kies een aanbod of een medewerker voor deze klus."),
            {"employee_id": [_("Kies een medewerker of een aanbod.")]},
        )
    job = db.session.get(Job, data["job_id"])
    if not policy.allowed(user, "job.view", job):
        raise not_found()
    return job, employee, None, offer


def proposal_form_source(user, data: dict):
    """The job, employee and source for the proposal form: only for whoever may propose this
    person for this job. Anyone else gets 404 — HR of a third organisation may see an offer
    open to the arrangement and the job, but the form would make them a party to a placement
    between two organisations that are not theirs."""
    job, employee, application, offer = resolve_source(user, data)
    if not policy.allowed(user, "match.propose", (job, employee)):
        raise not_found()
    return job, employee, application, offer


def check_can_propose(user, job: Job, employee: User, application=None, offer=None) -> None:
    """403 for a caller who may not propose; 409 for a job or source that cannot take one."""
    if not policy.allowed(user, "match.propose", (job, employee)):
        raise Forbidden(
            _(
                "Alleen P&O van een van beide organisaties, een coördinator of de leidinggevende "
                "van de klus kan een match voorstellen."
            )
        )

    if effective_status(job) != "open":
        raise Conflict(_("Deze klus staat niet (meer) open."))
    if free_places(job) < 1:
        raise Conflict(_("Deze klus heeft geen vrije plaats meer."))
    if not employee.active:
        raise Conflict(_("Deze medewerker is niet meer actief."))
    if application is not None and application.status not in ("submitted", "in_conversation"):
        raise Conflict(_("Deze reactie is niet meer open."))
    if offer is not None and offer.status != "open":
        raise Conflict(_("Dit aanbod is niet meer open."))
    # Only a match the caller may know of refuses a second one: a proposal that still waits for
    # the employee is private (the own line manager proposing would learn of it from a 409).
    # Two proposals by people who cannot see each other may both run; the placement takes the
    # person once (_refuse_second_placement).
    #
    # Concurrent proposals: the same proposer's are stopped by the partial unique index
    # ``uq_matches_open_proposal`` (see propose()). Different proposers of the same job are
    # serialised on PostgreSQL by locking the job's row (FOR NO KEY UPDATE: it does not wait for
    # the foreign-key checks of responses and seats, so it cannot deadlock with them), so this
    # check sees a proposal committed a moment ago. SQLite runs one writer at a time anyway.
    db.session.execute(select(Job.id).where(Job.id == job.id).with_for_update(key_share=True))
    existing = db.session.scalar(
        select(Match.id).where(
            Match.job_id == job.id,
            Match.employee_id == employee.id,
            Match.status.in_(OPEN_STATUSES),
            policy.matches_visible(user),
        )
    )
    if existing is not None:
        raise Conflict(_("Voor deze medewerker en klus loopt al een match."))


#: The flag a proposer sets to place someone outside the job's own period (API and form).
CONFIRM_OUTSIDE = "confirm_outside_job_period"


def check_period(job: Job, terms: dict, *, confirmed: bool) -> None:
    """A proposal whose period has already ended is refused: nobody is placed in the past, and
    the agreement would be signed after the fact. A period outside the job's own (earlier start,
    later end) may be what the parties want, but is a common slip: it needs the explicit
    ``confirm_outside_job_period``."""
    start, end = terms["start_date"], terms["end_date"]
    if end < local_today():
        raise InvalidInput(
            _("Deze periode is al voorbij."),
            {"end_date": [_("De einddatum ligt in het verleden.")]},
        )
    if (start < job.start_date or end > job.end_date) and not confirmed:
        message = _(
            "De periode valt buiten die van de klus (%(start)s – %(end)s). Bevestig dat je "
            "dat zo wilt.",
            start=day(job.start_date),
            end=day(job.end_date),
        )
        raise InvalidInput(message, {CONFIRM_OUTSIDE: [message]})


def resolve_counterpart(user, job: Job, employee: User, data: dict) -> User | None:
    """The functieruil's second person: an active employee of the job's organisation, named
    by ``counterpart_id``, whom the proposer may name (as for a direct proposal: staff of the
    own organisation, anyone for a coordinator; else 404). Other types take none (400)."""
    counterpart_id = data.get("counterpart_id")
    if flow(job.type).persons == ("employee",):
        if counterpart_id is not None:
            raise InvalidInput(
                _("Alleen een functieruil heeft een tweede medewerker."),
                {"counterpart_id": [_("Alleen bij een functieruil.")]},
            )
        return None
    if counterpart_id is None:
        raise InvalidInput(
            _("Kies wie de functie van de medewerker overneemt."),
            {"counterpart_id": [_("Kies een medewerker van de organisatie van de klus.")]},
        )
    counterpart = db.session.get(User, counterpart_id)
    if not policy.allowed(user, "match.name_employee", counterpart):
        raise not_found()
    if counterpart.organisation_id != job.organisation_id or counterpart.id == employee.id:
        raise InvalidInput(
            _("Bij een functieruil ruilen twee medewerkers van twee organisaties."),
            {"counterpart_id": [_("Kies een medewerker van de organisatie van de klus.")]},
        )
    if employee.organisation_id == job.organisation_id:
        raise InvalidInput(
            _("Bij een functieruil ruilen twee medewerkers van twee organisaties."),
            {"employee_id": [_("Kies een medewerker van een andere organisatie.")]},
        )
    return counterpart


def counterpart_choices(user, job: Job, employee: User) -> list[User]:
    """Whom the proposal form offers as a functieruil's counterpart: the active staff of the
    job's organisation that ``user`` may name (resolve_counterpart's rule), but the employee."""
    if not (user.is_coordinator or user.organisation_id == job.organisation_id):
        return []
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.organisation_id == job.organisation_id,
                User.active,
                User.id != employee.id,
            )
            .order_by(User.name)
        )
    )


def propose(user, data: dict) -> Match:
    """A new match from a response, an offer with a job, or a job with an employee; its type is
    the job's, and a functieruil names the counterpart too."""
    job, employee, application, offer = resolve_source(user, data)
    check_can_propose(user, job, employee, application, offer)
    counterpart = resolve_counterpart(user, job, employee, data)
    kind = flow(job.type)
    base = proposal_defaults(job, employee, offer, application)
    terms = clean_terms(data, base, kind)
    check_period(job, terms, confirmed=bool(data.get(CONFIRM_OUTSIDE)))
    match = Match(
        job_id=job.id,
        type=kind.type,
        counterpart_id=counterpart.id if counterpart else None,
        employee_id=employee.id,
        application_id=application.id if application else None,
        capacity_id=offer.id if offer else None,
        proposed_by_id=user.id,
        lending_organisation_id=employee.organisation_id,
        borrowing_organisation_id=job.organisation_id,
        status="proposed",
        terms_version=1,
    )
    _apply_terms(match, terms)
    try:
        with db.session.begin_nested():
            db.session.add(match)
    except IntegrityError:
        # The same proposal by the same person committed a moment ago (uq_matches_open_proposal):
        # the caller can see that match, so telling them is no leak.
        raise Conflict(_("Voor deze medewerker en klus loopt al een match.")) from None
    notices.tell(match, "match_proposed", notices.persons(match), actor=user)
    return match
