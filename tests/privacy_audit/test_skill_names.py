"""Skills are shared keys for matching, but every job and offer shows the spelling its author
typed (app.pool.skills). Otherwise a line manager who types "geheimschrift" and gets
"Geheimschrift" back learns that someone offered it, and a job's spelling rewrites what an
employee's own offer shows (issue 10, finding 12)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from tests.ids import api_id
from tests.pool.privacy_world import make_offer

SECRET = "Reddingszwemmen"  # in the employee's offer, seen by HR only
CONTROL = "duikinstructie"  # offered by nobody


def _offer_skills(client, headers, offer_id) -> list[str]:
    response = client.get(f"/api/v1/capacities/{api_id('offer', offer_id)}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return sorted(response.get_json()["skills"], key=str.casefold)


def _page_tags(web, url) -> list[str]:
    page = web.get(url).get_data(as_text=True)
    return sorted(re.findall(r'<span class="tag">([^<]*)</span>', page), key=str.casefold)


def _web_offer(web, skills: str) -> int:
    """The line manager offers their own capacity through /mijn-aanbod/nieuw."""
    response = web.post(
        "/mijn-aanbod/nieuw",
        data={
            "skills": skills,
            "hours_per_week": "4",
            "available_from": date.today().isoformat(),
            "available_until": (date.today() + timedelta(days=60)).isoformat(),
            "reason": "development",
            "note": "",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


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


def test_a_line_managers_own_offer_keeps_their_spelling_of_a_hidden_offers_skill(
    app, make_world, api_token, login
):
    """Issue 10, finding 12. Ermelo's emp offers "Reddingszwemmen" (seen by HR only). Her line
    manager offers their own capacity with "reddingszwemmen" and the control "duikinstructie":
    through the API, through /mijn-aanbod/nieuw and by editing their offer, after the employee
    withdrew hers too, both stay exactly as typed — on the API answer and the offer's page.
    The employee's offer keeps her spelling throughout."""
    world = make_world({"ermelo": {"capacity_visibility": "hr"}})
    client = app.test_client()
    emp, lead = world.meer.ermelo.emp, world.meer.ermelo.lead
    mine = make_offer(client, api_token, emp, skills=[SECRET, "Notuleren"])
    headers = api_token(lead)
    typed = sorted([SECRET.lower(), CONTROL], key=str.casefold)

    by_api = make_offer(client, api_token, lead, skills=typed)
    assert _offer_skills(client, headers, by_api) == typed
    web = app.test_client()
    login(web, lead)
    by_form = _web_offer(web, ", ".join(typed))
    assert _offer_skills(client, headers, by_form) == typed
    assert _page_tags(web, f"/krachten/{api_id('offer', by_form)}") == typed

    edited = client.patch(
        f"/api/v1/capacities/{api_id('offer', by_api)}",
        json={"skills": ["REDDINGSZWEMMEN"]},
        headers=headers,
    )
    assert edited.status_code == 200 and edited.get_json()["skills"] == ["REDDINGSZWEMMEN"]
    response = web.post(
        f"/krachten/{api_id('offer', by_form)}/bewerken",
        data={
            "skills": f"reddingsZwemmen, {CONTROL}",
            "hours_per_week": "4",
            "available_from": date.today().isoformat(),
            "reason": "development",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert _offer_skills(client, headers, by_form) == [CONTROL, "reddingsZwemmen"]

    withdrawn = client.post(
        f"/api/v1/capacities/{api_id('offer', mine)}/withdraw", headers=api_token(emp)
    )
    assert withdrawn.status_code == 200
    again = make_offer(client, api_token, lead, skills=[SECRET.lower()])
    assert _offer_skills(client, headers, again) == [SECRET.lower()]
    assert _offer_skills(client, api_token(emp), mine) == ["Notuleren", SECRET]


def test_a_job_never_respells_an_employees_offer(app, make_world, api_token, login):
    """Issue 10, finding 12, the integrity side. The employee offers "Kanoles"; a job with
    "KANOLES" is posted (and edited to "kanoLES"): her own offer still shows "Kanoles" in the
    API, on her offer page and in "Mijn aanbod"; the job shows what its poster typed. Matching
    still sees one skill: the job is among the jobs that fit her offer."""
    world = make_world({"ermelo": {"capacity_visibility": "hr"}})
    client = app.test_client()
    emp, lead = world.meer.ermelo.emp, world.meer.ermelo.lead
    mine = make_offer(client, api_token, emp, skills=["Kanoles"])
    job = _post_job(client, api_token(lead), ["KANOLES"])
    assert job["skills"] == ["KANOLES"]
    assert _offer_skills(client, api_token(emp), mine) == ["Kanoles"]
    patched = client.patch(
        f"/api/v1/jobs/{job['id']}", json={"skills": ["kanoLES"]}, headers=api_token(lead)
    )
    assert patched.status_code == 200 and patched.get_json()["skills"] == ["kanoLES"]

    assert _offer_skills(client, api_token(emp), mine) == ["Kanoles"]
    web = app.test_client()
    login(web, emp)
    assert _page_tags(web, f"/krachten/{api_id('offer', mine)}") == ["Kanoles"]
    assert "Kanoles" in _page_tags(web, "/mijn-aanbod")
    assert "KANOLES" not in web.get("/mijn-aanbod").get_data(as_text=True)
    fitting = client.get(
        f"/api/v1/capacities/{api_id('offer', mine)}/suggested-jobs", headers=api_token(emp)
    ).get_json()
    assert job["id"] in [item["jobId"] for item in fitting["items"]]


def test_the_skill_suggestions_hold_no_offers_spelling(app, make_world, api_token, login):
    """The job form's suggestions name the skills of visible jobs as those jobs spell them;
    a skill or spelling that only an offer uses is never among them."""
    world = make_world({"ermelo": {"capacity_visibility": "hr"}})
    client = app.test_client()
    make_offer(client, api_token, world.meer.ermelo.emp, skills=[SECRET, "Zwemlesgeven"])
    _post_job(client, api_token(world.meer.harderwijk.lead), ["reddingszwemmen"])
    web = app.test_client()
    login(web, world.meer.ermelo.lead)
    page = web.get("/klussen/nieuw").get_data(as_text=True)
    options = re.findall(r'<option value="([^"]*)">', page.split('id="skill-suggestions"')[1])
    assert "reddingszwemmen" in options
    assert SECRET not in page and "Zwemlesgeven" not in page
