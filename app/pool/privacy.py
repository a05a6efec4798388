"""Who may see a capacity offer or an application: the product's promise, in one place.

Each rule exists twice, side by side: as an SQL clause (for lists, searches and counts, so that a
row the caller may not see never leaves the database) and as a predicate on one object (for
detail pages, e-mails at delivery and notifications). ``tests/pool/test_privacy_rules.py`` checks
that both give the same answer for every role and setting.

Capacity offers — decided by the employee's *home* organisation (``capacity_visibility``):

- the employee always sees their own offer; a line manager who registered it on their behalf
  (``registration_via_line_manager``) sees the offer they registered;
- ``"hr"``: HR of the home organisation;
- ``"hr_coordinators"``: and the coordinators of the arrangement;
- ``"arrangement"``: and the hiring side of the arrangement: HR and line managers of every member
  organisation;
- never the employee's own line managers (of their department) by that last rule: they see their
  staff's offers only when the home organisation turned ``line_manager_sees_own_staff`` on.
- Others see open offers only: a withdrawn offer is the employee's own again.

Applications — the applicant; the posting side of the job (who posted it, the line managers of
its department, HR of its organisation); HR of the applicant's organisation; the coordinators.
Never the applicant's own line manager for being that, unless ``line_manager_sees_own_staff``
is on (they do see a response to a job of their own department, as its posting side: the
employee chose to respond to that job).

Everything that is not visible is answered as if it did not exist (404).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false, not_, or_, select, true

from app import policy
from app.accounts.models import User
from app.extensions import db
from app.pool.jobs import operations as jobs
from app.pool.models import Application, CapacityOffer, Job
from tenants.models import Department, DepartmentManager, Organisation

HIRING_SIDE = "arrangement"
WITH_COORDINATORS = ("hr_coordinators", "arrangement")


# --- who the viewer is -------------------------------------------------------------------------


def managed_departments(user) -> set[int]:
    """The departments a user manages (asked once per request, see app.pool.jobs)."""
    return jobs.managed_department_ids(user)


def _staff_ids(department_ids) -> select:
    """Users of these departments: a line manager's own staff."""
    return select(User.id).where(User.department_id.in_(list(department_ids)))


def _orgs(*conditions) -> select:
    return select(Organisation.id).where(*conditions)


# --- capacity offers ----------------------------------------------------------------------------


def _not_own_staff(user_column, organisation_column, managed) -> ColumnElement[bool]:
    """Not the staff of these departments, unless their home organisation lets line managers
    see their own staff. Applied to access a line manager has through another role that
    oversees everyone (coordinator): that role must not become a way to watch one's own team."""
    if not managed:
        return true()
    return or_(
        not_(user_column.in_(_staff_ids(managed))),
        organisation_column.in_(_orgs(Organisation.line_manager_sees_own_staff.is_(True))),
    )


def _is_own_staff_hidden(user, user_id: int, organisation: Organisation | None) -> bool:
    """Python twin of :func:`_not_own_staff` (True where it would hide the row)."""
    managed = managed_departments(user)
    if not managed or (organisation is not None and organisation.line_manager_sees_own_staff):
        return False
    return db.session.scalar(select(User.department_id).where(User.id == user_id)) in managed


