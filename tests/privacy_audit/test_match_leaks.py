"""A proposal the employee has not approved yet is known only to those who may know of it
(app.matches.access): not through a refusal, not through a mark in a candidate list.

Found by the privacy audit: the "a match already runs" refusal (409) and the "already proposed"
mark on the candidates page told the employee's own line manager — and HR of a third member
organisation — of a proposal they may not see.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.matches.models import Match, Placement
from tests.ids import api_body, api_id, key_of, public_id
from tests.pool.jobs_factory import make_job
from tests.pool.privacy_world import apply_to, make_offer
from tests.privacy_audit.scene import decide, propose
from tests.privacy_audit.snapshot import normalise

START = date.today() + timedelta(days=7)
TERMS = {
    "hours_per_week": "8",
    "start_date": START.isoformat(),
    "end_date": (START + timedelta(days=30)).isoformat(),
    "cost_recharge": "none",
}


def _team_job(in_arrangement, world, **overrides) -> int:
    overrides.setdefault("title", "Teamklus Ermelo")
    overrides.setdefault("skills", ["Notuleren", "Geheimschrift"])
    return make_job(in_arrangement, world.meer.ermelo.lead, **overrides)


def test_proposing_does_not_reveal_a_proposal_the_manager_may_not_know_of(
    app, world, in_arrangement, api_token, login
):
    """The own line manager proposes their employee for their own job; HR of the organisation
    already proposed the same employee there, and the employee has not approved. The manager
    gets the answer they would get without that proposal (web and API), not "a match already
    runs"."""
    meer = world.meer
    emp, emp2, lead = meer.ermelo.emp, meer.ermelo.emp2, meer.ermelo.lead
    first, second = _team_job(in_arrangement, world), _team_job(in_arrangement, world)
    actor = app.test_client()
    hr = api_token(meer.ermelo.hr)
    for job in (first, second):
        propose(actor, hr, job_id=job, employee_id=emp.id)

    manager = app.test_client()
    login(manager, lead)
    # Web: the proposal form posts and goes to the new match, as it does for emp2.
    for person in (emp2, emp):
        response = manager.post(
            f"/detacheringen/nieuw?job={api_id('job', first)}"
            f"&employee={public_id('user', person.id)}",
            data=TERMS,
        )
        assert response.status_code == 302, (person.email, response.status_code)
    # API: 201 for both, too.
    headers = api_token(lead)
    for person in (emp2, emp):
        response = actor.post(
            "/api/v1/matches",
            json=api_body({"jobId": second, "employeeId": person.id}),
            headers=headers,
        )
        assert response.status_code == 201, (person.email, response.get_json())


def test_two_proposals_for_one_person_and_job_never_place_them_twice(
    app, world, in_arrangement, api_token
):
    """When proposals by people who could not see each other's both get every approval, the
    second final approval is refused (409): one person takes one seat of a job once."""
    meer = world.meer
    emp, lead, hr = meer.ermelo.emp, meer.ermelo.lead, meer.ermelo.hr
    job = _team_job(in_arrangement, world, places=3)
    client = app.test_client()
    by_hr = propose(client, api_token(hr), job_id=job, employee_id=emp.id)
    by_lead = propose(client, api_token(lead), job_id=job, employee_id=emp.id)
    for match_id in (by_hr, by_lead):
        assert decide(client, api_token(emp), match_id).status_code == 200
        assert decide(client, api_token(hr), match_id, party="lending").status_code == 200
    assert decide(client, api_token(lead), by_hr, party="borrowing").status_code == 200
    refused = decide(client, api_token(lead), by_lead, party="borrowing")
    assert refused.status_code == 409, refused.get_json()
    with in_arrangement(meer.arrangement) as s:
        assert (
            s.scalar(select(func.count(Placement.id)).where(Placement.job_id == key_of("job", job)))
            == 1
        )
        assert s.get(Match, key_of("match", by_lead)).status == "proposed"


def _page(client, job_id) -> str:
    response = client.get(f"/klussen/{api_id('job', job_id)}/kandidaten")
    assert response.status_code == 200
    return normalise(response.get_data(as_text=True))


