"""Deciding on a match: each party's approval or refusal of the current terms (the employee
first), and on the last approval the placement on a free seat and the agreement.

Operations ask the rules in :mod:`app.matches.access` first and only flush; the request commits.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.errors import Conflict, Forbidden, InvalidInput
from app.extensions import db
from app.matches import access, agreements, notices
from app.matches.exchange import Flow, flow
from app.matches.models import (
    DECISIONS,
    Approval,
    Match,
    Placement,
)
from app.matches.terms import _apply_terms, clean_terms
from tenants.models import utcnow


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