def offers_visible_clause(user) -> ColumnElement[bool]:
    """SQL: the capacity offers ``user`` may see (combine with ``select(CapacityOffer)``)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return false()
    managed = managed_departments(user)
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
        own_staff = CapacityOffer.user_id.in_(_staff_ids(managed))
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


def can_see_offer(user, offer: CapacityOffer | None) -> bool:
    """The same rule as :func:`offers_visible_clause`, for one offer."""
    if offer is None or user is None or not getattr(user, "is_authenticated", False):
        return False
    if offer.user_id == user.id or offer.registered_by_id == user.id:
        return True
    if offer.status != "open":
        return False
    home = db.session.get(Organisation, offer.organisation_id)
    if home is None:
        return False
    visibility = home.capacity_visibility
    if user.is_hr and (user.organisation_id == home.id or visibility == HIRING_SIDE):
        return True
    if (
        user.is_coordinator
        and visibility in WITH_COORDINATORS
        and not _is_own_staff_hidden(user, offer.user_id, home)
    ):
        return True
    managed = managed_departments(user)
    if not managed:
        return False
    owner_department = db.session.scalar(select(User.department_id).where(User.id == offer.user_id))
    if owner_department in managed:
        return bool(home.line_manager_sees_own_staff)
    return visibility == HIRING_SIDE


#: The offer reason that is health-related (special category data, AVG art. 9).
SENSITIVE_REASON = "reintegration"


def reason_readable_clause(user) -> ColumnElement[bool]:
    """SQL: the offers whose re-integration reason ``user`` may read.

    Rule: re-integration is health-related (AVG art. 9). Whatever the visibility setting, only
    the employee (and whoever may edit the offer: the line manager who registered it, who
    entered it) and HR of the employee's *own* organisation — and HR only when the employee
    ticked that HR may see it — read it. Everyone else who may see the offer reads "other": a
    hidden reason must look like an ordinary one, or "hidden" would itself say re-integration.
    """
    if user is None or not getattr(user, "is_authenticated", False):
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


def may_read_reason(user, offer: CapacityOffer) -> bool:
    """The same rule as :func:`reason_readable_clause`, for one offer."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.id in (offer.user_id, offer.registered_by_id):
        return True
    return bool(
        user.is_hr and user.organisation_id == offer.organisation_id and offer.reason_shared_with_hr
    )


def shown_reason(user, offer: CapacityOffer) -> str:
    """The reason as ``user`` reads it: re-integration only where allowed, else "other"."""
    if offer.reason != SENSITIVE_REASON or may_read_reason(user, offer):
        return offer.reason
    return "other"


def may_filter_by_sensitive_reason(user) -> bool:
    """Only HR filters by re-integration (and finds only what :func:`reason_readable_clause`
    lets them read: their own organisation's offers with consent)."""
    return bool(user is not None and getattr(user, "is_hr", False))


def can_edit_offer(user, offer: CapacityOffer | None) -> bool:
    """The employee, or the line manager who registered it for them."""
    return bool(
        offer is not None
        and user is not None
        and (offer.user_id == user.id or offer.registered_by_id == user.id)
    )


def registrable_staff(user) -> list[User]:
    """Employees a line manager may register an offer for: their department's staff, where the
    home organisation routes registration through line managers. Empty for everyone else."""
    managed = managed_departments(user)
    if not managed:
        return []
    return list(
        db.session.scalars(
            select(User)
            .join(Organisation, Organisation.id == User.organisation_id)
            .where(
                User.department_id.in_(list(managed)),
                User.id != user.id,
                User.active.is_(True),
                Organisation.registration_via_line_manager.is_(True),
            )
            .order_by(User.name, User.id)
        )
    )


def may_register_for(user, employee: User | None) -> bool:
    return employee is not None and any(e.id == employee.id for e in registrable_staff(user))


# --- applications -------------------------------------------------------------------------------


def _posting_side_jobs(user) -> select:
    """Jobs this user is the posting side of (the rule of app.pool.jobs)."""
    return select(Job.id).where(jobs.managed_clause(user))


