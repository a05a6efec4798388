"""Exchange types on jobs (issue 14, CONTRACT.md "Added in turn 2"): a job has ``type`` (klus,
detachering, meeloopdag, functieruil, mentoring; default klus), ``POST /jobs`` takes it, and the
list filters by it in the API and on the page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.pool.models import JOB_TYPES, Job
from tests.api_helpers import problem_fields
from tests.ids import key_of, public_id
from tests.pool.jobs_factory import make_job

LABELS = {
    "klus": "Klus",
    "detachering": "Detachering",
    "meeloopdag": "Meeloopdag",
    "functieruil": "Functieruil",
    "mentoring": "Mentoring",
}


def body(**overrides) -> dict:
    start = date.today() + timedelta(days=3)
    data = {
        "title": "Meelopen bij burgerzaken",
        "description": "Een dag aan de balie.",
        "hoursPerWeek": 8,
        "startDate": start.isoformat(),
        "endDate": (start + timedelta(days=30)).isoformat(),
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("kind", JOB_TYPES)
def test_post_jobs_takes_every_type_with_the_same_required_fields(
    kind, client, world, api_token, in_arrangement
):
    """POST /jobs accepts each of the five types next to the usual required fields, and the
    job (create, GET one, the list) says which it is."""
    headers = api_token(world.meer.ermelo.lead)
    response = client.post("/api/v1/jobs", json=body(type=kind), headers=headers)
    assert response.status_code == 201, response.get_json()
    job = response.get_json()
    assert job["type"] == kind
    assert client.get(f"/api/v1/jobs/{job['id']}", headers=headers).get_json()["type"] == kind
    listed = client.get(f"/api/v1/jobs?type={kind}", headers=headers).get_json()
    assert [item["id"] for item in listed["items"]] == [job["id"]]
    with in_arrangement(world.meer.arrangement) as session:
        assert session.get(Job, key_of("job", job["id"])).type == kind


def test_the_type_defaults_to_klus_and_an_unknown_one_is_a_400(
    client, world, api_token, in_arrangement
):
    """Without ``type`` a job is a klus; an unknown type is refused by name, nothing saved."""
    headers = api_token(world.meer.ermelo.hr)
    created = client.post("/api/v1/jobs", json=body(), headers=headers).get_json()
    assert created["type"] == "klus"
    for bad in ("stage", "", None, 3, "Klus"):
        response = client.post("/api/v1/jobs", json=body(type=bad), headers=headers)
        assert response.status_code == 400, (bad, response.get_json())
        assert "type" in problem_fields(response)
    with in_arrangement(world.meer.arrangement) as session:
        assert session.scalars(select(Job.type)).all() == ["klus"]


def test_patch_changes_the_type(client, world, api_token):
    """The posting side may correct the type; a bad value is a 400 that names it."""
    headers = api_token(world.meer.ermelo.lead)
    job = client.post("/api/v1/jobs", json=body(), headers=headers).get_json()
    patched = client.patch(f"/api/v1/jobs/{job['id']}", json={"type": "mentoring"}, headers=headers)
    assert patched.status_code == 200 and patched.get_json()["type"] == "mentoring"
    bad = client.patch(f"/api/v1/jobs/{job['id']}", json={"type": "x"}, headers=headers)
    assert bad.status_code == 400 and "type" in problem_fields(bad)


def test_get_jobs_filters_by_type_with_the_other_filters(client, world, api_token, in_arrangement):
    """``?type=`` narrows the list, also combined with a text query and the organisation; an
    unknown type is a 400, not an empty list."""
    make_job(in_arrangement, world.meer.ermelo.lead, title="Notulist klus")
    make_job(in_arrangement, world.meer.ermelo.lead, title="Notulist meeloop", type="meeloopdag")
    make_job(in_arrangement, world.meer.zeewolde.lead, title="Mentor", type="mentoring")
    headers = api_token(world.meer.harderwijk.emp)

    def titles(query):
        response = client.get(f"/api/v1/jobs?{query}", headers=headers)
        assert response.status_code == 200, response.get_json()
        return sorted(item["title"] for item in response.get_json()["items"])

    assert titles("type=klus") == ["Notulist klus"]
    assert titles("type=meeloopdag") == ["Notulist meeloop"]
    assert titles("type=meeloopdag&q=notulist") == ["Notulist meeloop"]
    assert titles("type=mentoring&organisation=ermelo") == []
    assert titles("type=functieruil") == []
    assert len(titles("")) == 3
    bad = client.get("/api/v1/jobs?type=stage", headers=headers)
    assert bad.status_code == 400 and "type" in problem_fields(bad)


def test_the_openapi_document_names_the_type(client):
    """The OpenAPI describes ``type`` on the job, on create and as a list filter."""
    spec = client.get("/api/v1/openapi.json").get_json()
    parameters = spec["paths"]["/jobs"]["get"]["parameters"]
    assert any(p["name"] == "type" and p["in"] == "query" for p in parameters)
    schemas = spec["components"]["schemas"]
    assert schemas["Job"]["properties"]["type"]["enum"] == list(JOB_TYPES)
    assert schemas["JobCreate"]["properties"]["type"]["enum"] == list(JOB_TYPES)


def test_the_form_posts_a_type_and_pages_show_it(client, world, login, in_arrangement):
    """The job form offers the five types (Klus preselected), saves the chosen one, and the
    detail page and the list show its Dutch name."""
    lead = world.meer.ermelo.lead
    login(client, lead)
    html = client.get("/klussen/nieuw").get_data(as_text=True)
    for kind, label in LABELS.items():
        assert f'value="{kind}"' in html and label in html
    assert 'checked id="type-0" name="type" type="radio" value="klus"' in html or (
        'value="klus"' in html.split('name="type"', 1)[1].split(">", 1)[0]
    )
    start = date.today() + timedelta(days=5)
    response = client.post(
        "/klussen/nieuw",
        data={
            "type": "functieruil",
            "title": "Ruil beleidsadviseur",
            "description": "Drie maanden ruilen.",
            "department": str(public_id("department", world.meer.ermelo.team.id)),
            "hours_per_week": "36",
            "start_date": start.isoformat(),
            "end_date": (start + timedelta(days=120)).isoformat(),
            "places": "1",
            "visibility": "arrangement",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Soort uitwisseling" in detail and "Functieruil" in detail
    with in_arrangement(world.meer.arrangement) as session:
        assert session.scalars(select(Job.type)).all() == ["functieruil"]
    listing = client.get("/klussen").get_data(as_text=True)
    assert "Functieruil · " in listing


def test_the_form_refuses_an_unknown_type(client, world, login, in_arrangement):
    """A forged type is a form error, nothing saved."""
    login(client, world.meer.ermelo.lead)
    start = date.today() + timedelta(days=5)
    response = client.post(
        "/klussen/nieuw",
        data={
            "type": "stage",
            "title": "X",
            "hours_per_week": "4",
            "start_date": start.isoformat(),
            "end_date": (start + timedelta(days=3)).isoformat(),
            "places": "1",
            "visibility": "arrangement",
        },
    )
    assert response.status_code == 400
    with in_arrangement(world.meer.arrangement) as session:
        assert session.scalars(select(Job)).all() == []


def test_the_list_page_filters_by_type(client, world, login, in_arrangement):
    """The list's "Soort uitwisseling" filter shows only that type; a forged value is a field
    message (400), not an error page."""
    make_job(in_arrangement, world.meer.ermelo.lead, title="Gewone klus")
    make_job(in_arrangement, world.meer.ermelo.lead, title="Mentor gezocht", type="mentoring")
    login(client, world.meer.harderwijk.emp)
    page = client.get("/klussen").get_data(as_text=True)
    assert 'name="type"' in page and "Alle soorten" in page
    assert "Gewone klus" in page and "Mentor gezocht" in page
    filtered = client.get("/klussen?type=mentoring")
    html = filtered.get_data(as_text=True)
    assert filtered.status_code == 200
    assert "Mentor gezocht" in html and "Gewone klus" not in html
    assert '<option value="mentoring" selected>' in html
    assert client.get("/klussen?type=stage").status_code == 400
