"""After responding, the job says so ("Je hebt gereageerd", with a link to the response)
instead of "Reageren", and the job lists mark it; withdrawing asks for confirmation first."""

from __future__ import annotations

from app.pool.models import Application
from tests.ids import api_id, key_of
from tests.pool.privacy_world import apply_to, other_org_job


def test_the_job_and_the_lists_show_the_own_response(
    client, world, in_arrangement, api_token, login
):
    """The job's page: "Je hebt gereageerd" and a link to the response, no "Reageren"; the job
    list marks that job only; a colleague still sees "Reageren" and no marker."""
    job_id = other_org_job(in_arrangement, world)
    other_id = other_org_job(in_arrangement, world, title="Archiefklus Harderwijk")
    emp = world.meer.ermelo.emp
    application_id = apply_to(client, api_token, emp, job_id)
    login(client, emp)
    page = client.get(f"/klussen/{api_id('job', job_id)}").get_data(as_text=True)
    assert (
        "Je hebt gereageerd" in page
        and f"/reacties/{api_id('application', application_id)}" in page
    )
    assert f'href="/klussen/{api_id("job", job_id)}/reageren"' not in page
    listing = client.get("/klussen").get_data(as_text=True)
    assert listing.count('class="marker"') == 1
    mine, other = (
        listing.index(f'/klussen/{api_id("job", job_id)}"'),
        listing.index(f'/klussen/{api_id("job", other_id)}"'),
    )
    marker = listing.index('class="marker"')
    assert (mine < marker < other) if mine < other else (marker > mine)
    login(client, world.meer.ermelo.emp2)
    page = client.get(f"/klussen/{api_id('job', job_id)}").get_data(as_text=True)
    assert "Je hebt gereageerd" not in page and f"/klussen/{api_id('job', job_id)}/reageren" in page
    assert 'class="marker"' not in client.get("/klussen").get_data(as_text=True)


def test_withdrawing_asks_first(client, world, in_arrangement, api_token, login):
    """One click on "Intrekken" shows a confirmation page and changes nothing; confirmed, the
    response is withdrawn."""
    job_id = other_org_job(in_arrangement, world)
    emp = world.meer.ermelo.emp
    application_id = apply_to(client, api_token, emp, job_id)
    login(client, emp)
    asked = client.post(f"/reacties/{api_id('application', application_id)}/intrekken")
    assert asked.status_code == 200
    html = asked.get_data(as_text=True)
    assert "Reactie intrekken?" in html and 'name="confirm" value="1"' in html
    with in_arrangement(world.meer.arrangement) as s:
        assert s.get(Application, key_of("application", application_id)).status == "submitted"
    done = client.post(
        f"/reacties/{api_id('application', application_id)}/intrekken", data={"confirm": "1"}
    )
    assert done.status_code == 302
    with in_arrangement(world.meer.arrangement) as s:
        assert s.get(Application, key_of("application", application_id)).status == "withdrawn"
