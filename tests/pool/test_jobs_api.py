"""The jobs API (CONTRACT.md): who may post and change jobs, what a job looks like, bad input."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from app.pool.models import Job
from tests.api_helpers import problem_fields
from tests.ids import api_id
from tests.pool.jobs_factory import make_job

JOB_FIELDS = {
    "id",
    "type",
    "title",
    "description",
    "organisation",
    "department",
    "skills",
    "hoursPerWeek",
    "startDate",
    "endDate",
    "location",
    "remote",
    "visibility",
    "status",
    "places",
    "expiresOn",
    "createdAt",
}


def body(**overrides) -> dict:
    start = date.today() + timedelta(days=3)
    data = {
        "title": "Notulist raadscommissie",
        "description": "Twee avonden per maand notuleren.",
        "hoursPerWeek": 6,
        "startDate": start.isoformat(),
        "endDate": (start + timedelta(days=90)).isoformat(),
    }
    data.update(overrides)
    return data


def count_jobs(in_arrangement, world) -> int:
    with in_arrangement(world.meer.arrangement) as session:
        return session.scalar(select(func.count()).select_from(Job))


def test_line_manager_posts_with_only_the_required_fields(client, world, api_token):
    """POST /jobs needs title, description, hours, start and end; the rest defaults sensibly:
    the poster's own department, the organisation's default visibility, 1 place, no skills,
    not remote, open with an expiry date."""
    lead = world.meer.ermelo.lead
    response = client.post("/api/v1/jobs", json=body(), headers=api_token(lead))
    assert response.status_code == 201, response.get_json()
    job = response.get_json()
    assert set(job) == JOB_FIELDS
    assert job["organisation"] == {"slug": "ermelo", "name": "Gemeente Ermelo"}
    assert job["department"] == "team"
    assert job["visibility"] == "arrangement"
    assert job["places"] == 1 and job["skills"] == [] and job["remote"] is False
    assert job["status"] == "open"
    assert job["expiresOn"] == (date.today() + timedelta(days=42)).isoformat()
    assert job["type"] == "klus"


def test_hr_posts_without_a_department_and_may_choose_one(client, world, api_token):
    """HR's jobs belong to no department unless HR names one of its own organisation's."""
    headers = api_token(world.meer.ermelo.hr)
    first = client.post("/api/v1/jobs", json=body(), headers=headers)
    assert first.status_code == 201 and first.get_json()["department"] is None
    second = client.post("/api/v1/jobs", json=body(department="other"), headers=headers)
    assert second.status_code == 201 and second.get_json()["department"] == "other"


def test_plain_employees_may_not_post(client, world, api_token, in_arrangement):
    """An employee who manages nothing and is not HR gets 403, and nothing is saved."""
    response = client.post("/api/v1/jobs", json=body(), headers=api_token(world.meer.ermelo.emp))
    assert response.status_code == 403
    assert response.get_json()["code"] == "forbidden"
    assert count_jobs(in_arrangement, world) == 0


def test_organisation_default_visibility_is_used(make_world, client, api_token):
    """An organisation whose default is `organisation` gets organisation-only jobs unless the
    poster chooses otherwise."""
    world = make_world({"ermelo": {"default_job_visibility": "organisation"}})
    headers = api_token(world.meer.ermelo.lead)
    default = client.post("/api/v1/jobs", json=body(), headers=headers).get_json()
    chosen = client.post(
        "/api/v1/jobs", json=body(visibility="arrangement"), headers=headers
    ).get_json()
    assert default["visibility"] == "organisation"
    assert chosen["visibility"] == "arrangement"


def test_skills_are_normalised_to_one_shared_skill(client, world, api_token):
    """ "notuleren" and "Notuleren " are one skill: inside one job the first spelling typed
    stays; each job keeps its own poster's spelling (issue 10, finding 12), and the skill
    filter finds both."""
    headers = api_token(world.meer.ermelo.lead)
    first = client.post("/api/v1/jobs", json=body(skills=["Notuleren ", "Excel"]), headers=headers)
    second = client.post(
        "/api/v1/jobs", json=body(skills=["notuleren", "  NOTULEREN"]), headers=headers
    )
    assert first.get_json()["skills"] == ["Excel", "Notuleren"]
    assert second.get_json()["skills"] == ["notuleren"]
    found = client.get("/api/v1/jobs?skill=NOTULEREN", headers=headers).get_json()
    ids = {first.get_json()["id"], second.get_json()["id"]}
    assert ids <= {item["id"] for item in found["items"]}


def test_unknown_fields_on_create_are_named(client, world, api_token, in_arrangement):
    """organisation_id, status or any unknown field on create: 400 naming it; nothing saved."""
    headers = api_token(world.meer.ermelo.lead)
    for extra in (
        {"organisation_id": world.meer.harderwijk.org.id},
        {"status": "draft"},
        {"posted_by": 1},
    ):
        response = client.post("/api/v1/jobs", json=body(**extra), headers=headers)
        assert response.status_code == 400
        error = response.get_json()
        assert error["code"] == "invalid"
        assert list(problem_fields(error)) == list(extra)
    assert count_jobs(in_arrangement, world) == 0


def test_bad_values_get_a_message_per_field(client, world, api_token, in_arrangement):
    """Wrong types, hours 0 or 41, dates in the wrong order, missing fields: 400 with each
    field named; nothing is saved."""
    headers = api_token(world.meer.ermelo.lead)
    cases = [
        (body(hoursPerWeek=0), "hoursPerWeek"),
        (body(hoursPerWeek=41), "hoursPerWeek"),
        (body(hoursPerWeek="veel"), "hoursPerWeek"),
        (body(hoursPerWeek=8.5), "hoursPerWeek"),
        (body(startDate="morgen"), "startDate"),
        (body(startDate="2030-05-10", endDate="2030-05-01"), "endDate"),
        (body(places=0), "places"),
        (body(remote="misschien"), "remote"),
        (body(visibility="everyone"), "visibility"),
        (body(skills="notuleren"), "skills"),
        (body(skills=["x" * 81]), "skills.0"),
        (body(title=""), "title"),
        (body(title="   "), "title"),
        (body(title="x" * 201), "title"),
        (body(department="nope"), "department"),
        ({k: v for k, v in body().items() if k != "endDate"}, "endDate"),
    ]
    for payload, field in cases:
        response = client.post("/api/v1/jobs", json=payload, headers=headers)
        assert response.status_code == 400, (payload, response.get_json())
        fields = problem_fields(response.get_json())
        assert field in fields and all(fields[field]), (payload, fields)
    assert count_jobs(in_arrangement, world) == 0


def test_a_line_manager_cannot_post_for_a_department_they_do_not_manage(client, world, api_token):
    """A line manager chooses among their own and managed departments only."""
    response = client.post(
        "/api/v1/jobs", json=body(department="other"), headers=api_token(world.meer.ermelo.lead)
    )
    assert response.status_code == 400
    assert "department" in problem_fields(response.get_json())


def test_bodies_over_the_limit_get_413_json(client, world, api_token, in_arrangement):
    """A 10 MB body is refused with 413 and the JSON error format; nothing is saved."""
    huge = body(description="x" * (10 * 1024 * 1024))
    response = client.post("/api/v1/jobs", json=huge, headers=api_token(world.meer.ermelo.lead))
    assert response.status_code == 413
    assert response.get_json()["code"] == "too_large"
    assert count_jobs(in_arrangement, world) == 0


def test_non_json_and_non_object_bodies_are_400(client, world, api_token):
    """A body that is not a JSON object is bad input, not a server error."""
    headers = api_token(world.meer.ermelo.lead)
    for kwargs in (
        {"data": "{not json", "content_type": "application/json"},
        {"json": ["a", "list"]},
        {"json": "text"},
    ):
        response = client.post("/api/v1/jobs", headers=headers, **kwargs)
        assert response.status_code == 400, response.get_data(as_text=True)


def test_list_format_and_paging(client, world, api_token, in_arrangement):
    """GET /jobs: {"items", "total", "page", "per_page"}, newest first, per_page honoured."""
    for n in range(3):
        make_job(in_arrangement, world.meer.ermelo.lead, title=f"Klus {n}")
    headers = api_token(world.meer.harderwijk.emp)
    response = client.get("/api/v1/jobs?perPage=2&page=1", headers=headers)
    data = response.get_json()
    assert response.status_code == 200
    assert set(data) == {"items", "total", "page", "perPage"}
    assert (data["total"], data["page"], data["perPage"]) == (3, 1, 2)
    assert [item["title"] for item in data["items"]] == ["Klus 2", "Klus 1"]
    assert set(data["items"][0]) == JOB_FIELDS
    second = client.get("/api/v1/jobs?perPage=2&page=2", headers=headers).get_json()
    assert [item["title"] for item in second["items"]] == ["Klus 0"]


def test_list_filters(client, world, api_token, in_arrangement):
    """q, organisation, skill and status narrow the list."""
    make_job(in_arrangement, world.meer.ermelo.lead, title="Zwembadhulp", skills=["Toezicht"])
    make_job(in_arrangement, world.meer.zeewolde.lead, title="Notulist", skills=["Notuleren"])
    headers = api_token(world.meer.harderwijk.emp)

    def titles(query):
        response = client.get(f"/api/v1/jobs?{query}", headers=headers)
        assert response.status_code == 200, response.get_json()
        return [item["title"] for item in response.get_json()["items"]]

    assert titles("q=zwembadhulp") == ["Zwembadhulp"]
    assert titles("organisation=zeewolde") == ["Notulist"]
    assert titles("skill=toezicht") == ["Zwembadhulp"]
    assert titles("status=closed") == []
    assert client.get("/api/v1/jobs?status=gone", headers=headers).status_code == 400
    assert client.get("/api/v1/jobs?perPage=1000", headers=headers).status_code == 400


def test_get_one_job(client, world, api_token, in_arrangement):
    """GET /jobs/{id} gives the job to whoever may see it, 404 otherwise."""
    job_id = make_job(in_arrangement, world.meer.ermelo.lead, title="Zichtbaar")
    response = client.get(
        f"/api/v1/jobs/{api_id('job', job_id)}", headers=api_token(world.meer.zeewolde.emp)
    )
    assert response.status_code == 200
    assert response.get_json()["title"] == "Zichtbaar"
    missing = client.get("/api/v1/jobs/999999", headers=api_token(world.meer.zeewolde.emp))
    assert missing.status_code == 404


def test_patch_by_the_posting_side(client, world, api_token):
    """The poster, the department's line manager and HR of the organisation change a job;
    a line manager of another department of the same organisation gets 403, an employee of
    another organisation 404 for an organisation-only job."""
    created = client.post(
        "/api/v1/jobs",
        json=body(visibility="organisation"),
        headers=api_token(world.meer.ermelo.lead),
    ).get_json()
    url = f"/api/v1/jobs/{created['id']}"
    for user, title in ((world.meer.ermelo.lead, "Door lead"), (world.meer.ermelo.hr, "Door HR")):
        response = client.patch(url, json={"title": title}, headers=api_token(user))
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["title"] == title
    other = client.patch(url, json={"title": "x"}, headers=api_token(world.meer.ermelo.lead_other))
    assert other.status_code == 403
    employee = client.patch(url, json={"title": "x"}, headers=api_token(world.meer.ermelo.emp))
    assert employee.status_code == 403
    outsider = client.patch(url, json={"title": "x"}, headers=api_token(world.meer.zeewolde.hr))
    assert outsider.status_code == 404


def test_patch_rejects_unknown_fields_and_bad_periods(client, world, api_token, in_arrangement):
    """PATCH: unknown fields and an end date before the (stored) start date are 400; the job
    is unchanged."""
    job_id = make_job(in_arrangement, world.meer.ermelo.lead, title="Ongewijzigd")
    headers = api_token(world.meer.ermelo.lead)
    url = f"/api/v1/jobs/{api_id('job', job_id)}"
    for payload, field in (
        ({"organisation_id": 5}, "organisation_id"),
        ({"id": 7}, "id"),
        ({"title": "Nieuw", "endDate": "2000-01-01"}, "endDate"),
        ({"hoursPerWeek": 41}, "hoursPerWeek"),
    ):
        response = client.patch(url, json=payload, headers=headers)
        assert response.status_code == 400, response.get_json()
        assert field in problem_fields(response.get_json())
    assert client.get(url, headers=headers).get_json()["title"] == "Ongewijzigd"


def test_status_changes_through_patch(client, world, api_token, in_arrangement):
    """open → filled → open again (with a new expiry date); draft is not a way back: 409."""
    job_id = make_job(in_arrangement, world.meer.ermelo.lead)
    headers = api_token(world.meer.ermelo.hr)
    url = f"/api/v1/jobs/{api_id('job', job_id)}"
    assert client.patch(url, json={"status": "filled"}, headers=headers).get_json()["status"] == (
        "filled"
    )
    assert client.patch(url, json={"status": "draft"}, headers=headers).status_code == 409
    reopened = client.patch(url, json={"status": "open"}, headers=headers).get_json()
    assert reopened["status"] == "open"


def test_html_in_text_comes_back_as_plain_text(client, world, api_token):
    """The API stores and returns text as given (JSON is not HTML); pages escape it."""
    title = '<script>alert("x")</script> Klus'
    created = client.post(
        "/api/v1/jobs", json=body(title=title), headers=api_token(world.meer.ermelo.lead)
    ).get_json()
    assert created["title"] == title


def test_no_token_is_401(client, world):
    """Every jobs endpoint needs a bearer token."""
    assert client.get("/api/v1/jobs").status_code == 401
    assert client.post("/api/v1/jobs", json=body()).status_code == 401
