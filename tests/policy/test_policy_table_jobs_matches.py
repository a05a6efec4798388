"""The job and match rows of the policy table (app/policy/table.py), walked for every setting
they depend on (a job's status and visibility, the employee's approval of a match): the table
says yes or no, and ``policy.allowed``, the list clause, the API by id and its list and total,
the page, and (for matches) the e-mails and notifications must agree. The offer and response
rows: test_policy_table.py.
"""

from __future__ import annotations

import pytest

from app.policy.table import JOB, MATCH
from tests.ids import api_id
from tests.matches.helpers import decide, propose
from tests.policy.table_people import CASES, PEOPLE, person_at, policy_answers
from tests.pool.jobs_factory import make_job
from tests.pool.privacy_world import (
    apply_to,
    mails_to,
    other_org_job,
)

pytestmark = pytest.mark.sqlite


@pytest.fixture
def job_scene(make_world, in_arrangement, saved_scene):
    """A job of Harderwijk's department, posted by its line manager, as the setting says."""

    def build(status: str, visibility: str):
        def act():
            world = make_world()
            job_id = make_job(
                in_arrangement,
                world.meer.harderwijk.lead_other,
                title="Notulist crisisoverleg Harderwijk",
                visibility=visibility,
                publish=status == "open",
            )
            return world, job_id

        return saved_scene(("policy-table-job", status, visibility), act)

    return build


@pytest.mark.parametrize("rule, settings", [c for c in CASES if c.values[0].resource == JOB])
def test_the_job_rows_hold_in_every_channel(
    rule, settings, job_scene, app, api_token, login, in_arrangement
):
    from app import policy
    from app.pool.models import Job

    world, job_id = job_scene(settings["job_status"], settings["job_visibility"])
    person = person_at(world, PEOPLE[(rule.resource, rule.role, rule.relation)])
    expected = rule.allows(settings)
    status = settings["job_status"]
    single, listed = policy_answers(
        app, in_arrangement, world, person, Job, job_id, "job.view",
        lambda user: policy.jobs_visible(user, status),
    )  # fmt: skip
    assert single == listed == expected
    headers = api_token(person)
    api = app.test_client()
    assert api.get(f"/api/v1/jobs/{api_id('job', job_id)}", headers=headers).status_code == (
        200 if expected else 404
    )
    listing = api.get(f"/api/v1/jobs?status={status}", headers=headers).get_json()
    assert (api_id("job", job_id) in [j["id"] for j in listing["items"]]) == expected
    assert listing["total"] == (1 if expected else 0)
    browser = app.test_client()
    login(browser, person)
    assert browser.get(f"/klussen/{api_id('job', job_id)}").status_code == (
        200 if expected else 404
    )


@pytest.fixture
def match_scene(make_world, client, api_token, in_arrangement, saved_scene):
    """Ermelo's employee responds to Harderwijk's job; HR of Harderwijk proposes them for it;
    the employee approves, or not yet, as the setting says."""

    def build(approved: bool):
        def act():
            world = make_world()
            job_id = other_org_job(in_arrangement, world)
            application_id = apply_to(client, api_token, world.meer.ermelo.emp, job_id)
            match_id = propose(
                client, api_token(world.meer.harderwijk.hr), application_id=application_id
            )
            if approved:
                decision = decide(client, api_token(world.meer.ermelo.emp), match_id)
                assert decision.status_code == 200, decision.get_json()
            return world, match_id

        return saved_scene(("policy-table-match", approved), act)

    return build


@pytest.mark.parametrize("rule, settings", [c for c in CASES if c.values[0].resource == MATCH])
def test_the_match_rows_hold_in_every_channel(
    rule, settings, match_scene, app, api_token, login, in_arrangement, mail_outbox
):
    from app import policy
    from app.matches.models import Match
    from tests.ids import internal_id

    world, match_id = match_scene(settings["employee_approved"])
    person = person_at(world, PEOPLE[(rule.resource, rule.role, rule.relation)])
    expected = rule.allows(settings)
    key = internal_id("match", match_id)
    single, listed = policy_answers(
        app, in_arrangement, world, person, Match, key, "match.view", policy.matches_visible
    )
    assert single == listed == expected
    headers = api_token(person)
    api = app.test_client()
    assert api.get(f"/api/v1/matches/{api_id('match', match_id)}", headers=headers).status_code == (
        200 if expected else 404
    )
    listing = api.get("/api/v1/matches?scope=all", headers=headers).get_json()
    assert [m["id"] for m in listing["items"]] == ([match_id] if expected else [])
    assert listing["total"] == (1 if expected else 0)
    browser = app.test_client()
    login(browser, person)
    assert browser.get(f"/detacheringen/{api_id('match', match_id)}").status_code == (
        200 if expected else 404
    )
    # Told by e-mail or notification only where the row allows it; the employee is told.
    told = [m for m in mails_to(mail_outbox, person) if f"/detacheringen/{match_id}" in m.body]
    notes = api.get("/api/v1/notifications", headers=headers).get_json()
    match_notes = [n for n in notes["items"] if n["kind"].startswith("match_")]
    if told or match_notes:
        assert expected
    if person.id == world.meer.ermelo.emp.id and person.email.startswith("emp@"):
        assert told and match_notes
