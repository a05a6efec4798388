"""The use cases of matches: propose, change the terms, decide, withdraw. They ask the rules in
:mod:`app.matches.access` first and only flush; the request commits once.

Refusals are :mod:`app.errors` (:class:`~app.errors.DomainError`: the HTTP status CONTRACT.md asks
for, a Dutch message and, for bad input, the fields); the API answers them as problem details,
the views put them on the form (:func:`app.errors.put_on_form`).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from app import policy
from app.accounts.models import User
from app.dates import day
from app.dates import today as local_today
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.extensions import db
from app.matches import access, agreements, notices
from app.matches.exchange import Flow, flow
from app.matches.models import (
    COST_BASES,
    COST_RECHARGES,
    DECISIONS,
    OPEN_STATUSES,
    VAT_CODES,
    Approval,
    Match,
    Placement,
)
from app.pool.models import Application, CapacityOffer, Job
from tenants.models import utcnow

TERM_FIELDS = (
    "hours_per_week",
    "start_date",
    "end_date",
    "place_of_work",
    "supervisor_name",
    "supervisor_role",
    "cost_recharge",
    "cost_basis",
    "hourly_rate",
    "vat_code",
    "vat_treatment",
    "notes",
)
TEXT_LIMITS = {
    "place_of_work": 200,
    "supervisor_name": 200,
    "supervisor_role": 200,
    "vat_treatment": 300,
    "notes": 5000,
}
MAX_RATE = Decimal("999999.99")


def not_found() -> NotFound:
    return NotFound(_("Niet gevonden."))


# --- reading -------------------------------------------------------------------------------------


def get_match(user, match_id: int) -> Match:
    """The match if the user may see it; otherwise 404 (its existence is private)."""
    match = access.visible_match(user, match_id)
    if match is None:
        raise not_found()
    return match


def visible_matches(user, *, scope: str = "all", status: str | None = None):
    """A select of the matches the user may see, newest first.

    ``scope``: ``mine`` (the user is the employee, the proposer or a deciding party),
    ``organisation`` (the user's organisation lends or borrows), ``all`` (everything visible).
    """
    stmt = select(Match).where(policy.matches_visible(user))
    if scope == "mine":
        managed = policy.managed_department_ids(user)
        mine = [Match.employee_id == user.id, Match.proposed_by_id == user.id]
        if user.is_hr:
            mine.append(Match.lending_organisation_id == user.organisation_id)
            mine.append(Match.borrowing_organisation_id == user.organisation_id)
        if managed:
            mine.append(Match.employee_id.in_(policy.staff_ids(managed)))
            mine.append(Match.job_id.in_(policy.job_side_jobs(user)))
        stmt = stmt.where(or_(*mine))
    elif scope == "organisation":
        stmt = stmt.where(
            or_(
                Match.lending_organisation_id == user.organisation_id,
                Match.borrowing_organisation_id == user.organisation_id,
            )
        )
    if status:
        stmt = stmt.where(Match.status == status)
    return stmt.order_by(Match.created_at.desc(), Match.id.desc())


def free_places(job: Job) -> int:
    taken = db.session.scalar(select(func.count(Placement.id)).where(Placement.job_id == job.id))
    return max(job.places - (taken or 0), 0)


# --- terms ---------------------------------------------------------------------------------------


def _as_date(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None


def clean_terms(data: dict, base: dict, kind: Flow | None = None) -> dict:
    """The terms from ``base`` updated with ``data``, checked; InvalidInput names the fields.

    ``kind`` adds the exchange type's rules (app.matches.exchange): a meeloopdag lasts at most
    a few days; meeloopdag, functieruil and mentoring charge nothing (an asked-for hourly rate
    is refused, a rate sent with "none" is ignored, as for any match)."""
    terms = dict(base)
    terms.update({key: data[key] for key in TERM_FIELDS if key in data})
    errors: dict[str, list[str]] = {}

    def error(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    hours = terms.get("hours_per_week")
    if isinstance(hours, bool) or not isinstance(hours, int) or not 1 <= hours <= 40:
        error("hours_per_week", _("Vul een aantal uren per week in van 1 tot en met 40."))
    start, end = _as_date(terms.get("start_date")), _as_date(terms.get("end_date"))
    if start is None:
        error("start_date", _("Vul een geldige begindatum in."))
    if end is None:
        error("end_date", _("Vul een geldige einddatum in."))
    if start and end and end < start:
        error("end_date", _("De einddatum ligt voor de begindatum."))
    elif kind and kind.max_days and start and end and (end - start).days + 1 > kind.max_days:
        error(
            "end_date",
            _("Een meeloopdag duurt hoogstens %(n)d dagen.", n=kind.max_days),
        )
    terms["start_date"], terms["end_date"] = start, end
    basis = _cost_basis(data, base, error)
    if kind and not kind.costs and basis != "none":
        field = "cost_basis" if data.get("cost_basis") is not None else "cost_recharge"
        error(field, _("Bij deze soort uitwisseling worden geen kosten doorbelast."))
        basis = "none"
    terms["cost_basis"] = basis
    terms["cost_recharge"] = "none" if basis == "none" else "hourly"
    rate = terms.get("hourly_rate")
    if basis != "none":
        try:
            rate = Decimal(str(rate)).quantize(Decimal("0.01")) if rate not in (None, "") else None
        except (InvalidOperation, ValueError):
            rate = None
            error("hourly_rate", _("Vul een bedrag in, bijvoorbeeld 62,50."))
        else:
            if rate is None and basis == "employer_costs":
                error("hourly_rate", _("Vul de werkgeverslasten per uur in."))
            elif rate is None:
                error("hourly_rate", _("Vul het uurtarief in."))
            elif not Decimal(0) <= rate <= MAX_RATE:
                error("hourly_rate", _("Het uurtarief moet tussen 0 en 999.999,99 liggen."))
        terms["hourly_rate"] = rate
    else:
        terms["hourly_rate"] = None
    terms["vat_code"] = _vat_code(data, base, basis, terms["hourly_rate"], error)
    for field, limit in TEXT_LIMITS.items():
        value = terms.get(field)
        value = "" if value is None else str(value).strip()
        if len(value) > limit:
            error(field, _("Hoogstens %(n)d tekens.", n=limit))
        terms[field] = value
    if errors:
        raise InvalidInput(_("Controleer de voorwaarden."), errors)
    return terms


def _cost_basis(data: dict, base: dict, error) -> str:
    """The cost basis from ``cost_basis``, or mapped from the older ``cost_recharge`` (API
    clients of CONTRACT.md): ``none`` → ``none``; ``hourly`` → ``hourly_rate``, or the
    ``employer_costs`` already agreed (both charge an amount per hour)."""
    recharge = data.get("cost_recharge")
    if recharge is not None and recharge not in COST_RECHARGES:
        error("cost_recharge", _("Kies geen doorbelasting of een uurtarief."))
        recharge = None
    basis = data.get("cost_basis")
    if basis is not None:
        if basis not in COST_BASES:
            error("cost_basis", _("Kies werkgeverslasten, een vast uurtarief of geen vergoeding."))
            return "none"
        if recharge is not None and (recharge == "none") != (basis == "none"):
            error("cost_recharge", _("Past niet bij de gekozen kostenbasis."))
        return basis
    previous = base.get("cost_basis")
    if previous not in COST_BASES:
        previous = "hourly_rate" if base.get("cost_recharge") == "hourly" else "none"
    if recharge == "none":
        return "none"
    if recharge == "hourly":
        return previous if previous != "none" else "hourly_rate"
    return previous


def _vat_code(data: dict, base: dict, basis: str, rate, error) -> str:
    """The VAT treatment: the one chosen, else 21 % when a fee is charged (secondment between
    public bodies is in principle taxed) and ``no_fee`` when nothing is charged. ``no_fee`` with
    a fee, or VAT without one, is refused."""
    chosen = data.get("vat_code") or None
    if chosen is not None and chosen not in VAT_CODES:
        error("vat_code", _("Kies btw 21 procent, vrijgesteld (kostendeling) of geen vergoeding."))
        chosen = None
    fee = basis != "none" and (rate is None or rate > 0)
    if not fee:
        if chosen not in (None, "no_fee"):
            if basis == "none":
                error("vat_code", _("Zonder vergoeding wordt geen btw berekend."))
            else:
                return chosen  # a rate of 0 with a treatment chosen: kept (no VAT to pay)
        return "no_fee"
    if chosen == "no_fee":
        error(
            "vat_code", _("Er wordt een vergoeding berekend: kies btw 21 procent of vrijgesteld.")
        )
    if chosen is None:
        previous = base.get("vat_code")
        chosen = previous if previous in ("vat_21", "exempt_cost_sharing") else "vat_21"
    return chosen


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


def _apply_terms(match: Match, terms: dict) -> None:
    for key in TERM_FIELDS:
        setattr(match, key, terms[key])


# --- proposing -----------------------------------------------------------------------------------


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
    from app.pool.jobs import effective_status

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


# --- changing the terms --------------------------------------------------------------------------


def _next_terms_version(match: Match) -> int:
    highest = db.session.scalar(
        select(func.max(Approval.terms_version)).where(Approval.match_id == match.id)
    )
    return max(match.terms_version, highest or 0) + 1


def edit_terms(user, match: Match, data: dict) -> Match:
    """Change the terms: the approvals given no longer count. After agreement this proposes a
    new version of the agreement (an extension is a later end date), approved again by all."""
    if not policy.allowed(user, "match.manage", match):
        raise Forbidden(_("Je kunt de voorwaarden van deze match niet wijzigen."))
    if match.status not in OPEN_STATUSES:
        raise Conflict(_("Deze match is afgesloten; de voorwaarden liggen vast."))
    current = {key: getattr(match, key) for key in TERM_FIELDS}
    paid = data.get("cost_recharge") == "hourly" or data.get("cost_basis") in (
        "employer_costs",
        "hourly_rate",
    )
    if paid and data.get("hourly_rate") in (None, ""):
        # Switching to an hourly rate starts from the lender's default, as a proposal does.
        data = {
            **data,
            "hourly_rate": current["hourly_rate"]
            or match.employee.organisation.default_hourly_rate,
        }
    terms = clean_terms(data, current, flow(match))
    if terms["end_date"] != current["end_date"] and terms["end_date"] < local_today():
        raise InvalidInput(
            _("Deze periode is al voorbij."),
            {"end_date": [_("De einddatum ligt in het verleden.")]},
        )
    if all(terms[key] == current[key] for key in TERM_FIELDS):
        return match
    _apply_terms(match, terms)
    match.terms_version = _next_terms_version(match)
    match.updated_at = utcnow()
    notices.tell(match, "match_terms_changed", notices.everyone(match), actor=user)
    return match


# --- deciding ------------------------------------------------------------------------------------


def choose_party(user, match: Match, party: str | None) -> str:
    parties = access.parties_of(user, match)
    if not parties:
        raise Forbidden(_("Je bent geen partij bij deze match."))
    if party is not None:
        if party not in parties:
            raise Forbidden(_("Je kunt niet namens deze partij besluiten."))
        return party
    undecided = [p for p in parties if p not in match.current_approvals()]
    if len(parties) == 1 or len(undecided) == 1:
        return parties[0] if len(parties) == 1 else undecided[0]
    labels = {
        "employee": _("medewerker"),
        "counterpart": _("ruilpartner"),
        "lending": _("uitlener"),
        "borrowing": _("inlener"),
    }
    raise InvalidInput(
        _("Kies namens welke partij je besluit."),
        {"party": [_("Kies uit: %(parties)s.", parties=", ".join(labels[p] for p in parties))]},
    )


def decide(user, match: Match, decision: str, reason: str = "", party: str | None = None):
    """One party's decision on the current terms (the employee first)."""
    if decision not in DECISIONS:
        raise InvalidInput(_("Kies akkoord of afwijzen."), {"decision": [_("Ongeldige keuze.")]})
    reason = (reason or "").strip()
    if len(reason) > 2000:
        raise InvalidInput(
            _("De toelichting is te lang."), {"reason": [_("Hoogstens 2000 tekens.")]}
        )
    chosen = choose_party(user, match, party)
    if not match.open_for_decisions:
        raise Conflict(_("Over deze match valt niets (meer) te besluiten."))
    current = match.current_approvals()
    if chosen in current:
        raise Conflict(_("Hierover is namens deze partij al besloten."))
    kind = flow(match)
    if chosen not in kind.persons and not _persons_approved(match, kind):
        if len(kind.persons) > 1:
            raise Conflict(_("Beide medewerkers moeten eerst akkoord geven."))
        raise Conflict(_("De medewerker moet eerst akkoord geven."))
    if decision == "decline" and not reason:
        raise InvalidInput(
            _("Geef een reden voor de afwijzing."), {"reason": [_("Geef een reden op.")]}
        )
    now = utcnow()
    approval = Approval(
        match_id=match.id,
        party=chosen,
        decision=decision,
        by_id=user.id,
        at=now,
        reason=reason,
        terms_version=match.terms_version,
    )
    match.approvals.append(approval)
    match.updated_at = now  # bumps row_version: a concurrent decision on this match is refused
    if decision == "decline":
        _declined(user, match, reason)
        return approval
    if chosen in kind.persons and _persons_approved(match, kind):
        # The consent that lets the organisations' sides know: the employee's, or for a
        # functieruil the second of the two people's (access.py reads employee_consented_at).
        if match.employee_consented_at is None:
            match.employee_consented_at = now
        deciders = notices.lending_side(match) + notices.borrowing_side(match)
        notices.tell(match, "match_decision_needed", deciders, actor=user)
        if match.proposed_by_id not in deciders:
            notices.tell(match, "match_employee_approved", [match.proposed_by_id], actor=user)
    approved = {p for p, a in match.current_approvals().items() if a.decision == "approve"}
    if approved == set(kind.parties):
        _agreed(user, match)
    return approval


def _persons_approved(match: Match, kind: Flow) -> bool:
    current = match.current_approvals()
    return all(
        current.get(person) is not None and current[person].decision == "approve"
        for person in kind.persons
    )


def _declined(user, match: Match, reason: str) -> None:
    if match.amendment_pending:
        # The change is off; the agreed terms (the latest agreement's) stay in force.
        agreed = match.latest_agreement()
        terms = clean_terms(agreed.terms, {})
        _apply_terms(match, terms)
        match.terms_version = agreed.terms_version
        notices.tell(match, "match_amendment_declined", notices.everyone(match), actor=user)
        return
    match.status = "declined"
    match.decline_reason = reason
    notices.tell(match, "match_declined", notices.everyone(match), actor=user)


def take_place(match: Match) -> Placement:
    """Take the lowest free seat of the job. UNIQUE(job_id, slot) decides between concurrent
    final approvals; the loser retries with the next free seat or gets 409."""
    job = match.job
    db.session.flush()
    for _attempt in range(job.places + 1):
        taken = set(db.session.scalars(select(Placement.slot).where(Placement.job_id == job.id)))
        free = [slot for slot in range(1, job.places + 1) if slot not in taken]
        if not free:
            break
        placement = Placement(job_id=job.id, slot=free[0], match_id=match.id)
        try:
            with db.session.begin_nested():
                db.session.add(placement)
        except IntegrityError:
            continue  # another approval took this seat a moment ago
        if len(taken) + 1 >= job.places:
            job.status = "filled"
        return placement
    raise Conflict(_("Deze klus heeft geen vrije plaats meer."))


def _refuse_second_placement(match: Match) -> None:
    """One person is placed on one job once: another agreed or running placement of the same
    employee on the same job refuses this final approval (its parties know of that one: the
    employee approved it, and they are the parties of both)."""
    placed = db.session.scalar(
        select(Match.id).where(
            Match.job_id == match.job_id,
            Match.employee_id == match.employee_id,
            Match.id != match.id,
            Match.status.in_(("agreed", "active")),
        )
    )
    if placed is not None:
        raise Conflict(_("Deze medewerker is al voor deze klus gedetacheerd."))


def _agreed(user, match: Match) -> None:
    if match.status == "proposed":
        _refuse_second_placement(match)
        take_place(match)
        match.status = "active" if match.start_date <= date.today() else "agreed"
        match.agreed_at = utcnow()
        if match.application is not None:
            match.application.status = "matched"
    match.agreed_terms_version = match.terms_version
    agreements.create_version(match)
    notices.tell(match, "match_agreed", notices.everyone(match), actor=user)


# --- withdrawing ---------------------------------------------------------------------------------


def withdraw(user, match: Match, reason: str = "") -> Match:
    if not policy.allowed(user, "match.manage", match):
        raise Forbidden(_("Je kunt dit voorstel niet intrekken."))
    if match.status != "proposed":
        raise Conflict(_("Alleen een lopend voorstel kan worden ingetrokken."))
    match.status = "withdrawn"
    match.decline_reason = (reason or "").strip()[:2000]
    match.updated_at = utcnow()
    notices.tell(match, "match_withdrawn", notices.everyone(match), actor=user)
    return match


def retry_agreement(user, match: Match):
    """HR's retry button for an agreement that failed to render."""
    if not policy.allowed(user, "match.agreement.retry", match):
        raise Forbidden(_("Alleen P&O of een coördinator kan dit opnieuw proberen."))
    agreement = match.latest_agreement()
    if agreement is None or agreement.status != "failed":
        raise Conflict(_("Er is geen mislukte overeenkomst om opnieuw te maken."))
    return agreements.retry(agreement)
