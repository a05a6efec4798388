"""HR of one organisation reaches no staff, offer, response or setting of another organisation
(404), and nothing of another arrangement (issue 5 acceptance; the per-route cases of other
arrangements are in tests/workspace/route_cases.py)."""

from __future__ import annotations

from app.accounts.models import User
from app.pool.models import Application, CapacityOffer
from tenants.models import Department, DepartmentManager, Organisation
from tests.ids import api_id, key_of, public_id
from tests.pool.jobs_factory import make_job
from tests.pool.privacy_world import apply_to, make_offer
from tests.workspace.db_state import snapshot


def test_hr_of_another_organisation_gets_404_for_staff_and_departments(
    client, world, login, schema
):
    """Every page and action about an Ermelo colleague or department answers Harderwijk's HR
    with 404, and changes nothing."""
    ermelo = world.meer.ermelo
    login(client, world.meer.harderwijk.hr)
    before = snapshot(schema.owner_engine, skip={"auth_sessions": {"last_seen_at"}})
    emp = public_id("user", ermelo.emp.id)
    for method, url, data in (
        ("GET", f"/medewerkers/{api_id('user', emp)}", None),
        ("POST", f"/medewerkers/{api_id('user', emp)}", {"name": "Overgenomen", "department": 0}),
        ("POST", f"/medewerkers/{api_id('user', emp)}/deactiveren", None),
        ("POST", f"/medewerkers/{api_id('user', emp)}/activeren", None),
        ("GET", f"/medewerkers/{api_id('user', emp)}/gegevens-wissen", None),
        ("POST", f"/medewerkers/{api_id('user', emp)}/gegevens-wissen", {"confirm": "y"}),
        ("GET", f"/afdelingen/{public_id('department', ermelo.team.id)}", None),
        ("POST", f"/afdelingen/{public_id('department', ermelo.team.id)}", {"name": "Overgenomen"}),
        (
            "POST",
            f"/afdelingen/{public_id('department', ermelo.team.id)}/leidinggevenden",
            {"user": emp},
        ),
        (
            "POST",
            f"/afdelingen/{public_id('department', ermelo.team.id)}/leidinggevenden/"
            f"{public_id('user', ermelo.lead.id)}/verwijderen",
            None,
        ),
    ):
        response = client.open(url, method=method, data=data)
        assert response.status_code == 404, (method, url, response.status_code)
        assert ermelo.emp.email not in response.get_data(as_text=True)
    # Their own department cannot get an Ermelo line manager either.
    own = f"/afdelingen/{public_id('department', world.meer.harderwijk.team.id)}/leidinggevenden"
    assert client.post(own, data={"user": emp}).status_code == 400
    assert snapshot(schema.owner_engine, skip={"auth_sessions": {"last_seen_at"}}) == before


