"""Skills are shared tags, and the first spelling of a skill becomes its name everywhere
(app.pool.skills). A skill that only capacity offers use must not shape what a job poster sees:
otherwise a line manager who types "geheimschrift" on a job and gets "Geheimschrift" back learns
that someone offered it — the suggestion list already leaves such skills out for that reason."""

from __future__ import annotations

from tests.pool.privacy_world import make_offer


def _post_job(client, headers, skills) -> dict:
    response = client.post(
        "/api/v1/jobs",
        json={
            "title": "Teamklus Ermelo",
            "description": "Verslagen maken.",
            "hoursPerWeek": 8,
            "startDate": "2031-03-01",
            "endDate": "2031-05-01",
            "skills": skills,
        },
        headers=headers,
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_a_skill_only_offers_use_takes_the_job_posters_spelling(app, make_world, api_token, login):
    """Ermelo's emp offers "Geheimschrift" (seen by HR only). Their line manager posts a job
    with "gEHEIMSCHRIFT": the job shows the manager's spelling, as it would had nobody offered
    that skill — on the API answer, the job's page and the job list."""
    world = make_world({"ermelo": {"capacity_visibility": "hr"}})
    client = app.test_client()
    make_offer(client, api_token, world.meer.ermelo.emp, skills=["Geheimschrift"])
    lead = world.meer.ermelo.lead
    job = _post_job(client, api_token(lead), ["gEHEIMSCHRIFT", "Notuleren"])
    assert sorted(job["skills"], key=str.casefold) == ["gEHEIMSCHRIFT", "Notuleren"]
    login(client, lead)
    page = client.get(f"/klussen/{job['id']}").get_data(as_text=True)
    assert "gEHEIMSCHRIFT" in page and "Geheimschrift" not in page


def test_without_an_offer_the_job_shows_the_posters_spelling(app, world, api_token):
    """The control: with no offer of that skill, the poster's spelling is what the job shows."""
    client = app.test_client()
    job = _post_job(client, api_token(world.meer.ermelo.lead), ["gEHEIMSCHRIFT", "Notuleren"])
    assert sorted(job["skills"], key=str.casefold) == ["gEHEIMSCHRIFT", "Notuleren"]
