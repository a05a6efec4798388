"""Capacity offers (krachten): an employee offers hours and skills for a period, edits or
withdraws it, and sees who looked at it; line managers register for their staff only where the
organisation routes registration through them."""

from __future__ import annotations

from datetime import date, timedelta

from app.pool.models import CapacityOffer, Notification, OfferView
from tests.ids import api_id, key_of, public_id
from tests.pool.privacy_world import SECRET_NOTE, SECRET_SKILL, mails_to, make_offer, offer_body


def test_an_employee_offers_hours_and_skills(client, world, api_token):
    """POST /capacities → 201 with the offer; spellings of one skill fold together."""
    emp = world.meer.ermelo.emp
    body = offer_body(skills=["Notuleren", " notuleren ", "Excel"])
    response = client.post("/api/v1/capacities", json=body, headers=api_token(emp))
    assert response.status_code == 201
    offer = response.get_json()
    assert offer["skills"] == ["Excel", "Notuleren"]
    assert offer["employee"]["id"] == public_id("user", emp.id)
    assert offer["employee"]["organisation"]["slug"] == "ermelo"
    assert offer["status"] == "open" and offer["reason"] == "development"
    assert offer["registeredBy"] is None
    own = client.get(f"/api/v1/capacities/{offer['id']}", headers=api_token(emp)).get_json()
    assert own["views"] == []


def test_the_employee_edits_and_withdraws_their_offer(client, world, api_token):
    """PATCH changes an open offer; after withdrawing, only the employee still sees it and it
    can no longer change (409)."""
    emp, hr = api_token(world.meer.ermelo.emp), api_token(world.meer.ermelo.hr)
    offer_id = make_offer(client, api_token, world.meer.ermelo.emp)
    patched = client.patch(
        f"/api/v1/capacities/{api_id('offer', offer_id)}",
        json={"hoursPerWeek": 12, "skills": []},
        headers=emp,
    )
    assert patched.status_code == 200
    assert patched.get_json()["hoursPerWeek"] == 12 and patched.get_json()["skills"] == []
    assert (
        client.get(f"/api/v1/capacities/{api_id('offer', offer_id)}", headers=hr).status_code == 200
    )
    withdrawn = client.post(f"/api/v1/capacities/{api_id('offer', offer_id)}/withdraw", headers=emp)
    assert withdrawn.status_code == 200 and withdrawn.get_json()["status"] == "withdrawn"
    assert (
        client.get(f"/api/v1/capacities/{api_id('offer', offer_id)}", headers=hr).status_code == 404
    )
    assert (
        client.get(f"/api/v1/capacities/{api_id('offer', offer_id)}", headers=emp).status_code
        == 200
    )
    again = client.patch(
        f"/api/v1/capacities/{api_id('offer', offer_id)}", json={"note": "x"}, headers=emp
    )
    assert again.status_code == 409


def test_only_the_employee_changes_their_offer(client, world, api_token):
    """HR may see an offer but not change it (403); someone who may not see it gets 404."""
    offer_id = make_offer(client, api_token, world.meer.ermelo.emp)
    hr = api_token(world.meer.ermelo.hr)
    assert (
        client.patch(
            f"/api/v1/capacities/{api_id('offer', offer_id)}", json={"note": "x"}, headers=hr
        ).status_code
        == 403
    )
    lead = api_token(world.meer.ermelo.lead)
    assert (
        client.patch(
            f"/api/v1/capacities/{api_id('offer', offer_id)}", json={"note": "x"}, headers=lead
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/api/v1/capacities/{api_id('offer', offer_id)}/withdraw", headers=lead
        ).status_code
        == 404
    )


def test_the_employee_sees_who_viewed_their_offer(client, world, api_token, login):
    """Every view of the offer by someone else is logged; the employee sees who, from which
    organisation and when; their own views are not logged."""
    emp = world.meer.ermelo.emp
    offer_id = make_offer(client, api_token, emp)
    login(client, world.meer.ermelo.hr)
    assert client.get(f"/krachten/{api_id('offer', offer_id)}").status_code == 200
    client.get(
        f"/api/v1/capacities/{api_id('offer', offer_id)}", headers=api_token(world.meer.coordinator)
    )
    login(client, emp)
    page = client.get(f"/krachten/{api_id('offer', offer_id)}").get_data(as_text=True)
    assert "Wie heeft je aanbod bekeken?" in page
    assert world.meer.ermelo.hr.name in page and world.meer.coordinator.name in page
    views = client.get(
        f"/api/v1/capacities/{api_id('offer', offer_id)}", headers=api_token(emp)
    ).get_json()["views"]
    assert [v["viewer"]["name"] for v in views] == [
        world.meer.coordinator.name,
        world.meer.ermelo.hr.name,
    ]
    # Others do not get the log.
    other = client.get(
        f"/api/v1/capacities/{api_id('offer', offer_id)}", headers=api_token(world.meer.ermelo.hr)
    )
    assert "views" not in other.get_json()


