"""Telling the parties of a match what happened: in the app and by e-mail.

Every notice goes through the pool's :func:`app.pool.notifications.operations.notify`, whose
rule for the match kinds is :mod:`app.policy`'s ``match.view`` (``match.evaluate`` for the
evaluation): whoever may not (yet) know of the match — the employee's own line manager before the
employee approved, anyone of a third organisation — gets no notification and no e-mail, whatever
list of recipients a step passes. The e-mail is an outbox row (ids only) rendered at delivery by
:mod:`app.matches.emails`, which checks again.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.matches.exchange import flow
from app.matches.models import Match
from app.outbox.operations import record
from app.pool.notifications.operations import Kind, notify
from tenants.models import DepartmentManager

#: notice kind → e-mail template (templates/emails/<name>.txt).
EMAIL_TEMPLATES = {
    "match_proposed": "matches_proposed",
    "match_decision_needed": "matches_decision_needed",
    "match_employee_approved": "matches_employee_approved",
    "match_declined": "matches_declined",
    "match_agreed": "matches_agreed",
    "match_terms_changed": "matches_terms_changed",
    "match_amendment_declined": "matches_amendment_declined",
    "match_withdrawn": "matches_withdrawn",
    "match_ended": "matches_ended",
    "match_evaluation": "matches_evaluation",
}


def _load(refs: dict) -> dict | None:
    match = db.session.get(Match, refs.get("match_id"))
    return None if match is None else {"match": match}


def _names(o: dict) -> dict:
    match = o["match"]
    return {"employee": match.employee.name, "job": match.job.title, "kind": kind_noun(match)}


def kind_noun(match: Match) -> str:
    """What the notices call this match's exchange: detachering, meeloopdag, functieruil, …"""
    return str(flow(match).noun)


TEXTS = {
    "match_proposed": lambda o: _(
        "Je bent voorgesteld voor „%(job)s” (%(kind)s). Geef aan of je akkoord bent.", **_names(o)
    ),
    "match_decision_needed": lambda o: _(
        "%(employee)s is akkoord met een %(kind)s voor „%(job)s”. Jouw besluit is nodig.",
        **_names(o),
    ),
    "match_employee_approved": lambda o: _(
        "%(employee)s is akkoord met je voorstel voor een %(kind)s bij „%(job)s”.", **_names(o)
    ),
    "match_declined": lambda o: _(
        "Het voorstel voor een %(kind)s van %(employee)s bij „%(job)s” is afgewezen.", **_names(o)
    ),
    "match_agreed": lambda o: _(
        "De %(kind)s van %(employee)s voor „%(job)s” is door alle partijen goedgekeurd.",
        **_names(o),
    ),
    "match_terms_changed": lambda o: _(
        "De voorwaarden van de %(kind)s van %(employee)s voor „%(job)s” zijn gewijzigd en "
        "moeten opnieuw worden goedgekeurd.",
        **_names(o),
    ),
    "match_amendment_declined": lambda o: _(
        "De wijziging van de %(kind)s van %(employee)s voor „%(job)s” is afgewezen; de "
        "afgesproken voorwaarden blijven gelden.",
        **_names(o),
    ),
    "match_withdrawn": lambda o: _(
        "Het voorstel voor een %(kind)s van %(employee)s bij „%(job)s” is ingetrokken.", **_names(o)
    ),
    "match_ended": lambda o: _(
        "De %(kind)s van %(employee)s voor „%(job)s” is voortijdig beëindigd.", **_names(o)
    ),
    "match_evaluation": lambda o: _(
        "De %(kind)s van %(employee)s voor „%(job)s” is afgelopen. Hoe ging het? Vul de "
        "korte evaluatie in.",
        **_names(o),
    ),
}


#: The match's notification kinds, registered by the matches' ``init_app``
#: (app.pool.notifications.operations.register_kinds).
NOTIFICATION_KINDS: dict[str, Kind] = {
    kind: Kind(
        load=_load,
        # Who may hear it: app.policy's "match.view" ("match.evaluate" for the evaluation).
        rule="match.evaluate" if kind == "match_evaluation" else "match.view",
        subject="match",
        text=lambda o, refs, _text=text: _text(o),
        endpoint=lambda o: ("matches.detail", {"match_id": o["match"].id}),
    )
    for kind, text in TEXTS.items()
}


# --- who -----------------------------------------------------------------------------------------


def _hr_of(organisation_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(User.id)
            .where(User.organisation_id == organisation_id, User.is_hr.is_(True), User.active)
            .order_by(User.id)
        )
    )


def managers_of(department_id: int | None) -> list[int]:
    if department_id is None:
        return []
    return list(
        db.session.scalars(
            select(DepartmentManager.user_id)
            .where(DepartmentManager.department_id == department_id)
            .order_by(DepartmentManager.user_id)
        )
    )


def lending_side(match: Match) -> list[int]:
    return managers_of(match.employee.department_id) + _hr_of(match.lending_organisation_id)


def borrowing_side(match: Match) -> list[int]:
    """The job's line managers and HR of its organisation; for a functieruil also the line
    managers of the counterpart (whose role the employee takes)."""
    counterpart = managers_of(match.counterpart.department_id) if match.counterpart else []
    return (
        managers_of(match.job.department_id) + counterpart + _hr_of(match.borrowing_organisation_id)
    )


def persons(match: Match) -> list[int]:
    """The people placed: the employee, and a functieruil's counterpart."""
    return [match.employee_id] + ([match.counterpart_id] if match.counterpart_id else [])


def host(match: Match) -> list[int]:
    """Who evaluates for the host: the job's line managers, else HR of its organisation."""
    return managers_of(match.job.department_id) or _hr_of(match.borrowing_organisation_id)


def everyone(match: Match) -> list[int]:
    """All parties; :func:`tell` drops those who may not know (yet)."""
    ids = persons(match)
    if match.proposed_by_id:
        ids.append(match.proposed_by_id)
    return ids + lending_side(match) + borrowing_side(match)


# --- telling -------------------------------------------------------------------------------------


def tell(match: Match, kind: str, recipients: Iterable[int], *, actor=None) -> list[int]:
    """Notify each recipient who may know of the match (not the one who acted); returns who."""
    db.session.flush()  # the rule reads the match's current state from the database
    told = []
    skip = {getattr(actor, "id", actor)} if actor is not None else set()
    for user_id in dict.fromkeys(recipients):
        if user_id in skip or user_id is None:
            continue
        if notify(user_id, kind, email=False, match_id=match.id) is None:
            continue  # may not know: no notification, no e-mail
        record("matches.email", recipient_id=user_id, match_id=match.id, notice=kind)
        told.append(user_id)
    return told
