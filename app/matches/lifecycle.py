"""After agreement: agreed → active (from the start date) → completed (after the end date), or
ended early by either organisation; afterwards the employee and the host evaluate.

The dates that count are those of the agreement in force (the latest version's snapshot): a
change of terms waiting for approval does not move a placement's start or end.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from app import policy
from app.errors import Conflict, Forbidden, InvalidInput
from app.extensions import db
from app.matches import access, notices
from app.matches.followup import Evaluation
from app.matches.models import Match, Placement
from app.transaction import commit
from tenants.context import use_arrangement
from tenants.models import Arrangement, utcnow


def in_force_dates(match: Match) -> tuple[date, date]:
    agreement = match.latest_agreement()
    if agreement is None or not agreement.terms:
        return match.start_date, match.end_date
    terms = agreement.terms
    return date.fromisoformat(terms["start_date"]), date.fromisoformat(terms["end_date"])


def _free_seat(match: Match, today: date) -> None:
    placement = db.session.scalar(select(Placement).where(Placement.match_id == match.id))
    if placement is not None:
        db.session.delete(placement)
    job = match.job
    if job.status == "filled" and job.end_date >= today:
        job.status = "open"


def end_early(user, match: Match, reason: str) -> Match:
    """Either organisation ends an agreed placement before its end date, with a reason."""
    if not policy.allowed(user, "match.end", match):
        raise Forbidden(_("Alleen de uitlenende of inlenende organisatie kan dit beëindigen."))
    if match.status not in ("agreed", "active"):
        raise Conflict(_("Alleen een lopende detachering kan voortijdig eindigen."))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Geef een reden op."), {"reason": [_("Geef een reden op.")]})
    if len(reason) > 2000:
        raise InvalidInput(_("De reden is te lang."), {"reason": [_("Hoogstens 2000 tekens.")]})
    today = date.today()
    match.status = "ended"
    match.ended_at = utcnow()
    match.ended_by_id = user.id
    match.end_reason = reason
    match.updated_at = utcnow()
    _free_seat(match, today)
    notices.tell(match, "match_ended", notices.everyone(match), actor=user)
    return match


def request_evaluations(match: Match) -> None:
    match.evaluation_requested_at = utcnow()
    notices.tell(match, "match_evaluation", [match.employee_id, *notices.host(match)])


def advance(today: date | None = None) -> dict[str, int]:
    """Start and complete placements whose dates came (the hourly schedule). Per arrangement,
    one commit each."""
    today = today or date.today()
    counts = {"activated": 0, "completed": 0}
    session = db.session()
    for arrangement_id in session.scalars(select(Arrangement.id)).all():
        with use_arrangement(arrangement_id):
            running = session.scalars(
                select(Match).where(Match.status.in_(("agreed", "active"))).order_by(Match.id)
            ).all()
            for match in running:
                start, end = in_force_dates(match)
                if end < today:
                    match.status = "completed"
                    match.updated_at = utcnow()
                    request_evaluations(match)
                    counts["completed"] += 1
                elif match.status == "agreed" and start <= today:
                    match.status = "active"
                    match.updated_at = utcnow()
                    counts["activated"] += 1

            commit()
    return counts


# --- evaluations ---------------------------------------------------------------------------------


def evaluation_of(match: Match, role: str) -> Evaluation | None:
    return db.session.scalar(
        select(Evaluation).where(Evaluation.match_id == match.id, Evaluation.role == role)
    )


def may_evaluate(user, match: Match) -> str | None:
    """The role the user evaluates in, when the placement is over and they have not yet."""
    if match.status not in ("completed", "ended"):
        return None
    role = access.evaluation_role(user, match)
    if role is None or evaluation_of(match, role) is not None:
        return None
    return role


def evaluate(user, match: Match, data: dict) -> Evaluation:
    role = access.evaluation_role(user, match)
    if role is None:
        raise Forbidden(_("Alleen de medewerker en de inlener evalueren deze detachering."))
    if match.status not in ("completed", "ended"):
        raise Conflict(_("Evalueren kan als de detachering is afgelopen."))
    if evaluation_of(match, role) is not None:
        raise Conflict(_("Je hebt deze detachering al geëvalueerd."))
    errors: dict[str, list[str]] = {}
    rating = data.get("rating")
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        errors["rating"] = [_("Kies een cijfer van 1 tot en met 5.")]
    texts = {}
    for field in ("went_well", "could_improve"):
        value = (data.get(field) or "").strip()
        if len(value) > 2000:
            errors[field] = [_("Hoogstens 2000 tekens.")]
        texts[field] = value
    if errors:
        raise InvalidInput(_("Controleer de evaluatie."), errors)
    evaluation = Evaluation(
        match_id=match.id,
        role=role,
        author_id=user.id,
        rating=rating,
        again=data.get("again"),
        **texts,
    )
    db.session.add(evaluation)
    db.session.flush()
    return evaluation


def evaluations(match: Match) -> list[Evaluation]:
    return list(
        db.session.scalars(
            select(Evaluation).where(Evaluation.match_id == match.id).order_by(Evaluation.id)
        )
    )