def applications_visible_clause(user) -> ColumnElement[bool]:
    """SQL: the applications ``user`` may see (combine with ``select(Application)``)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return false()
    clauses = [
        Application.user_id == user.id,
        Application.job_id.in_(_posting_side_jobs(user)),
    ]
    if user.is_coordinator:
        clauses.append(
            _not_own_staff(
                Application.user_id, Application.organisation_id, managed_departments(user)
            )
        )
    if user.is_hr:
        clauses.append(Application.organisation_id == user.organisation_id)
    managed = managed_departments(user)
    if managed:
        clauses.append(
            and_(
                Application.user_id.in_(_staff_ids(managed)),
                Application.organisation_id.in_(
                    _orgs(Organisation.line_manager_sees_own_staff.is_(True))
                ),
            )
        )
    return or_(*clauses)


def is_posting_side(user, job: Job | None) -> bool:
    """Who posted the job, its department's line managers, HR of its organisation."""
    if job is None or user is None or not getattr(user, "is_authenticated", False):
        return False
    return jobs.is_owner(user, job)


def can_see_application(user, application: Application | None) -> bool:
    """The same rule as :func:`applications_visible_clause`, for one application."""
    if application is None or user is None or not getattr(user, "is_authenticated", False):
        return False
    if application.user_id == user.id:
        return True
    if user.is_coordinator and not _is_own_staff_hidden(
        user, application.user_id, db.session.get(Organisation, application.organisation_id)
    ):
        return True
    if user.is_hr and user.organisation_id == application.organisation_id:
        return True
    job = db.session.get(Job, application.job_id)
    if is_posting_side(user, job):
        return True
    managed = managed_departments(user)
    if not managed:
        return False
    applicant_department = db.session.scalar(
        select(User.department_id).where(User.id == application.user_id)
    )
    if applicant_department not in managed:
        return False
    home = db.session.get(Organisation, application.organisation_id)
    return bool(home is not None and home.line_manager_sees_own_staff)


def can_decide_application(user, application: Application | None) -> bool:
    """Only the posting side marks a response as in conversation or declined."""
    if application is None:
        return False
    return is_posting_side(user, db.session.get(Job, application.job_id))


def can_withdraw_application(user, application: Application | None) -> bool:
    return application is not None and user is not None and application.user_id == user.id


def posting_side_recipients(job: Job) -> list[int]:
    """Who hears of a new response: the poster and the department's line managers; HR of the
    job's organisation when neither exists."""
    ids: list[int] = []
    if job.posted_by_id is not None:
        ids.append(job.posted_by_id)
    if job.department_id is not None:
        ids.extend(
            db.session.scalars(
                select(DepartmentManager.user_id)
                .where(DepartmentManager.department_id == job.department_id)
                .order_by(DepartmentManager.user_id)
            )
        )
    if not ids:
        ids.extend(
            db.session.scalars(
                select(User.id)
                .where(User.organisation_id == job.organisation_id, User.is_hr.is_(True))
                .order_by(User.id)
            )
        )
    active = set(db.session.scalars(select(User.id).where(User.id.in_(ids), User.active)))
    return list(dict.fromkeys(i for i in ids if i in active))


# --- plain-language summary (settings page, "who can see my offer?") ---------------------------


def offer_audience(organisation: Organisation) -> dict[str, bool]:
    """Which groups see the offers of this organisation's staff (for the explanation pages)."""
    visibility = organisation.capacity_visibility
    return {
        "own_hr": True,
        "coordinators": visibility in WITH_COORDINATORS,
        "other_hr": visibility == HIRING_SIDE,
        "line_managers": visibility == HIRING_SIDE,
        "own_line_manager": bool(organisation.line_manager_sees_own_staff),
        "registering_line_manager": bool(organisation.registration_via_line_manager),
    }


def department_name(department_id: int | None) -> str | None:
    if department_id is None:
        return None
    department = db.session.get(Department, department_id)
    return department.name if department else None


# --- the policy table rows ----------------------------------------------------------------------

policy.register("offer.view", can_see_offer, hidden=True)
policy.register("offer.edit", can_edit_offer)
policy.register("offer.register_for", lambda u, employee: may_register_for(u, employee))
policy.register("application.view", can_see_application, hidden=True)
policy.register("application.decide", can_decide_application)
policy.register("application.withdraw", can_withdraw_application)
