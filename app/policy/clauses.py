"""The SQL clauses: which rows a user may see or act on, for lists, searches and counts — and,
through :func:`app.policy.allowed`, for one object (the single-object check runs the same
clause with ``id = :id``: one rule, never a Python twin that can drift).

Each function returns a boolean SQL expression to combine with ``select(Model)``. The rules
they implement are the rows of :mod:`app.policy.table`; ``tests/policy/test_policy_table*.py``
check every row against them.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, and_, false, not_, or_, select, true

from app.dates import today
from app.matches.models import Match
from app.policy.roles import authenticated, managed_department_ids, staff_ids
from app.pool.models import Application, CapacityOffer, Job
from tenants.models import Organisation

#: ``capacity_visibility``: the hiring side of the arrangement (HR and line managers of every
#: member organisation) sees the offers.
HIRING_SIDE = "arrangement"
#: ``capacity_visibility`` values under which the coordinators see the offers.
WITH_COORDINATORS = ("hr_coordinators", "arrangement")
#: The offer reason that is health-related (special category data, AVG art. 9).
SENSITIVE_REASON = "reintegration"


def _orgs(*conditions):
    return select(Organisation.id).where(*conditions)


def _today() -> date:

    return today()


# --- jobs -------------------------------------------------------------------------------------


def jobs_managed(user) -> ColumnElement[bool]:
    """The jobs ``user`` is the posting side of: who posted it, the line managers of its
    department, HR of its organisation (always within their own organisation)."""
    if not authenticated(user):
        return false()
    own = Job.organisation_id == user.organisation_id
    if user.is_hr:
        return own
    departments = managed_department_ids(user)
    mine = Job.posted_by_id == user.id
    if departments:
        mine = or_(mine, Job.department_id.in_(sorted(departments)))
    return and_(own, mine)


def jobs_seen(user) -> ColumnElement[bool]:
    """The jobs of the user's own organisation and those with visibility ``arrangement``
    (the part of :func:`jobs_viewable` for everyone who is not the posting side). It reads only
    ``user.organisation_id``: the search keeps statements with a bound viewer."""
    return or_(Job.organisation_id == user.organisation_id, Job.visibility == "arrangement")


def jobs_viewable(user) -> ColumnElement[bool]:
    """The jobs ``user`` may see at all: its posting side always; anyone else not a draft, of
    their own organisation or with visibility ``arrangement``."""
    if not authenticated(user):
        return false()
    return or_(jobs_managed(user), and_(Job.status != "draft", jobs_seen(user)))


def jobs_visible(user, status: str = "open", on: date | None = None) -> ColumnElement[bool]:
    """The jobs of ``status`` that ``user`` may see in lists and search: :func:`jobs_viewable`
    with the status (for a status other than draft that is :func:`jobs_seen`: the posting side
    is always of the job's own organisation). ``open`` leaves out jobs past their expiry date;
    ``expired`` includes them."""
    if on is None:
        on = _today()
    if status == "draft":
        return and_(Job.status == "draft", jobs_managed(user))
    if status == "open":
        condition = and_(Job.status == "open", Job.expires_on >= on)
    elif status == "expired":
        condition = or_(Job.status == "expired", and_(Job.status == "open", Job.expires_on < on))
    elif status in ("filled", "closed"):
        condition = Job.status == status
    else:
        return false()
    return and_(condition, jobs_seen(user))


def job_side_jobs(user):
    """SQL: ids of the jobs of which the user is the job's side in a match: posted them or
    manages their department (whatever the organisation: a match's parties)."""
    conditions = [Job.posted_by_id == user.id]
    managed = managed_department_ids(user)
    if managed:
        conditions.append(Job.department_id.in_(sorted(managed)))
    return select(Job.id).where(or_(*conditions))


# --- capacity offers ----------------------------------------------------------------------------


def _not_own_staff(user_column, organisation_column, managed) -> ColumnElement[bool]:
    """Not the staff of these departments, unless their home organisation lets line managers
    see their own staff. Applied to access a line manager has through another role that
    oversees everyone (coordinator): that role must not become a way to watch one's own team."""
    if not managed:
        return true()
    return or_(
        not_(user_column.in_(staff_ids(managed))),
        organisation_column.in_(_orgs(Organisation.line_manager_sees_own_staff.is_(True))),
    )


def offers_visible(user) -> ColumnElement[bool]:
    """The capacity offers ``user`` may see (see the offer rows of :mod:`app.policy.table`)."""
    if not authenticated(user):
        return false()
    managed = managed_department_ids(user)
    role_orgs = []  # home organisations whose settings let this user's HR role see
    if user.is_hr:
        role_orgs.append(Organisation.id == user.organisation_id)
        role_orgs.append(Organisation.capacity_visibility == HIRING_SIDE)
    open_to_others = []
    if role_orgs:
        open_to_others.append(CapacityOffer.organisation_id.in_(_orgs(or_(*role_orgs))))
    if user.is_coordinator:
        # A coordinator who also leads a team does not oversee their own staff's offers.
        open_to_others.append(
            and_(
                CapacityOffer.organisation_id.in_(
                    _orgs(Organisation.capacity_visibility.in_(WITH_COORDINATORS))
                ),
                _not_own_staff(CapacityOffer.user_id, CapacityOffer.organisation_id, managed),
            )
        )
    if managed:
        own_staff = CapacityOffer.user_id.in_(staff_ids(managed))
        hiring = CapacityOffer.organisation_id.in_(
            _orgs(Organisation.capacity_visibility == HIRING_SIDE)
        )
        open_to_others.append(and_(hiring, not_(own_staff)))
        sees_own_staff = CapacityOffer.organisation_id.in_(
            _orgs(Organisation.line_manager_sees_own_staff.is_(True))
        )
        open_to_others.append(and_(own_staff, sees_own_staff))
    clauses = [CapacityOffer.user_id == user.id, CapacityOffer.registered_by_id == user.id]
    if open_to_others:
        clauses.append(and_(CapacityOffer.status == "open", or_(*open_to_others)))
    return or_(*clauses)


def offers_editable(user) -> ColumnElement[bool]:
    """The offers ``user`` may change: their own, and those they registered for someone."""
    if not authenticated(user):
        return false()
    return or_(CapacityOffer.user_id == user.id, CapacityOffer.registered_by_id == user.id)


def offers_own(user) -> ColumnElement[bool]:
    """The offers that are ``user``'s own (the employee's)."""
    if not authenticated(user):
        return false()
    return CapacityOffer.user_id == user.id


def reasons_readable(user) -> ColumnElement[bool]:
    """The offers whose re-integration reason ``user`` may read.

    Rule: re-integration is health-related (AVG art. 9). Whatever the visibility setting, only
    the employee (and whoever may edit the offer: the line manager who registered it, who
    entered it) and HR of the employee's *own* organisation — and HR only when the employee
    ticked that HR may see it — read it. Everyone else who may see the offer reads "other": a
    hidden reason must look like an ordinary one, or "hidden" would itself say re-integration.
    """
    if not authenticated(user):
        return false()
    # Never NULL (the filter by "other" negates this clause): registered_by_id may be empty.
    registered = and_(
        CapacityOffer.registered_by_id.is_not(None), CapacityOffer.registered_by_id == user.id
    )
    clauses = [CapacityOffer.user_id == user.id, registered]
    if user.is_hr:
        clauses.append(
            and_(
                CapacityOffer.organisation_id == user.organisation_id,
                CapacityOffer.reason_shared_with_hr.is_(True),
            )
        )
    return or_(*clauses)


# --- applications -------------------------------------------------------------------------------


def applications_visible(user) -> ColumnElement[bool]:
    """The applications ``user`` may see (see the application rows of the table)."""
    if not authenticated(user):
        return false()
    managed = managed_department_ids(user)
    clauses = [
        Application.user_id == user.id,
        Application.job_id.in_(select(Job.id).where(jobs_managed(user))),
    ]
    if user.is_coordinator:
        clauses.append(_not_own_staff(Application.user_id, Application.organisation_id, managed))
    if user.is_hr:
        clauses.append(Application.organisation_id == user.organisation_id)
    if managed:
        clauses.append(
            and_(
                Application.user_id.in_(staff_ids(managed)),
                Application.organisation_id.in_(
                    _orgs(Organisation.line_manager_sees_own_staff.is_(True))
                ),
            )
        )
    return or_(*clauses)


def applications_decidable(user) -> ColumnElement[bool]:
    """The applications ``user`` may mark in conversation or declined: the job's posting side."""
    if not authenticated(user):
        return false()
    return Application.job_id.in_(select(Job.id).where(jobs_managed(user)))


def applications_own(user) -> ColumnElement[bool]:
    """The applications that are ``user``'s own (the applicant's)."""
    if not authenticated(user):
        return false()
    return Application.user_id == user.id


# --- matches ------------------------------------------------------------------------------------


def _match_party_clauses(user) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if user.is_coordinator:
        clauses.append(true())
    if user.is_hr:
        clauses.append(Match.lending_organisation_id == user.organisation_id)
        clauses.append(Match.borrowing_organisation_id == user.organisation_id)
    managed = managed_department_ids(user)
    if managed:
        clauses.append(Match.employee_id.in_(staff_ids(managed)))
        # A functieruil's counterpart's line managers: the borrowing side of the swap.
        clauses.append(Match.counterpart_id.in_(staff_ids(managed)))
    clauses.append(Match.job_id.in_(job_side_jobs(user)))
    return clauses


def matches_visible(user) -> ColumnElement[bool]:
    """The matches ``user`` may see (see the match rows of the table and
    :mod:`app.matches.access` for the reason of the employee's consent first)."""
    if not authenticated(user):
        return false()
    return or_(
        Match.employee_id == user.id,
        Match.counterpart_id == user.id,
        Match.proposed_by_id == user.id,
        and_(Match.employee_consented_at.is_not(None), or_(*_match_party_clauses(user))),
    )


def matches_evaluating(user) -> ColumnElement[bool]:
    """The matches on which ``user`` writes an evaluation (and hears that it is due): the
    employee's own, and the host's — the borrowing side (HR of the job's organisation, the
    job's line managers, a functieruil's counterpart's line managers), never one of the two
    people — among the matches they may see."""
    if not authenticated(user):
        return false()
    managed = managed_department_ids(user)
    host = []
    if user.is_hr:
        host.append(Match.borrowing_organisation_id == user.organisation_id)
    if managed:
        host.append(Match.counterpart_id.in_(staff_ids(managed)))
        host.append(Match.job_id.in_(select(Job.id).where(Job.department_id.in_(sorted(managed)))))
    # NULL-safe: a match without a counterpart must not turn "not one of the two" into NULL.
    person = or_(
        Match.employee_id == user.id,
        and_(Match.counterpart_id.is_not(None), Match.counterpart_id == user.id),
    )
    roles = [Match.employee_id == user.id]
    if host:
        roles.append(and_(not_(person), or_(*host)))
    return and_(matches_visible(user), or_(*roles))


# --- organisations ------------------------------------------------------------------------------


def organisation_own(user) -> ColumnElement[bool]:
    """The user's own organisation (what its members hear about, e.g. changed settings)."""
    if not authenticated(user):
        return false()
    return Organisation.id == user.organisation_id
