"""A lived-in arrangement for the privacy audit: jobs of every kind, other people's offers,
responses and an agreed-upon proposal, so that the line manager's pages have something on them
and a change would show. Everything is made through the real API, as the people themselves."""

from __future__ import annotations

from types import SimpleNamespace

from app.api import camelize
from tests.ids import api_body, api_id
from tests.pool.jobs_factory import make_job
from tests.pool.privacy_world import apply_to, make_offer

SECRET_SKILLS = ["Geheimschrift", "Notuleren"]


def propose(client, headers, **body) -> int:
    """POST /matches; keywords in Python spelling (``job_id=``) are sent as ``jobId``, ids as
    public ids (keys are turned into them)."""
    response = client.post(
        "/api/v1/matches",
        json={camelize(k): v for k, v in api_body(body).items()},
        headers=headers,
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def decide(client, headers, match_id: int, decision: str = "approve", **extra):
    return client.post(
        f"/api/v1/matches/{api_id('match', match_id)}/decision",
        json={"decision": decision, **extra},
        headers=headers,
    )


def build(app, in_arrangement, world, api_token) -> SimpleNamespace:
    """Jobs: one of Harderwijk's other department (for everyone), one of Ermelo's other
    department (own organisation only), one of the manager's own team, one internal to Zeewolde.
    Life: Harderwijk's employees offer and respond (to the manager's job too); Ermelo's emp2 was
    proposed for Harderwijk's job and approved, so the manager already has a match to look at."""
    meer = world.meer
    actor = app.test_client()
    scene = SimpleNamespace(
        other_org_job=make_job(
            in_arrangement,
            meer.harderwijk.lead_other,
            title="Notulist crisisoverleg Harderwijk",
            visibility="arrangement",
            skills=SECRET_SKILLS,
        ),
        same_org_job=make_job(
            in_arrangement,
            meer.ermelo.lead_other,
            title="Beleidsklus Ermelo",
            visibility="organisation",
            skills=["Notuleren"],
        ),
        own_team_job=make_job(
            in_arrangement,
            meer.ermelo.lead,
            title="Teamklus Ermelo",
            visibility="arrangement",
            skills=SECRET_SKILLS,
        ),
        zeewolde_job=make_job(
            in_arrangement, meer.zeewolde.lead, title="Intern Zeewolde", visibility="organisation"
        ),
    )
    make_offer(actor, api_token, meer.harderwijk.emp, skills=["Notuleren"], note="groen")
    apply_to(actor, api_token, meer.harderwijk.emp, scene.own_team_job, motivation="graag")
    apply_to(actor, api_token, meer.harderwijk.emp2, scene.other_org_job, motivation="ook")
    scene.emp2_match = propose(
        actor,
        api_token(meer.ermelo.hr),
        job_id=scene.other_org_job,
        employee_id=meer.ermelo.emp2.id,
    )
    assert decide(actor, api_token(meer.ermelo.emp2), scene.emp2_match).status_code == 200
    return scene
