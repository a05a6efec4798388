"""Data minimisation: withdrawn or closed offers and finished responses are erased after the
home organisation's retention period; open ones and placements stay."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.ids import TABLE_KINDS
from app.outbox.schedules import SCHEDULES
from app.pool.models import Application, CapacityOffer, OfferView
from app.pool.retention import erase_expired
from tenants.models import utcnow
from tests.ids import api_id, key_of
from tests.pool.privacy_world import apply_to, make_offer, other_org_job


def _age(in_arrangement, world, model, object_id, days: int, status: str) -> None:
    with in_arrangement(world.meer.arrangement) as s:
        obj = s.get(model, key_of(TABLE_KINDS[model.__tablename__], object_id))
        obj.status, obj.closed_at = status, utcnow() - timedelta(days=days)
        s.commit()


def test_finished_things_are_erased_after_the_retention_period(
    app, make_world, client, api_token, in_arrangement
):
    """Ermelo keeps 365 days (the default), Harderwijk 10: what closed longer ago is erased
    with its view log; recent, open and matched things stay."""
    world = make_world({"harderwijk": {"retention_days": 10}})
    meer = world.meer
    job_id = other_org_job(in_arrangement, world)
    old_offer = make_offer(client, api_token, meer.ermelo.emp)
    recent_offer = make_offer(client, api_token, meer.ermelo.emp2)
    open_offer = make_offer(client, api_token, meer.ermelo.emp_other)
    short_offer = make_offer(client, api_token, meer.harderwijk.emp)
    client.get(
        f"/api/v1/capacities/{api_id('offer', old_offer)}", headers=api_token(meer.ermelo.hr)
    )
    _age(in_arrangement, world, CapacityOffer, old_offer, 400, "withdrawn")
    _age(in_arrangement, world, CapacityOffer, recent_offer, 100, "withdrawn")
    _age(in_arrangement, world, CapacityOffer, short_offer, 11, "closed")
    declined = apply_to(client, api_token, meer.ermelo.emp, job_id)
    matched = apply_to(client, api_token, meer.ermelo.emp2, job_id)
    short = apply_to(client, api_token, meer.zeewolde.emp, job_id)
    _age(in_arrangement, world, Application, declined, 400, "declined")
    _age(in_arrangement, world, Application, matched, 400, "matched")
    _age(in_arrangement, world, Application, short, 5, "withdrawn")
    with app.app_context():
        assert erase_expired() == {"offers": 2, "applications": 1}
    with in_arrangement(meer.arrangement) as s:
        assert set(s.scalars(select(CapacityOffer.id))) == {
            key_of("offer", recent_offer),
            key_of("offer", open_offer),
        }
        assert set(s.scalars(select(Application.id))) == {
            key_of("application", matched),
            key_of("application", short),
        }
        assert s.scalar(select(func.count()).select_from(OfferView)) == 0
    # The daily run is the workspace's retention schedule, which calls the pool part.
    assert SCHEDULES["workspace.retention"][0] == 24 * 3600
    # The employee's own list no longer has it; nothing breaks where it was referred to.
    assert (
        client.get(
            f"/api/v1/capacities/{api_id('offer', old_offer)}", headers=api_token(meer.ermelo.emp)
        ).status_code
        == 404
    )
    assert (
        client.get(
            "/api/v1/notifications", headers=api_token(meer.harderwijk.lead_other)
        ).status_code
        == 200
    )
