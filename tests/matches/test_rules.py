"""The rules of proposing, deciding and changing terms: order of the parties, who decides for
which party, bad input (400, nothing saved), full jobs (409), changed terms reset approvals, an
extension after agreement is a new agreement version approved again by all three."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from app.matches.models import Approval, Match
from app.pool.models import Job
from tests.api_helpers import problem_fields
from tests.ids import api_id, key_of
from tests.matches.conftest import make_application
from tests.matches.helpers import approve_all, decide, propose


def test_bad_terms_are_400_with_fields_and_save_nothing(
    client, world, scene, api_token, in_arrangement
):
    """Hours out of range, an end before the start, an hourly rate missing (and no default at
    the lender), a boolean for a number and unknown fields: 400 naming the fields, no match."""
    lead = api_token(world.meer.ermelo.lead)
    cases = [
        ({"hoursPerWeek": 41}, "hoursPerWeek"),
        ({"hoursPerWeek": True}, "hoursPerWeek"),
        ({"startDate": "2030-05-01", "endDate": "2030-04-01"}, "endDate"),
        ({"costRecharge": "hourly"}, "hourlyRate"),
        ({"costRecharge": "monthly"}, "costRecharge"),
        ({"hourlyRate": "veel", "costRecharge": "hourly"}, "hourlyRate"),
        ({"surprise": 1}, "surprise"),
        ({"notes": "x" * 5001}, "notes"),
    ]
    for extra, field in cases:
        r = client.post(
            "/api/v1/matches", json={"applicationId": scene.application, **extra}, headers=lead
        )
        assert r.status_code == 400, (extra, r.get_json())
        assert field in problem_fields(r.get_json()), (extra, r.get_json())
    with in_arrangement(world.meer.arrangement.id) as s:
        assert s.scalar(select(func.count(Match.id))) == 0


def test_the_lenders_default_rate_is_preselected(client, world, scene, api_token, in_arrangement):
    """An hourly recharge without a rate takes the lending organisation's default rate."""
    from decimal import Decimal

    from tenants.models import Organisation

    with in_arrangement(world.meer.arrangement.id) as s:
        s.get(Organisation, world.meer.harderwijk.org.id).default_hourly_rate = Decimal("58.75")
        s.commit()
    r = client.post(
        "/api/v1/matches",
        json={"applicationId": scene.application, "costRecharge": "hourly"},
        headers=api_token(world.meer.ermelo.lead),
    )
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["terms"]["hourlyRate"] == "58.75"


def test_party_rules(client, world, scene, api_token):
    """The employee first; a decline needs a reason; a caller with two parties names one; a
    party decides once per version of the terms; a coordinator is no party (403)."""
    meer = world.meer
    ermelo_hr = api_token(meer.ermelo.hr)
    match_id = propose(
        client, ermelo_hr, job_id=scene.same_org_job, employee_id=meer.ermelo.emp_other.id
    )
    assert decide(client, ermelo_hr, match_id, party="lending").status_code == 409
    employee = api_token(meer.ermelo.emp_other)
    assert decide(client, employee, match_id, "decline").status_code == 400  # no reason
    assert decide(client, employee, match_id, party="lending").status_code == 403
    assert decide(client, employee, match_id).status_code == 200
    assert decide(client, employee, match_id).status_code == 409  # decided already
    r = decide(client, ermelo_hr, match_id)
    assert r.status_code == 400 and "party" in problem_fields(r.get_json())
    assert decide(client, api_token(meer.coordinator), match_id).status_code == 403
    assert decide(client, ermelo_hr, match_id, party="lending").status_code == 200
    assert decide(client, ermelo_hr, match_id, party="lending").status_code == 409
    r = decide(client, ermelo_hr, match_id)  # only borrowing is left: no need to name it
    assert r.status_code == 200 and r.get_json()["status"] in ("agreed", "active")


def test_a_full_job_refuses_proposals_and_final_approvals(
    client, world, scene, api_token, in_arrangement
):
    """Two proposals for a one-place job: the first agreed takes the seat and fills the job;
    the other's final approval is 409 and saves nothing; new proposals are 409."""
    meer = world.meer
    with in_arrangement(meer.arrangement.id) as s:
        second = make_application(s, scene.keys.job, meer.harderwijk.emp_other).id
        s.commit()
    lead = api_token(meer.ermelo.lead)
    first_id = propose(client, lead, application_id=scene.application)
    second_id = propose(client, lead, application_id=second)
    for employee, match_id in (
        (meer.harderwijk.emp, first_id),
        (meer.harderwijk.emp_other, second_id),
    ):
        assert decide(client, api_token(employee), match_id).status_code == 200
        assert decide(client, api_token(meer.harderwijk.hr), match_id).status_code == 200
    assert decide(client, lead, first_id).status_code == 200
    refused = decide(client, lead, second_id)
    assert refused.status_code == 409, refused.get_json()
    with in_arrangement(meer.arrangement.id) as s:
        assert s.get(Job, scene.keys.job).status == "filled"
        assert s.get(Match, key_of("match", second_id)).status == "proposed"
        assert (
            s.scalar(
                select(func.count(Approval.id)).where(
                    Approval.match_id == key_of("match", second_id), Approval.party == "borrowing"
                )
            )
            == 0
        )
    r = client.post(
        "/api/v1/matches",
        json={"capacityId": scene.offer, "jobId": scene.job},
        headers=api_token(meer.coordinator),
    )
    assert r.status_code == 409


