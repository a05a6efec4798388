"""Offers in the past: an offer that has already ended is refused (API 400, form error, nothing
saved), and an open offer past its end closes itself on the hourly upkeep schedule, telling the
employee in the app. "Today" is the Amsterdam date (app.dates.today)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.dates import today
from app.pool.models import CapacityOffer, Notification
from tests.api_helpers import problem_fields
from tests.ids import api_id, key_of
from tests.pool.privacy_world import make_offer, offer_body


def _count(in_arrangement, world) -> int:
    with in_arrangement(world.meer.arrangement) as s:
        return s.scalar(select(func.count()).select_from(CapacityOffer))


def test_an_offer_that_has_ended_is_refused_by_the_api(client, world, in_arrangement, api_token):
    """2020-01-01 – 2020-03-01 (the issue's example) and one ending yesterday: 400 naming
    ``available_until``; nothing saved. One ending today is still accepted."""
    headers = api_token(world.meer.ermelo.emp)
    yesterday = today() - timedelta(days=1)
    for start, until in (("2020-01-01", "2020-03-01"), (yesterday - timedelta(days=5), yesterday)):
        body = offer_body(available_from=str(start), available_until=str(until))
        response = client.post("/api/v1/capacities", json=body, headers=headers)
        assert response.status_code == 400, response.get_json()
        assert problem_fields(response.get_json())["availableUntil"]
    assert _count(in_arrangement, world) == 0
    body = offer_body(available_from=str(yesterday), available_until=str(today()))
    assert client.post("/api/v1/capacities", json=body, headers=headers).status_code == 201


def test_a_change_to_an_end_in_the_past_is_refused(client, world, in_arrangement, api_token):
    """PATCH of the end date to yesterday: 400, the offer keeps its end."""
    emp = world.meer.ermelo.emp
    offer_id = make_offer(client, api_token, emp)
    response = client.patch(
        f"/api/v1/capacities/{api_id('offer', offer_id)}",
        json={
            "availableFrom": str(today() - timedelta(days=10)),
            "availableUntil": str(today() - timedelta(days=1)),
        },
        headers=api_token(emp),
    )
    assert response.status_code == 400
    assert "availableUntil" in problem_fields(response.get_json())
    with in_arrangement(world.meer.arrangement) as s:
        assert s.get(
            CapacityOffer, key_of("offer", offer_id)
        ).available_until == today() + timedelta(days=90)


def test_the_offer_form_refuses_an_ended_period(client, world, in_arrangement, login):
    """The new-offer form comes back with 400 and the message at the end date."""
    login(client, world.meer.ermelo.emp)
    response = client.post(
        "/mijn-aanbod/nieuw",
        data={
            "skills": "Notuleren",
            "hours_per_week": "8",
            "available_from": "2020-01-01",
            "available_until": "2020-03-01",
            "reason": "peak",
        },
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Deze datum ligt in het verleden." in page and 'class="error-summary"' in page
    assert _count(in_arrangement, world) == 0


def test_offers_past_their_end_close_themselves(app, world, in_arrangement):
    """The upkeep schedule closes an open offer that ended yesterday (status ``closed``,
    ``closed_at`` set: the retention clock starts) and tells the employee in the app; offers
    ending today or without an end stay open; a withdrawn one is left alone. Once is enough."""
    from app.outbox import schedules
    from app.pool.tasks import run_offer_upkeep

    emp, emp2 = world.meer.ermelo.emp, world.meer.ermelo.emp2
    yesterday = today() - timedelta(days=1)

    def offer(s, user, until, status="open"):
        row = CapacityOffer(
            user_id=user.id,
            organisation_id=user.organisation_id,
            hours_per_week=8,
            available_from=yesterday - timedelta(days=30),
            available_until=until,
            reason="peak",
            status=status,
        )
        s.add(row)
        s.flush()
        return row.id

    with in_arrangement(world.meer.arrangement) as s:
        ended = offer(s, emp, yesterday)
        ends_today = offer(s, emp, today())
        open_end = offer(s, emp2, None)
        withdrawn = offer(s, emp2, yesterday, status="withdrawn")
        s.commit()
    assert "pool.offer_upkeep" in schedules.SCHEDULES
    with app.app_context():
        assert run_offer_upkeep() == 1
        assert run_offer_upkeep() == 0
    with in_arrangement(world.meer.arrangement) as s:
        statuses = {
            i: s.get(CapacityOffer, key_of("offer", i)).status
            for i in (ended, ends_today, open_end)
        }
        assert statuses == {ended: "closed", ends_today: "open", open_end: "open"}
        assert s.get(CapacityOffer, key_of("offer", ended)).closed_at is not None
        assert s.get(CapacityOffer, key_of("offer", withdrawn)).status == "withdrawn"
        notes = s.scalars(select(Notification).where(Notification.kind == "offer_ended")).all()
        assert [(n.user_id, n.refs["offer_id"]) for n in notes] == [(emp.id, ended)]


def test_the_employee_reads_why_the_offer_closed(app, world, in_arrangement, login):
    """The notification says until when the offer ran, as a date for people (no ISO)."""
    from app.pool.tasks import run_offer_upkeep

    emp = world.meer.ermelo.emp
    until = today() - timedelta(days=1)
    with in_arrangement(world.meer.arrangement) as s:
        s.add(
            CapacityOffer(
                user_id=emp.id,
                organisation_id=emp.organisation_id,
                hours_per_week=8,
                available_from=until - timedelta(days=30),
                available_until=until,
                reason="peak",
                status="open",
            )
        )
        s.commit()
    with app.app_context():
        run_offer_upkeep()
    client = app.test_client()
    login(client, emp)
    page = client.get("/meldingen").get_data(as_text=True)
    assert "is nu afgesloten" in page
    assert until.isoformat() not in page
