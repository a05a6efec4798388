"""Who may see and do what: one table, tested as a table (DESIGN.md).

Each rule is ``action → predicate(user, resource)``. A predicate answers only for objects already
inside the caller's arrangement (the scoping wall guarantees that); privacy rules for offers and
applications live here too, next to the roles that they protect against.

Views call :func:`require`: a "no" becomes 404 where the existence of the resource must not be
revealed, 403 where the user already knows it exists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.errors import Forbidden, NotFound

Predicate = Callable[[Any, Any], bool]


def is_hr_of(user, organisation_id: int) -> bool:
    return bool(user.is_hr and user.organisation_id == organisation_id)


def is_coordinator(user) -> bool:
    return bool(user.is_coordinator)


def manages(user, department_id: int | None) -> bool:
    return department_id is not None and department_id in user.managed_department_ids()


RULES: dict[str, Predicate] = {
    # Organisation and staff: HR of that organisation only.
    "organisation.settings.view": lambda u, org: u.organisation_id == org.id or is_coordinator(u),
    "organisation.settings.edit": lambda u, org: is_hr_of(u, org.id),
    "staff.invite": lambda u, org: is_hr_of(u, org.id),
    "staff.manage": lambda u, org: is_hr_of(u, org.id),
}

#: Actions whose refusal is a 404: the resource's existence is itself private.
HIDDEN = set()


def allowed(user, action: str, resource: Any = None) -> bool:
    rule = RULES.get(action)
    if rule is None:
        raise KeyError(f"no policy rule for {action!r}")
    return bool(user is not None and user.is_authenticated and rule(user, resource))


def require(user, action: str, resource: Any = None) -> None:
    if not allowed(user, action, resource):
        raise NotFound() if action in HIDDEN else Forbidden()


def register(action: str, predicate: Predicate, *, hidden: bool = False) -> None:
    """Domains add their rows to the table at import time."""
    RULES[action] = predicate
    if hidden:
        HIDDEN.add(action)
