"""Demo content: `deelkracht demo` shows an offer and a response in each arrangement, once."""

from __future__ import annotations

from sqlalchemy import func, select

from app.demo import load_demo
from app.extensions import db
from app.pool.models import Application, CapacityOffer
from tenants.context import use_arrangement
from tenants.models import Arrangement


def test_the_demo_has_offers_and_responses_per_arrangement_once(app):
    """Loading the demo gives offers and responses in each arrangement (issue 13: several, in
    every state, where there was one of each); loading it again adds none."""

    def counts():
        found = []
        for arrangement_id in db.session.scalars(select(Arrangement.id).order_by(Arrangement.id)):
            with use_arrangement(arrangement_id):
                found.append(
                    (
                        db.session.scalar(select(func.count()).select_from(CapacityOffer)),
                        db.session.scalar(select(func.count()).select_from(Application)),
                    )
                )
        return found

    with app.app_context():
        load_demo()
        first = counts()
        load_demo()
        second = counts()
        db.session.rollback()
    assert first == second
    assert len(first) == 2
    assert all(offers >= 3 and responses >= 8 for offers, responses in first), first
