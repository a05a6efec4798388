"""Roles add up, but the promise to the employee does not shrink: a line manager who is also a
coordinator is still the employee's own line manager. Unless the home organisation turned
``line_manager_sees_own_staff`` on, they must not see their own staff's offers, responses or
unapproved proposals through the coordinator role either ("never the employee's own line
managers", DESIGN.md section 3; "Line managers see no participation figures of their own
staff", issue 5).

HR is left out on purpose: ``capacity_visibility = "hr"`` means HR of the home organisation sees
the offers, and HR staff who also lead a team keep that role.
"""

from __future__ import annotations

from tests.ids import api_id
from tests.pool.jobs_factory import make_job
from tests.pool.privacy_world import apply_to, make_offer, other_org_job
from tests.privacy_audit.scene import propose


def _make_manager(in_arrangement, world, person, department) -> None:
    from tenants.models import DepartmentManager

    with in_arrangement(world.meer.arrangement) as s:
        s.add(DepartmentManager(department_id=department.id, user_id=person.id))
        s.commit()


def test_a_coordinator_who_leads_the_team_does_not_see_their_own_staff(
    app, world, in_arrangement, api_token
):
    """Ermelo's coordinator also leads Ermelo's team. Their employee offers capacity (HR and
    coordinators), responds to Harderwijk's job and is proposed by Ermelo's HR for Zeewolde's
    job: the coordinator-manager sees none of it (list totals, the offer, the response, the
    proposal) until the employee approves."""
    meer = world.meer
    coordinator = meer.coordinator
    _make_manager(in_arrangement, world, coordinator, meer.ermelo.team)
    client = app.test_client()
    emp = meer.ermelo.emp
    offer = make_offer(client, api_token, emp)
    application = apply_to(client, api_token, emp, other_org_job(in_arrangement, world))
    job = make_job(in_arrangement, meer.zeewolde.lead, title="Klus Zeewolde")
    match = propose(client, api_token(meer.ermelo.hr), job_id=job, employee_id=emp.id)

    headers = api_token(coordinator)
    assert (
        client.get(f"/api/v1/capacities/{api_id('offer', offer)}", headers=headers).status_code
        == 404
    )
    assert (
        client.get(
            f"/api/v1/applications/{api_id('application', application)}", headers=headers
        ).status_code
        == 404
    )
    assert (
        client.get(f"/api/v1/matches/{api_id('match', match)}", headers=headers).status_code == 404
    )
    assert client.get("/api/v1/capacities", headers=headers).get_json()["total"] == 0
    assert client.get("/api/v1/applications", headers=headers).get_json()["total"] == 0