def _candidates(client, headers, job_id) -> dict:
    response = client.get(f"/api/v1/jobs/{api_id('job', job_id)}/candidates", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_the_candidate_list_marks_no_proposal_the_manager_may_not_know_of(
    app, world, in_arrangement, api_token, login
):
    """The employee responded to the manager's own job (the manager sees that response: the
    employee chose it). HR then proposes the employee directly, which the manager may not know
    of until the employee approves: the candidates page and API show the response unmarked,
    exactly as before the proposal; after the employee's approval the mark is there."""
    meer = world.meer
    emp, lead = meer.ermelo.emp, meer.ermelo.lead
    job = _team_job(in_arrangement, world)
    client = app.test_client()
    apply_to(client, api_token, emp, job)
    manager = app.test_client()
    login(manager, lead)
    headers = api_token(lead)
    page_before = _page(manager, job)
    api_before = _candidates(client, headers, job)
    assert [r["employee"]["id"] for r in api_before["responses"]] == [public_id("user", emp.id)]

    match_id = propose(client, api_token(meer.ermelo.hr), job_id=job, employee_id=emp.id)
    assert _page(manager, job) == page_before
    assert _candidates(client, headers, job) == api_before

    assert decide(client, api_token(emp), match_id).status_code == 200
    assert _candidates(client, headers, job)["responses"][0]["proposed"] is True
    assert "Al voorgesteld" in manager.get(f"/klussen/{api_id('job', job)}/kandidaten").get_data(
        as_text=True
    )


def test_hr_of_a_third_organisation_sees_no_mark_of_someone_elses_proposal(
    app, make_world, in_arrangement, api_token
):
    """Ermelo shares offers with the hiring side. Harderwijk's line manager proposes an Ermelo
    employee's offer for Harderwijk's job. HR of Zeewolde — no party — sees the offer, but
    neither the job's candidates (not their job: issue 10, finding 15) nor the match, before
    and after the proposal and the employee's approval alike."""
    world = make_world({"ermelo": {"capacity_visibility": "arrangement"}})
    meer = world.meer
    client = app.test_client()
    job = make_job(
        in_arrangement,
        meer.harderwijk.lead_other,
        title="Notulist crisisoverleg Harderwijk",
        skills=["Notuleren", "Geheimschrift"],
    )
    offer = make_offer(client, api_token, meer.ermelo.emp)
    zeewolde = api_token(meer.zeewolde.hr)
    candidates = f"/api/v1/jobs/{api_id('job', job)}/candidates"
    assert (
        client.get(f"/api/v1/capacities/{api_id('offer', offer)}", headers=zeewolde).status_code
        == 200
    )
    assert client.get(candidates, headers=zeewolde).status_code == 404

    match_id = propose(client, api_token(meer.harderwijk.lead_other), capacity_id=offer, job_id=job)
    assert (
        client.get(f"/api/v1/matches/{api_id('match', match_id)}", headers=zeewolde).status_code
        == 404
    )
    assert client.get(candidates, headers=zeewolde).status_code == 404
    assert decide(client, api_token(meer.ermelo.emp), match_id).status_code == 200
    assert (
        client.get(f"/api/v1/matches/{api_id('match', match_id)}", headers=zeewolde).status_code
        == 404
    )
    assert client.get(candidates, headers=zeewolde).status_code == 404


# --- every exchange type (issue 14) -----------------------------------------------------------


def _knows(client, headers, match_id) -> bool:
    one = client.get(f"/api/v1/matches/{api_id('match', match_id)}", headers=headers)
    assert one.status_code in (200, 404)
    listed = client.get("/api/v1/matches", headers=headers).get_json()
    in_list = match_id in [m["id"] for m in listed["items"]]
    notified = any(
        (n["url"] or "").endswith(f"/detacheringen/{api_id('match', match_id)}")
        for n in client.get("/api/v1/notifications", headers=headers).get_json()["items"]
    )
    assert (one.status_code == 200) == in_list
    if one.status_code == 404:
        assert not notified
    return one.status_code == 200


@pytest.mark.parametrize("kind", ["klus", "detachering", "meeloopdag", "mentoring"])
def test_the_line_managers_learn_of_a_match_at_the_employees_consent_whatever_the_type(
    kind, app, world, in_arrangement, api_token
):
    """For every one-person type the rule is the klus's: before the employee approves, only the
    employee and the proposer know of the match (API by id, list, notifications); the own line
    manager, HR of both sides and the job's line manager learn of it at the consent; a third
    organisation never."""
    meer = world.meer
    job = make_job(in_arrangement, meer.harderwijk.lead_other, title="Uitwisseling", type=kind)
    client = app.test_client()
    match_id = propose(
        client,
        api_token(meer.coordinator),
        job_id=job,
        employee_id=meer.ermelo.emp.id,
        start_date=START.isoformat(),
        end_date=START.isoformat(),
    )
    later = (meer.ermelo.lead, meer.ermelo.hr, meer.harderwijk.lead_other, meer.harderwijk.hr)
    assert _knows(client, api_token(meer.ermelo.emp), match_id)
    for person in (*later, meer.zeewolde.hr):
        assert not _knows(client, api_token(person), match_id), (kind, person.email)
    assert decide(client, api_token(meer.ermelo.emp), match_id).status_code == 200
    for person in later:
        assert _knows(client, api_token(person), match_id), (kind, person.email)
    assert not _knows(client, api_token(meer.zeewolde.hr), match_id)


def test_a_functieruil_counterparts_line_manager_learns_nothing_before_both_consent(
    app, world, in_arrangement, api_token
):
    """A functieruil has two people. The counterpart (Harderwijk's emp, team "Uitvoering",
    line manager harderwijk.lead) knows of it from the proposal; their line manager — and the
    employee's, and HR of both sides — learn nothing until *both* people approved: not after
    the employee's approval alone, not after the counterpart's alone."""
    meer = world.meer
    job = make_job(in_arrangement, meer.harderwijk.lead_other, title="Ruil", type="functieruil")
    client = app.test_client()
    counterpart = meer.harderwijk.emp
    managers = (
        meer.harderwijk.lead,  # the counterpart's own line manager
        meer.ermelo.lead,  # the employee's own line manager
        meer.harderwijk.lead_other,  # the job's line manager
        meer.ermelo.hr,
        meer.harderwijk.hr,
    )
    for first in ("counterpart", "employee"):
        match_id = propose(
            client,
            api_token(meer.coordinator),
            job_id=job,
            employee_id=(meer.ermelo.emp if first == "counterpart" else meer.ermelo.emp2).id,
            counterpart_id=counterpart.id,
        )
        assert _knows(client, api_token(counterpart), match_id)
        for person in managers:
            assert not _knows(client, api_token(person), match_id), person.email
        one = counterpart if first == "counterpart" else (meer.ermelo.emp2)
        assert decide(client, api_token(one), match_id).status_code == 200
        for person in managers:
            assert not _knows(client, api_token(person), match_id), (first, person.email)
        other = meer.ermelo.emp if first == "counterpart" else counterpart
        assert decide(client, api_token(other), match_id).status_code == 200
        for person in managers:
            assert _knows(client, api_token(person), match_id), (first, person.email)
        assert not _knows(client, api_token(meer.zeewolde.hr), match_id)
