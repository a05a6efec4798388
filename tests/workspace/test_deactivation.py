"""Deactivating a user through the HR page ends their open browser session and API token at
once (issue 5 acceptance); re-activating lets them log in again, with new sessions only."""

from __future__ import annotations

from app.accounts.models import User
from tests.ids import public_id


def test_a_deactivated_users_session_and_token_are_refused_on_their_next_request(
    app, world, login, api_token, in_arrangement
):
    """The employee is logged in (cookie) and holds a token; HR presses "deactivate"; the next
    page request is sent to the login page and the next API call is a 401."""
    ermelo = world.meer.ermelo
    employee = app.test_client()
    login(employee, ermelo.emp)
    token = api_token(ermelo.emp)
    assert employee.get("/start").status_code == 200
    assert employee.get("/api/v1/me", headers=token).status_code == 200

    hr = app.test_client()
    login(hr, ermelo.hr)
    response = hr.post(f"/medewerkers/{public_id('user', ermelo.emp.id)}/deactiveren")
    assert response.status_code == 302
    assert "Alle sessies en tokens zijn beëindigd" in hr.get(response.headers["Location"]).get_data(
        as_text=True
    )

    page = employee.get("/start")
    assert page.status_code == 302 and "/login" in page.headers["Location"]
    assert employee.get("/api/v1/me", headers=token).status_code == 401
    refused = employee.post(
        "/login", data={"email": ermelo.emp.email, "password": "geheim-wachtwoord-1"}
    )
    assert refused.status_code == 401
    with in_arrangement(world.meer.arrangement) as s:
        assert s.get(User, ermelo.emp.id).active is False

    assert hr.post(f"/medewerkers/{public_id('user', ermelo.emp.id)}/activeren").status_code == 302
    assert employee.get("/api/v1/me", headers=token).status_code == 401  # the old token stays dead
    login(employee, ermelo.emp)
    assert employee.get("/start").status_code == 200


def test_hr_cannot_deactivate_itself_and_others_cannot_deactivate(app, world, login):
    """HR's own account: 409, nothing changes. An employee: 403. HR of another organisation: 404."""
    ermelo = world.meer.ermelo
    client = app.test_client()
    login(client, ermelo.hr)
    assert (
        client.post(f"/medewerkers/{public_id('user', ermelo.hr.id)}/deactiveren").status_code
        == 409
    )
    assert client.get("/start").status_code == 200
    login(client, ermelo.emp2)
    assert (
        client.post(f"/medewerkers/{public_id('user', ermelo.emp.id)}/deactiveren").status_code
        == 403
    )
    login(client, world.meer.harderwijk.hr)
    assert (
        client.post(f"/medewerkers/{public_id('user', ermelo.emp.id)}/deactiveren").status_code
        == 404
    )
    login(client, ermelo.emp)  # still active
    assert client.get("/start").status_code == 200
