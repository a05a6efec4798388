"""Data minimisation for the pool: withdrawn or closed offers and finished responses are erased
after the home organisation's ``retention_days`` (DESIGN.md section 3).

Counted from ``closed_at`` (``updated_at`` for rows closed before that column was kept).
Responses that became a placement (``matched``) stay with it. The view log and skills of an
erased offer go with it, and so do the notifications that pointed to what was erased.

The daily run is the workspace's retention schedule (:mod:`app.workspace.retention`), which calls
:func:`erase_for_organisation` per organisation next to its own clean-ups; :func:`erase_expired`
runs the pool part alone over every arrangement.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from app.extensions import db
from app.pool.models import Application, CapacityOffer, Notification, OfferView
from app.transaction import commit
from tenants.context import use_arrangement
from tenants.models import Arrangement, Organisation, utcnow

FINISHED_OFFERS = ("withdrawn", "closed")
FINISHED_APPLICATIONS = ("withdrawn", "declined")


def _delete(model, *conditions) -> int:
    result = db.session.execute(
        delete(model).where(*conditions).execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def _closed_before(model, cutoff: datetime):
    return func.coalesce(model.closed_at, model.updated_at) < cutoff


def erase_for_organisation(organisation_id: int, cutoff: datetime) -> dict[str, int]:
    """Erase the organisation's finished offers and responses closed before ``cutoff``.

    Runs in the current arrangement and flushes only.
    """
    offers = set(
        db.session.scalars(
            select(CapacityOffer.id).where(
                CapacityOffer.organisation_id == organisation_id,
                CapacityOffer.status.in_(FINISHED_OFFERS),
                _closed_before(CapacityOffer, cutoff),
            )
        )
    )
    applications = set(
        db.session.scalars(
            select(Application.id).where(
                Application.organisation_id == organisation_id,
                Application.status.in_(FINISHED_APPLICATIONS),
                _closed_before(Application, cutoff),
            )
        )
    )
    notifications = 0
    if offers or applications:
        about = [
            n.id
            for n in db.session.scalars(select(Notification))
            if (n.refs or {}).get("offer_id") in offers
            or (n.refs or {}).get("application_id") in applications
        ]
        notifications = _delete(Notification, Notification.id.in_(about))
    _delete(OfferView, OfferView.offer_id.in_(offers))
    erased = {
        "offers": _delete(CapacityOffer, CapacityOffer.id.in_(offers)),
        "applications": _delete(Application, Application.id.in_(applications)),
        "notifications": notifications,
    }
    db.session.flush()
    return erased


def erase_expired(now: datetime | None = None) -> dict[str, int]:
    """The pool part of retention over every arrangement, each committed on its own."""

    now = now or utcnow()
    erased = {"offers": 0, "applications": 0}
    arrangement_ids = db.session.scalars(select(Arrangement.id).order_by(Arrangement.id)).all()
    for arrangement_id in arrangement_ids:
        with use_arrangement(arrangement_id):
            organisations = db.session.execute(
                select(Organisation.id, Organisation.retention_days)
            ).all()
            for organisation_id, days in organisations:
                done = erase_for_organisation(organisation_id, now - timedelta(days=days))
                erased["offers"] += done["offers"]
                erased["applications"] += done["applications"]
            commit()
    return erased
