""" "Klussen voor jou": the open jobs that fit the employee's own open capacity offer.

One ranking for every direction (app.matches.ranking, through the arrangement's shared index in
app.matches.suggestions): skills covered (a skill's Dutch stem and synonyms count), hours and
period, with the reasons in words. Only jobs the employee may see, and only jobs whose period
overlaps the offer's. "/passende-klussen" shows the same page.
"""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.matches.suggestions import jobs_for_offer
from app.pool.models import CapacityOffer
from app.pool.search import organisation_map

SHOWN = 25


def own_open_offer(user) -> CapacityOffer | None:
    return db.session.scalar(
        select(CapacityOffer)
        .where(CapacityOffer.user_id == user.id, CapacityOffer.status == "open")
        .order_by(CapacityOffer.created_at.desc(), CapacityOffer.id.desc())
        .limit(1)
    )


def jobs_for_you(user) -> tuple[CapacityOffer | None, list, dict]:
    """(the employee's open offer or None, [(job, candidate)] best first, organisations by id);
    a candidate carries the fit (``score``) and its ``reasons``."""

    offer = own_open_offer(user)
    if offer is None:
        return None, [], {}
    found = jobs_for_offer(user, offer, SHOWN, overlapping=True)
    return offer, [(c.job, c) for c in found], organisation_map()
