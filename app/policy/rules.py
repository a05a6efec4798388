"""The checks behind :func:`app.policy.allowed`, one per action.

Two kinds:

- :data:`CLAUSES`: actions on a row that also appears in lists (a job, an offer, an
  application, a match). The single-object check asks the database whether the row passes the
  list's clause (``WHERE id = :id AND <clause>``): the page, the API, the count and the e-mail
  all run the same rule.
- :data:`PREDICATES`: actions that have no list (decide, end, report on, register for, …):
  a function of the user and the resource, built from :mod:`app.policy.roles`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, select

from app.accounts.models import User
from app.extensions import db
from app.matches.models import Match
from app.policy import clauses
from app.policy.roles import (
    is_borrowing_side,
    is_coordinator,
    is_hr_of,
    is_hr_of_either,
    is_lending_side,
    managed_department_ids,
    manages,
    may_post,
)
from app.pool.models import Application, CapacityOffer, Job
from tenants.models import Organisation

Clause = Callable[[Any], ColumnElement[bool]]
Predicate = Callable[[Any, Any], bool]

#: action → (the model, the clause): the list filter and the single-object check.
CLAUSES: dict[str, tuple[type, Clause]] = {
    "job.view": (Job, clauses.jobs_viewable),
    "job.manage": (Job, clauses.jobs_managed),
    "offer.view": (CapacityOffer, clauses.offers_visible),
    "offer.edit": (CapacityOffer, clauses.offers_editable),
    "offer.reason": (CapacityOffer, clauses.reasons_readable),
    "offer.own": (CapacityOffer, clauses.offers_own),
    "application.view": (Application, clauses.applications_visible),
    "application.decide": (Application, clauses.applications_decidable),
    "application.withdraw": (Application, clauses.applications_own),
    "application.own": (Application, clauses.applications_own),
    "match.view": (Match, clauses.matches_visible),
    "match.evaluate": (Match, clauses.matches_evaluating),
    "organisation.member": (Organisation, clauses.organisation_own),
}


def passes(user, action: str, resource) -> bool:
    """Whether ``resource`` passes the clause of ``action`` (one query by primary key)."""
    model, clause = CLAUSES[action]
    found = db.session.scalar(select(model.id).where(model.id == resource.id, clause(user)))
    return found is not None


# --- offers -------------------------------------------------------------------------------------


def registrable_staff(user) -> list[User]:
    """Employees a line manager may register an offer for: their department's staff, where the
    home organisation routes registration through line managers. Empty for everyone else."""
    managed = managed_department_ids(user)
    if not managed:
        return []
    return list(
        db.session.scalars(
            select(User)
            .join(Organisation, Organisation.id == User.organisation_id)
            .where(
                User.department_id.in_(sorted(managed)),
                User.id != user.id,
                User.active.is_(True),
                Organisation.registration_via_line_manager.is_(True),
            )
            .order_by(User.name, User.id)
        )
    )


def may_register_for(user, employee: User | None) -> bool:
    return employee is not None and any(e.id == employee.id for e in registrable_staff(user))


# --- jobs ---------------------------------------------------------------------------------------


def may_see_responses(user, job: Job | None) -> bool:
    """The responses to a job (and its candidates): its posting side and the coordinators."""
    return bool(job is not None and (user.is_coordinator or passes(user, "job.manage", job)))


def may_view_candidates(user, job: Job | None) -> bool:
    """The job's side (its poster, its department's line managers, HR of its organisation) and
    the arrangement's coordinators; each sees only the responses and offers they may see.

    Never HR of another organisation: a job that is not theirs is not theirs to staff, and its
    candidate list would show them the responses and offers around someone else's job.
    """
    return bool(job is not None and passes(user, "job.view", job) and may_see_responses(user, job))


# --- matches ------------------------------------------------------------------------------------


def may_propose_for(user, job_and_employee) -> bool:
    """HR of either organisation, a coordinator, or the job's line manager."""
    job, employee = job_and_employee
    return bool(
        user.is_coordinator
        or (user.is_hr and user.organisation_id in (job.organisation_id, employee.organisation_id))
        or manages(user, job.department_id)
    )


