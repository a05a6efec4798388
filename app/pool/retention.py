"""Data minimisation: withdrawn or closed offers and finished responses are erased after the
home organisation's ``retention_days`` (DESIGN.md section 3), by a daily schedule.

Counted from ``closed_at``. Responses that became a placement (``matched``) stay with it. The
view log of an erased offer goes with it (foreign key cascade); notifications that pointed to
erased things are no longer shown (app.pool.notifications resolves nothing for them).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select

from app.extensions import db
from app.pool.models import Application, CapacityOffer, OfferView
from tenants.context import use_arrangement
from tenants.models import Arrangement, Organisation, utcnow
from worker.schedules import schedule

FINISHED_OFFERS = ("withdrawn", "closed")
FINISHED_APPLICATIONS = ("withdrawn", "declined")


def erase_expired(now: datetime | None = None) -> dict[str, int]:
    """Erase what has passed its organisation's retention period, in every arrangement."""
    from app.transaction import commit

    now = now or utcnow()
    erased = {"offers": 0, "applications": 0}
    arrangement_ids = db.session.scalars(select(Arrangement.id).order_by(Arrangement.id)).all()
    for arrangement_id in arrangement_ids:
        with use_arrangement(arrangement_id):
            organisations = db.session.execute(
                select(Organisation.id, Organisation.retention_days)
            ).all()
            for organisation_id, days in organisations:
                cutoff = now - timedelta(days=days)
                offer_ids = select(CapacityOffer.id).where(
                    CapacityOffer.organisation_id == organisation_id,
                    CapacityOffer.status.in_(FINISHED_OFFERS),
                    CapacityOffer.closed_at < cutoff,
                )
                db.session.execute(
                    delete(OfferView)
                    .where(OfferView.offer_id.in_(offer_ids))
                    .execution_options(synchronize_session=False)
                )
                result = db.session.execute(
                    delete(CapacityOffer)
                    .where(CapacityOffer.id.in_(offer_ids))
                    .execution_options(synchronize_session=False)
                )
                erased["offers"] += result.rowcount or 0
                result = db.session.execute(
                    delete(Application)
                    .where(
                        Application.organisation_id == organisation_id,
                        Application.status.in_(FINISHED_APPLICATIONS),
                        Application.closed_at < cutoff,
                    )
                    .execution_options(synchronize_session=False)
                )
                erased["applications"] += result.rowcount or 0
            db.session.flush()
    commit()
    return erased


@schedule("pool.retention", 24 * 3600)
def daily_retention() -> dict[str, int]:
    return erase_expired()
