"""The use cases of matches: read, change the terms, withdraw; proposing is in
:mod:`app.matches.proposals`, deciding in :mod:`app.matches.decisions`, the terms' checks in
:mod:`app.matches.terms`. They ask the rules in :mod:`app.matches.access` first and only flush;
the request commits once.

Refusals are :mod:`app.errors` (:class:`~app.errors.DomainError`: the HTTP status CONTRACT.md asks
for, a Dutch message and, for bad input, the fields); the API answers them as problem details,
the views put them on the form (:func:`app.errors.put_on_form`).
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from app import policy
from app.dates import today as local_today
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.extensions import db
from app.matches import access, agreements, notices
from app.matches.exchange import flow
from app.matches.models import (
    OPEN_STATUSES,
    Approval,
    Match,
    Placement,
)
from app.matches.terms import TERM_FIELDS, _apply_terms, clean_terms
from app.pool.models import Job
from tenants.models import utcnow


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

    ``scope``: ``mine`` (the user is the employee, a functieruil's counterpart, the proposer
    or a deciding party),
    ``organisation`` (the user's organisation lends or borrows), ``all`` (everything visible).
    """
    stmt = select(Match).where(policy.matches_visible(user))
    if scope == "mine":
        managed = policy.managed_department_ids(user)
        mine = [
            Match.employee_id == user.id,
            Match.counterpart_id == user.id,
            Match.proposed_by_id == user.id,
        ]
        if user.is_hr:
            mine.append(Match.lending_organisation_id == user.organisation_id)
            mine.append(Match.borrowing_organisation_id == user.organisation_id)
        if managed:
            staff = policy.staff_ids(managed)
            mine.append(Match.employee_id.in_(staff))
            mine.append(Match.counterpart_id.in_(staff))  # decides for a functieruil's other side
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