def test_offer_pages(client, world, login, in_arrangement):
    """The employee offers on a page, sees it under "Mijn aanbod", edits and withdraws it."""
    emp = world.meer.ermelo.emp
    login(client, emp)
    form = client.get("/mijn-aanbod/nieuw")
    assert form.status_code == 200 and "Wie kan dit aanbod zien?" in form.get_data(as_text=True)
    start = date.today()
    data = {
        "skills": "Notuleren, Excel",
        "hours_per_week": "8",
        "available_from": start.isoformat(),
        "available_until": (start + timedelta(days=30)).isoformat(),
        "reason": "peak",
        "note": "Graag iets met cijfers",
    }
    created = client.post("/mijn-aanbod/nieuw", data=data)
    assert created.status_code == 302
    with in_arrangement(world.meer.arrangement) as s:
        offer = s.query(CapacityOffer).one()
        offer_id = offer.id
        assert offer.skills == ["Excel", "Notuleren"] and offer.reason == "peak"
    mine = client.get("/mijn-aanbod").get_data(as_text=True)
    assert "Notuleren" in mine and "Open" in mine
    edit = client.get(f"/krachten/{api_id('offer', offer_id)}/bewerken").get_data(as_text=True)
    assert 'value="Excel, Notuleren"' in edit
    data["hours_per_week"] = "16"
    assert (
        client.post(f"/krachten/{api_id('offer', offer_id)}/bewerken", data=data).status_code == 302
    )
    assert client.post(f"/krachten/{api_id('offer', offer_id)}/intrekken").status_code == 302
    with in_arrangement(world.meer.arrangement) as s:
        offer = s.get(CapacityOffer, key_of("offer", offer_id))
        assert offer.hours_per_week == 16 and offer.status == "withdrawn"


def test_hr_browses_and_searches_the_offers_it_may_see(client, world, api_token, login):
    """/krachten lists the visible offers with a count; words and skill filter them."""
    make_offer(client, api_token, world.meer.ermelo.emp)
    make_offer(client, api_token, world.meer.ermelo.emp2, skills=["Tuinieren"], note="groen")
    login(client, world.meer.ermelo.hr)
    page = client.get("/krachten").get_data(as_text=True)
    assert "2 keer aanbod gevonden." in page
    found = client.get(f"/krachten?q={SECRET_SKILL.lower()}").get_data(as_text=True)
    assert "1 aanbod gevonden." in found and world.meer.ermelo.emp.name in found
    assert world.meer.ermelo.emp2.name not in found
    by_skill = client.get(
        "/api/v1/capacities?skill=tuinieren", headers=api_token(world.meer.ermelo.hr)
    )
    assert [o["employee"]["name"] for o in by_skill.get_json()["items"]] == [
        world.meer.ermelo.emp2.name
    ]


def test_line_managers_register_for_their_staff_where_the_organisation_routes_it(
    client, make_world, api_token, login, in_arrangement, mail_outbox
):
    """With registration_via_line_manager on, the team's line manager registers an offer for
    an employee of the team: the employee is told (app and e-mail) and can change it; the
    manager sees the offer they registered; another team's manager does not."""
    world = make_world({"ermelo": {"registration_via_line_manager": True}})
    lead, emp = world.meer.ermelo.lead, world.meer.ermelo.emp
    login(client, lead)
    form = client.get("/krachten/namens")
    assert form.status_code == 200
    page = form.get_data(as_text=True)
    assert emp.name in page and world.meer.ermelo.emp_other.name not in page
    data = {
        "employee": str(public_id("user", emp.id)),
        "skills": "Notuleren",
        "hours_per_week": "4",
        "available_from": date.today().isoformat(),
        "reason": "peak",
        "note": "",
    }
    assert client.post("/krachten/namens", data=data).status_code == 302
    with in_arrangement(world.meer.arrangement) as s:
        offer = s.query(CapacityOffer).one()
        offer_id = offer.id
        assert (offer.user_id, offer.registered_by_id) == (emp.id, lead.id)
        assert [(n.user_id, n.kind) for n in s.query(Notification)] == [
            (emp.id, "offer_registered")
        ]
    (mail,) = mails_to(mail_outbox, emp)
    assert lead.name in mail.body
    assert client.get(f"/krachten/{api_id('offer', offer_id)}").status_code == 200
    as_emp = api_token(emp)
    assert (
        client.get(f"/api/v1/capacities/{api_id('offer', offer_id)}", headers=as_emp).get_json()[
            "registeredBy"
        ]["name"]
        == lead.name
    )
    assert (
        client.post(
            f"/api/v1/capacities/{api_id('offer', offer_id)}/withdraw", headers=as_emp
        ).status_code
        == 200
    )
    other = api_token(world.meer.ermelo.lead_other)
    assert (
        client.get(f"/api/v1/capacities/{api_id('offer', offer_id)}", headers=other).status_code
        == 404
    )
    # Not for someone outside the own team.
    refused = client.post(
        "/api/v1/capacities",
        json=offer_body(employeeId=world.meer.ermelo.emp_other.id),
        headers=api_token(lead),
    )
    assert refused.status_code == 403


def test_without_routing_through_line_managers_nobody_registers_for_others(
    client, world, api_token, login
):
    """registration_via_line_manager off (the default): the page is refused (403) and the API
    refuses employee_id of someone else (403); nothing is saved."""
    login(client, world.meer.ermelo.lead)
    assert client.get("/krachten/namens").status_code == 403
    response = client.post(
        "/api/v1/capacities",
        json=offer_body(employeeId=world.meer.ermelo.emp.id),
        headers=api_token(world.meer.ermelo.lead),
    )
    assert response.status_code == 403
    mine = client.get("/api/v1/capacities", headers=api_token(world.meer.ermelo.emp)).get_json()
    assert mine["total"] == 0


def test_viewing_is_logged_only_for_others(client, world, api_token, in_arrangement):
    """The employee opening their own offer leaves no trace in their view log."""
    emp = world.meer.ermelo.emp
    offer_id = make_offer(client, api_token, emp)
    client.get(f"/api/v1/capacities/{api_id('offer', offer_id)}", headers=api_token(emp))
    with in_arrangement(world.meer.arrangement) as s:
        assert s.query(OfferView).count() == 0
    assert SECRET_NOTE  # the note is only on the detail, never in lists (see test_privacy_rules)