def test_changed_terms_reset_the_approvals(client, world, scene, api_token):
    """After the employee and the lender approved, changed terms need everyone again."""
    meer = world.meer
    lead = api_token(meer.ermelo.lead)
    match_id = propose(client, lead, application_id=scene.application)
    assert decide(client, api_token(meer.harderwijk.emp), match_id).status_code == 200
    assert decide(client, api_token(meer.harderwijk.hr), match_id).status_code == 200
    r = client.patch(
        f"/api/v1/matches/{api_id('match', match_id)}", json={"hoursPerWeek": 10}, headers=lead
    )
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["termsVersion"] == 2 and body["terms"]["hoursPerWeek"] == 10
    assert all(a["decision"] is None for a in body["approvals"])
    assert decide(client, lead, match_id).status_code == 409  # the employee first, again
    unchanged = client.patch(
        f"/api/v1/matches/{api_id('match', match_id)}", json={"hoursPerWeek": 10}, headers=lead
    )
    assert unchanged.get_json()["termsVersion"] == 2


def test_an_extension_is_a_new_agreement_version_approved_by_all_three(
    client, world, scene, api_token, in_arrangement
):
    """Agreed → the end date moves later: approvals reset, version 1 stays in force and
    downloadable; after all three approve, version 2 is rendered with the new end date. A
    declined change leaves the agreed terms in force."""
    meer = world.meer
    lead = api_token(meer.ermelo.lead)
    parties = (meer.harderwijk.emp, meer.harderwijk.hr, meer.ermelo.lead)
    match_id = propose(client, lead, application_id=scene.application)
    agreed = approve_all(client, api_token, match_id, *parties)
    old_end = agreed["terms"]["endDate"]
    new_end = (date.fromisoformat(old_end) + timedelta(days=90)).isoformat()
    r = client.patch(
        f"/api/v1/matches/{api_id('match', match_id)}",
        json={"endDate": new_end},
        headers=api_token(meer.harderwijk.hr),
    )
    assert r.status_code == 200
    body = r.get_json()
    assert body["amendmentPending"] is True and body["status"] in ("agreed", "active")
    assert body["agreement"]["version"] == 1 and body["agreement"]["url"]
    final = approve_all(client, api_token, match_id, *parties)
    assert final["agreement"]["version"] == 2 and final["agreement"]["status"] == "ready"
    assert final["terms"]["endDate"] == new_end and final["amendmentPending"] is False
    v1 = client.get(
        f"/api/v1/matches/{api_id('match', match_id)}/agreement.pdf?version=1", headers=lead
    )
    v2 = client.get(f"/api/v1/matches/{api_id('match', match_id)}/agreement.pdf", headers=lead)
    assert v1.status_code == v2.status_code == 200 and v1.data != v2.data

    later = (date.fromisoformat(new_end) + timedelta(days=30)).isoformat()
    client.patch(
        f"/api/v1/matches/{api_id('match', match_id)}", json={"endDate": later}, headers=lead
    )
    r = decide(client, api_token(meer.harderwijk.emp), match_id, "decline", reason="Nee")
    body = r.get_json()
    assert body["status"] in ("agreed", "active") and body["terms"]["endDate"] == new_end
    assert body["amendmentPending"] is False and body["agreement"]["version"] == 2


def test_withdraw_and_end_early(client, world, scene, api_token, in_arrangement):
    """A proposal is withdrawn by the proposer; an agreed placement is ended early by either
    organisation with a reason, which frees the seat and reopens the job."""
    meer = world.meer
    lead = api_token(meer.ermelo.lead)
    first = propose(client, lead, application_id=scene.application)
    r = client.post(
        f"/api/v1/matches/{api_id('match', first)}/withdraw",
        json={"reason": "Toch niet"},
        headers=lead,
    )
    assert r.status_code == 200 and r.get_json()["status"] == "withdrawn"
    assert decide(client, api_token(meer.harderwijk.emp), first).status_code == 409

    second = propose(client, lead, application_id=scene.application)
    approve_all(
        client, api_token, second, meer.harderwijk.emp, meer.harderwijk.hr, meer.ermelo.lead
    )
    employee = api_token(meer.harderwijk.emp)
    assert (
        client.post(
            f"/api/v1/matches/{api_id('match', second)}/end", json={"reason": "x"}, headers=employee
        ).status_code
        == 403
    )
    r = client.post(
        f"/api/v1/matches/{api_id('match', second)}/end",
        json={"reason": ""},
        headers=api_token(meer.harderwijk.hr),
    )
    assert r.status_code == 400
    r = client.post(
        f"/api/v1/matches/{api_id('match', second)}/end",
        json={"reason": "Reorganisatie"},
        headers=api_token(meer.harderwijk.hr),
    )
    assert r.status_code == 200 and r.get_json()["status"] == "ended"
    assert r.get_json()["endReason"] == "Reorganisatie"
    with in_arrangement(meer.arrangement.id) as s:
        assert s.get(Job, scene.keys.job).status == "open"
