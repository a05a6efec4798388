"""Demo content: `deelkracht demo` shows an offer and a response in each arrangement, once."""

from __future__ import annotations

from sqlalchemy import func, select

from app.demo import load_demo
from app.extensions import db
from app.pool.models import Application, CapacityOffer
from tenants.context import use_arrangement
from tenants.models import Arrangement


def test_the_demo_has_an_offer_and_a_response_per_arrangement_once(app):
    """Loading the demo twice gives one offer and one response in each arrangement."""
    with app.app_context():
        load_demo()
        load_demo()
        counts = []
        for arrangement_id in db.session.scalars(select(Arrangement.id).order_by(Arrangement.id)):
            with use_arrangement(arrangement_id):
                counts.append(
                    (
                        db.session.scalar(select(func.count()).select_from(CapacityOffer)),
                        db.session.scalar(select(func.count()).select_from(Application)),
                    )
                )
        db.session.rollback()
    assert counts == [(1, 1), (1, 1)]
