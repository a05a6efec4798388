"""The view log is the employee's check on who read their offer ("Wie heeft je aanbod bekeken?";
the lists say "wie een aanbod opent, staat in het overzicht dat de medewerker zelf ziet"). So
whoever can read an offer's full content — its note — appears in that log. The web list shows a
summary (name, organisation, hours, period, skills) and the detail page logs the view; the API
list must not be a way around the log."""

from __future__ import annotations

from tests.ids import api_id
from tests.pool.privacy_world import SECRET_NOTE, make_offer


def _viewers(client, api_token, employee, offer_id) -> list[dict]:
    response = client.get(
        f"/api/v1/capacities/{api_id('offer', offer_id)}", headers=api_token(employee)
    )
    assert response.status_code == 200
    return [row["viewer"] for row in response.get_json()["views"]]


def test_opening_an_offer_is_logged_for_the_employee(app, make_world, api_token, login):
    """The control: HR of another organisation opens the offer (page and API) and is named
    in the employee's view log."""
    world = make_world({"ermelo": {"capacity_visibility": "arrangement"}})
    client = app.test_client()
    emp, other_hr = world.meer.ermelo.emp, world.meer.harderwijk.hr
    offer = make_offer(client, api_token, emp)
    assert (
        client.get(
            f"/api/v1/capacities/{api_id('offer', offer)}", headers=api_token(other_hr)
        ).status_code
        == 200
    )
    viewers = _viewers(client, api_token, emp, offer)
    assert [v["name"] for v in viewers] == [other_hr.name]


def test_reading_notes_through_the_api_list_is_logged_or_impossible(app, make_world, api_token):
    """HR of another organisation lists the offers shared with the hiring side. Either the
    list holds no note (like the web list), or the employee's log names them."""
    world = make_world({"ermelo": {"capacity_visibility": "arrangement"}})
    client = app.test_client()
    emp, other_hr = world.meer.ermelo.emp, world.meer.harderwijk.hr
    offer = make_offer(client, api_token, emp)
    listing = client.get("/api/v1/capacities", headers=api_token(other_hr))
    assert listing.status_code == 200
    assert [item["id"] for item in listing.get_json()["items"]] == [offer]
    if SECRET_NOTE in listing.get_data(as_text=True):
        assert [v["name"] for v in _viewers(client, api_token, emp, offer)] == [other_hr.name]
