"""Bad input to the offer endpoints and forms: a clear message per field, 400 (413 for a huge
body), nothing saved. HTML in an offer is shown as text everywhere."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.pool.models import CapacityOffer
from tests.api_helpers import problem_fields
from tests.ids import api_id, key_of, public_id
from tests.pool.privacy_world import make_offer, offer_body

TEN_MB = "x" * (10 * 1024 * 1024)
TODAY = date.today()


def _offers(in_arrangement, world) -> int:
    with in_arrangement(world.meer.arrangement) as s:
        return s.scalar(select(func.count()).select_from(CapacityOffer))


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"hoursPerWeek": 0}, "hoursPerWeek"),
        ({"hoursPerWeek": 41}, "hoursPerWeek"),
        ({"hoursPerWeek": "8"}, "hoursPerWeek"),
        ({"hoursPerWeek": True}, "hoursPerWeek"),
        ({"hoursPerWeek": None}, "hoursPerWeek"),
        ({"availableFrom": "31-12-2025"}, "availableFrom"),
        ({"availableFrom": 20250101}, "availableFrom"),
        ({"availableFrom": None}, "availableFrom"),
        (
            {
                "availableFrom": TODAY.isoformat(),
                "availableUntil": (TODAY - timedelta(days=1)).isoformat(),
            },
            "availableUntil",
        ),
        ({"reason": "holiday"}, "reason"),
        ({"reason": 1}, "reason"),
        ({"skills": "Notuleren, Excel"}, "skills"),
        ({"skills": [1, 2]}, "skills"),
        ({"skills": ["a,b"]}, "skills"),
        ({"skills": ["x" * 81]}, "skills"),
        ({"skills": [f"skill {i}" for i in range(21)]}, "skills"),
        ({"note": 5}, "note"),
        ({"note": "x" * 2001}, "note"),
        ({"organisation_id": 2}, "organisation_id"),
        ({"status": "closed"}, "status"),
        ({"user_id": 1}, "user_id"),
        ({"registered_by_id": 1}, "registered_by_id"),
        ({"employeeId": "3"}, "employeeId"),
    ],
)
def test_an_offer_with_bad_input_is_refused_per_field(
    changes, field, client, world, in_arrangement, api_token
):
    """Wrong types, dates in the wrong order, hours 0 or 41, unknown fields such as
    ``organisation_id`` or ``status``: 400 naming the field, and no offer is saved."""
    body = offer_body()
    body.update(changes)
    for name in [k for k, v in changes.items() if v is None and k == "available_from"]:
        body.pop(name)
    response = client.post(
        "/api/v1/capacities", json=body, headers=api_token(world.meer.ermelo.emp)
    )
    assert response.status_code == 400
    error = response.get_json()
    assert field in problem_fields(error) and problem_fields(error)[field][0], error
    assert _offers(in_arrangement, world) == 0


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"hoursPerWeek": 41}, "hoursPerWeek"),
        ({"availableUntil": (TODAY - timedelta(days=1)).isoformat()}, "availableUntil"),
        ({"availableFrom": (TODAY + timedelta(days=365)).isoformat()}, "availableUntil"),
        ({"status": "withdrawn"}, "status"),
        ({"user_id": 1}, "user_id"),
        ({"skills": None}, "skills"),
    ],
)
def test_a_change_with_bad_input_is_refused(
    changes, field, client, world, in_arrangement, api_token
):
    """PATCH checks the result as a whole: a new end before the stored start (or a new start
    after the stored end) is refused too; nothing changes."""
    emp = world.meer.ermelo.emp
    offer_id = make_offer(client, api_token, emp)
    response = client.patch(
        f"/api/v1/capacities/{api_id('offer', offer_id)}", json=changes, headers=api_token(emp)
    )
    assert response.status_code == 400
    assert field in problem_fields(response.get_json())
    with in_arrangement(world.meer.arrangement) as s:
        offer = s.get(CapacityOffer, key_of("offer", offer_id))
        assert (offer.hours_per_week, offer.status, offer.available_from) == (8, "open", TODAY)


def test_ten_megabytes_is_too_large(client, world, in_arrangement, api_token, login):
    """A 10 MB offer is refused with 413 by the API (create and change) and by the forms."""
    emp = world.meer.ermelo.emp
    headers = api_token(emp)
    assert (
        client.post("/api/v1/capacities", json=offer_body(note=TEN_MB), headers=headers).status_code
        == 413
    )
    offer_id = make_offer(client, api_token, emp)
    big = client.patch(
        f"/api/v1/capacities/{api_id('offer', offer_id)}", json={"note": TEN_MB}, headers=headers
    )
    assert big.status_code == 413
    login(client, emp)
    assert client.post("/mijn-aanbod/nieuw", data={"note": TEN_MB}).status_code == 413
    assert (
        client.post(
            f"/krachten/{api_id('offer', offer_id)}/bewerken", data={"note": TEN_MB}
        ).status_code
        == 413
    )
    assert _offers(in_arrangement, world) == 1


def _form(**changes) -> dict:
    data = {
        "skills": "Notuleren",
        "hours_per_week": "8",  # api-rules: keep
        "available_from": TODAY.isoformat(),  # api-rules: keep
        "available_until": (TODAY + timedelta(days=30)).isoformat(),  # api-rules: keep
        "reason": "peak",
        "note": "",
    }
    data.update(changes)
    return data


FORM_CASES = [
    ({"hours_per_week": ""}, "Dit veld is verplicht."),  # api-rules: keep
    ({"hours_per_week": "acht"}, "Vul een heel getal in."),  # api-rules: keep
    ({"hours_per_week": "0"}, "Kies 1 tot en met 40 uur per week."),  # api-rules: keep
    ({"hours_per_week": "41"}, "Kies 1 tot en met 40 uur per week."),  # api-rules: keep
    (
        {"available_from": "31-12-2025"},  # api-rules: keep
        "Vul een datum in, bijvoorbeeld 2025-03-31.",
    ),
    (
        {"available_until": (TODAY - timedelta(days=1)).isoformat()},  # api-rules: keep
        "De einddatum ligt vóór de begindatum.",
    ),
    ({"reason": "holiday"}, "Ongeldige keuze."),
    ({"skills": "x" * 81}, "Een vaardigheid is hoogstens 80 tekens lang."),
    ({"note": "x" * 2001}, "Gebruik hoogstens 2000 tekens."),
]


@pytest.mark.parametrize("changes, message", FORM_CASES)
def test_the_offer_forms_say_what_is_wrong(
    changes, message, client, world, in_arrangement, api_token, login
):
    """New and edit forms come back with 400 and the message; nothing is saved or changed; a
    posted ``organisation_id`` or ``status`` is ignored."""
    emp = world.meer.ermelo.emp
    offer_id = make_offer(client, api_token, emp)
    login(client, emp)
    for url in ("/mijn-aanbod/nieuw", f"/krachten/{api_id('offer', offer_id)}/bewerken"):
        response = client.post(url, data=_form(organisation_id="2", status="closed", **changes))
        assert response.status_code == 400, url
        page = response.get_data(as_text=True)
        assert message in page and 'class="error-summary"' in page, url
    with in_arrangement(world.meer.arrangement) as s:
        (offer,) = s.scalars(select(CapacityOffer)).all()
        assert offer.hours_per_week == 8 and offer.status == "open"


def test_registering_for_someone_outside_the_team_is_refused(
    client, make_world, login, in_arrangement
):
    """The line manager's form only offers their own staff; another employee's id is a 400."""
    world = make_world({"ermelo": {"registration_via_line_manager": True}})
    login(client, world.meer.ermelo.lead)
    other = world.meer.ermelo.emp_other
    response = client.post(
        "/krachten/namens", data=_form(employee=str(public_id("user", other.id)))
    )
    assert response.status_code == 400
    assert _offers(in_arrangement, world) == 0


SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_html_in_an_offer_is_shown_as_text(client, world, api_token, login):
    """Script and HTML in skills and the note are escaped on every page that shows them."""
    emp = world.meer.ermelo.emp
    offer_id = make_offer(client, api_token, emp, skills=["<b>vet</b>"], note=SCRIPT)
    for person, urls in (
        (
            emp,
            [
                f"/krachten/{api_id('offer', offer_id)}",
                "/mijn-aanbod",
                f"/krachten/{api_id('offer', offer_id)}/bewerken",
            ],
        ),
        (
            world.meer.ermelo.hr,
            [f"/krachten/{api_id('offer', offer_id)}", "/krachten", "/krachten?q=vet"],
        ),
    ):
        login(client, person)
        for url in urls:
            page = client.get(url).get_data(as_text=True)
            assert "<script>alert" not in page and "<b>vet</b>" not in page, url
            assert "&lt;b&gt;vet&lt;/b&gt;" in page, url