def employee_visible_for_direct(user, employee: User | None) -> bool:
    """Whom a direct proposal may name: staff of the caller's own organisation (or any, for a
    coordinator). Everyone else is answered 404, as if the person did not exist."""
    if employee is None or not employee.active:
        return False
    return user.is_coordinator or employee.organisation_id == user.organisation_id


def may_manage_match(user, match: Match) -> bool:
    """Edit the terms or withdraw: the proposer, HR of either side, coordinators, the job's LM."""
    return bool(
        match.proposed_by_id == user.id
        or user.is_coordinator
        or is_hr_of_either(user, match)
        or manages(user, match.job.department_id)
    )


def may_end_match(user, match: Match) -> bool:
    """End early: either organisation (its HR or the line managers of the parties)."""
    return is_lending_side(user, match) or is_borrowing_side(user, match)


def hr_of_either_or_coordinator(user, match: Match) -> bool:
    """The agreement's flags, its retry and the evaluations: HR of either side, coordinators."""
    return bool(user.is_coordinator or is_hr_of_either(user, match))


def sees_origin(user, match: Match) -> bool:
    """How the match came about — its source (a response, a capacity offer, a direct proposal)
    and when it was proposed — for the employee, the proposer and whoever may see that source
    under the pool's privacy rules.

    The other parties learn of the match at the employee's consent and see what they need to
    decide: the job, the terms, the approvals. Not that the employee had offered capacity or
    responded, nor when they were first approached: their consent covers the placement, not
    the road to it (issue 10, finding 13).
    """
    if user.id in (match.employee_id, match.proposed_by_id):
        return True
    return source_visible(user, match)


def source_visible(user, match: Match) -> bool:
    """For pages that link to the source: may the user open the response or offer?"""
    if match.application is not None:
        return passes(user, "application.view", match.application)
    if match.capacity is not None:
        return passes(user, "offer.view", match.capacity)
    return False


#: action → predicate(user, resource), for actions without a list.
PREDICATES: dict[str, Predicate] = {
    # Organisation and staff: HR of that organisation only.
    "organisation.settings.view": lambda u, org: u.organisation_id == org.id or is_coordinator(u),
    "organisation.settings.edit": lambda u, org: is_hr_of(u, org.id),
    "staff.invite": lambda u, org: is_hr_of(u, org.id),
    "staff.manage": lambda u, org: is_hr_of(u, org.id),
    # Jobs.
    "job.post": lambda u, org: u.organisation_id == org.id and may_post(u),
    "job.responses": may_see_responses,
    "job.candidates": may_view_candidates,
    # Offers.
    "offer.register_for": may_register_for,
    "offer.filter_sensitive_reason": lambda u, _none: bool(u.is_hr),
    # Matches.
    "match.propose": may_propose_for,
    "match.name_employee": employee_visible_for_direct,
    "match.manage": may_manage_match,
    "match.end": may_end_match,
    "match.flags": hr_of_either_or_coordinator,
    "match.agreement.retry": hr_of_either_or_coordinator,
    "match.evaluations.read": hr_of_either_or_coordinator,
    "match.origin": sees_origin,
    # Confirming a month's hours: the host, i.e. the borrowing side.
    "match.hours.confirm": is_borrowing_side,
    # Reports.
    "reports.view": lambda u, _none: bool(u.is_coordinator or u.is_hr),
    "reports.organisation": lambda u, org: bool(u.is_coordinator or is_hr_of(u, org.id)),
    "reports.external_rate": lambda u, _arrangement: is_coordinator(u),
}

#: Actions whose refusal is a 404: the resource's existence is itself private.
HIDDEN = frozenset(
    {
        "job.view",
        "offer.view",
        "application.view",
        "match.view",
        "match.name_employee",
        "reports.organisation",
    }
)
