"""An organisation's privacy settings and job defaults: read by its staff, changed by its HR.

When a change widens or narrows who can see offers, the employees with an open offer are told,
so that nobody's offer becomes visible to more people without them knowing.
"""

from __future__ import annotations

from sqlalchemy import select

from app.errors import NotFound
from app.extensions import db
from app.policy import require
from app.pool.models import CapacityOffer
from app.pool.notifications.operations import notify
from tenants.models import Organisation

FIELDS = (
    "capacity_visibility",
    "line_manager_sees_own_staff",
    "registration_via_line_manager",
    "report_min_group_size",
    "retention_days",
    "job_expiry_days",
    "default_job_visibility",
)
#: Changing one of these changes who may see the staff's offers.
AUDIENCE = ("capacity_visibility", "line_manager_sees_own_staff", "registration_via_line_manager")


def organisation_or_404(slug: str) -> Organisation:
    """An organisation of the caller's arrangement by slug (other arrangements: not found)."""
    organisation = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    if organisation is None:
        raise NotFound()
    return organisation


def read(user, slug: str) -> Organisation:
    organisation = organisation_or_404(slug)
    require(user, "organisation.settings.view", organisation)
    return organisation


def change(user, organisation: Organisation, **changes) -> Organisation:
    """HR of the organisation changes its settings; staff with an open offer hear of it."""
    require(user, "organisation.settings.edit", organisation)
    changed = []
    for name, value in changes.items():
        if name not in FIELDS:
            raise KeyError(name)
        if getattr(organisation, name) != value:
            setattr(organisation, name, value)
            changed.append(name)
    db.session.flush()
    if any(name in AUDIENCE for name in changed):
        _tell_staff_with_open_offers(organisation)
    return organisation


def _tell_staff_with_open_offers(organisation: Organisation) -> None:
    employees = db.session.scalars(
        select(CapacityOffer.user_id)
        .where(
            CapacityOffer.organisation_id == organisation.id,
            CapacityOffer.status == "open",
        )
        .distinct()
    )
    for employee_id in sorted(set(employees)):
        notify(employee_id, "settings_changed", organisation_id=organisation.id)


def values(organisation: Organisation) -> dict:
    return {name: getattr(organisation, name) for name in FIELDS}
