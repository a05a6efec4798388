"""Who someone is, relative to an organisation, a department or a match (one copy each).

A role is never a permission by itself: :mod:`app.policy.table` says what each role may see and
do; :mod:`app.policy.clauses` and :mod:`app.policy.rules` apply it. Everything here answers only
for objects inside the caller's arrangement (the scoping wall of ``tenants/`` guarantees that).
"""

from __future__ import annotations

from flask import has_request_context, request
from sqlalchemy import Select, select

from app.accounts.models import User


def authenticated(user) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False))


def is_hr_of(user, organisation_id: int | None) -> bool:
    return bool(user.is_hr and user.organisation_id == organisation_id)


def is_coordinator(user) -> bool:
    return bool(user.is_coordinator)


def managed_department_ids(user) -> set[int]:
    """The departments ``user`` manages, asked once per request (kept on the request object:
    an app context, and its ``g``, may outlive many requests and worker jobs)."""
    if not has_request_context():
        return user.managed_department_ids()
    cache = vars(request._get_current_object()).setdefault("_pool_managed_departments", {})
    if user.id not in cache:
        cache[user.id] = user.managed_department_ids()
    return cache[user.id]


def is_line_manager(user) -> bool:
    return bool(managed_department_ids(user))


def manages(user, department_id: int | None) -> bool:
    """Whether ``user`` is a line manager of this department."""
    return department_id is not None and department_id in managed_department_ids(user)


def staff_ids(department_ids) -> Select:
    """SQL: the users of these departments (a line manager's own staff)."""
    return select(User.id).where(User.department_id.in_(sorted(department_ids)))


def may_post(user) -> bool:
    """Line managers and HR post jobs for their own organisation."""
    return bool(user.is_hr or is_line_manager(user))


# --- relative to a match -----------------------------------------------------------------------


def _is_person(user, match) -> bool:
    return user.id in (match.employee_id, match.counterpart_id)


def is_lending_side(user, match) -> bool:
    """HR of the employee's organisation or the employee's line manager (not the employee)."""
    if _is_person(user, match):
        return False
    if is_hr_of(user, match.lending_organisation_id):
        return True
    return manages(user, match.employee.department_id)


def is_borrowing_side(user, match) -> bool:
    """HR of the job's organisation or the job's line manager (not the employee); for a
    functieruil also the counterpart's line manager (that side lends the counterpart)."""
    if _is_person(user, match):
        return False
    if is_hr_of(user, match.borrowing_organisation_id):
        return True
    if match.counterpart is not None and manages(user, match.counterpart.department_id):
        return True
    return manages(user, match.job.department_id)


def is_hr_of_either(user, match) -> bool:
    return bool(
        user.is_hr
        and user.organisation_id in (match.lending_organisation_id, match.borrowing_organisation_id)
    )