def test_hr_of_another_organisation_sees_no_offer_response_or_setting(
    client, world, login, api_token, in_arrangement
):
    """Ermelo's employee offers hours and responds to an Ermelo job: Harderwijk's HR gets 404
    for both (pages and API), does not find them in its overviews, and cannot change Ermelo's
    details or privacy settings."""
    ermelo, harderwijk = world.meer.ermelo, world.meer.harderwijk
    offer_id = make_offer(client, api_token, ermelo.emp)
    job_id = make_job(in_arrangement, ermelo.lead, visibility="organisation")
    application_id = apply_to(client, api_token, ermelo.emp, job_id)
    # Ermelo's HR sees both in its overview.
    login(client, ermelo.hr)
    overview = client.get("/organisatie/aanbod-en-reacties").get_data(as_text=True)
    assert (
        f"/krachten/{api_id('offer', offer_id)}" in overview
        and f"/reacties/{api_id('application', application_id)}" in overview
    )

    login(client, harderwijk.hr)
    headers = api_token(harderwijk.hr)
    assert client.get(f"/krachten/{api_id('offer', offer_id)}").status_code == 404
    assert client.get(f"/reacties/{api_id('application', application_id)}").status_code == 404
    assert (
        client.get(f"/api/v1/capacities/{api_id('offer', offer_id)}", headers=headers).status_code
        == 404
    )
    assert (
        client.get(
            f"/api/v1/applications/{api_id('application', application_id)}", headers=headers
        ).status_code
        == 404
    )
    overview = client.get("/organisatie/aanbod-en-reacties").get_data(as_text=True)
    assert ermelo.emp.name not in overview
    assert (
        f"/krachten/{api_id('offer', offer_id)}" not in overview
        and f"/reacties/{api_id('application', application_id)}" not in overview
    )
    staff = client.get("/medewerkers?q=ermelo").get_data(as_text=True)
    assert ermelo.emp.email not in staff
    # Settings: the details page and the logo only ever address the own organisation.
    client.post("/organisatie/gegevens", data={"legal_name": "Overgenomen", "kvk_number": ""})
    patch = client.patch(
        "/api/v1/organisations/ermelo/settings",
        json={"capacityVisibility": "arrangement"},
        headers=headers,
    )
    assert patch.status_code in (403, 404)
    with in_arrangement(world.meer.arrangement) as s:
        organisation = s.get(Organisation, ermelo.org.id)
        assert organisation.legal_name == "Gemeente Ermelo"
        assert organisation.capacity_visibility == "hr_coordinators"
        assert s.get(Organisation, harderwijk.org.id).legal_name == "Overgenomen"
        assert s.get(CapacityOffer, key_of("offer", offer_id)) is not None
        assert s.get(Application, key_of("application", application_id)) is not None


def test_own_organisation_pages_show_nothing_of_another_arrangement(
    app, world, login, api_token, in_arrangement
):
    """HR of "elders" opens every own-organisation page: no name, address or department of
    "meer" appears; nothing of theirs changed."""
    ermelo = world.meer.ermelo
    offer_id = make_offer(app.test_client(), api_token, ermelo.emp)
    client = app.test_client()
    login(client, world.elders.andere.hr)
    secrets = [ermelo.emp.email, ermelo.emp.name, "Gemeente Ermelo", "Raadhuisplein 1, Ermelo"]
    for url in (
        "/medewerkers",
        "/medewerkers?q=ermelo",
        "/afdelingen",
        "/medewerkers/importeren",
        "/organisatie/gegevens",
        "/organisatie/detacheringen",
        "/organisatie/aanbod-en-reacties",
        "/mijn-gegevens",
        "/mijn-gegevens.json",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        for secret in secrets:
            assert secret not in body, (url, secret)
        assert f"/krachten/{api_id('offer', offer_id)}" not in body
    with in_arrangement(world.meer.arrangement) as s:
        assert s.get(User, ermelo.emp.id).active
        assert s.query(Department).count() == 6
        assert s.query(DepartmentManager).count() == 6


def test_the_participation_overview_follows_the_privacy_rules(
    client, world, login, api_token, in_arrangement
):
    """HR's overview lists its own staff's open offers and their responses (the pool's privacy
    clauses), not a withdrawn offer, and nothing of another organisation's staff."""
    ermelo, harderwijk = world.meer.ermelo, world.meer.harderwijk
    open_offer = make_offer(client, api_token, ermelo.emp)
    withdrawn = make_offer(client, api_token, ermelo.emp2)
    client.post(
        f"/api/v1/capacities/{api_id('offer', withdrawn)}/withdraw", headers=api_token(ermelo.emp2)
    )
    foreign = make_offer(client, api_token, harderwijk.emp)
    job_id = make_job(in_arrangement, harderwijk.lead, visibility="arrangement")
    own_response = apply_to(client, api_token, ermelo.emp_other, job_id)
    foreign_response = apply_to(client, api_token, harderwijk.emp2, job_id)
    login(client, ermelo.hr)
    page = client.get("/organisatie/aanbod-en-reacties").get_data(as_text=True)
    assert f"/krachten/{api_id('offer', open_offer)}" in page
    assert f"/krachten/{api_id('offer', withdrawn)}" not in page
    assert f"/krachten/{api_id('offer', foreign)}" not in page
    assert f"/reacties/{api_id('application', own_response)}" in page
    assert f"/reacties/{api_id('application', foreign_response)}" not in page
