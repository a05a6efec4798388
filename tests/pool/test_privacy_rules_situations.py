"""The privacy promise in single situations: a withdrawn offer, a job of another department or
of the own one, an employee of another arrangement; a private thing answers exactly like a
missing one; the SQL clause and the one-object predicate agree for every setting; and a response
is as private whatever the job's exchange type. (The table over every role and setting:
test_privacy_rules.py.)"""

from __future__ import annotations

import itertools
import re

import pytest

from tests.ids import api_id
from tests.pool.privacy_roles import VISIBILITIES, person_at
from tests.pool.privacy_world import apply_to, mails_to, make_offer, other_org_job


def test_a_withdrawn_offer_is_seen_by_the_employee_only(make_world, client, api_token):
    """After withdrawing, HR and coordinators (and the hiring side) no longer see the offer."""
    world = make_world({"ermelo": {"capacity_visibility": "arrangement"}})
    emp = world.meer.ermelo.emp
    offer_id = make_offer(client, api_token, emp)
    client.post(f"/api/v1/capacities/{api_id('offer', offer_id)}/withdraw", headers=api_token(emp))
    for person in (world.meer.ermelo.hr, world.meer.coordinator, world.meer.harderwijk.lead):
        assert (
            client.get(
                f"/api/v1/capacities/{api_id('offer', offer_id)}", headers=api_token(person)
            ).status_code
            == 404
        )
        assert (
            client.get("/api/v1/capacities?status=withdrawn", headers=api_token(person)).get_json()[
                "total"
            ]
            == 0
        )
    assert (
        client.get(
            f"/api/v1/capacities/{api_id('offer', offer_id)}", headers=api_token(emp)
        ).status_code
        == 200
    )


def test_a_job_of_another_department_of_the_own_organisation(
    world, client, api_token, in_arrangement, mail_outbox
):
    """The employee responds to a job of another department of their own organisation: that
    department's line manager (the poster) sees it; the employee's own line manager, someone
    else, does not — not by id, not in lists, not by e-mail or notification."""
    from tests.pool.jobs_factory import make_job

    job_id = make_job(in_arrangement, world.meer.ermelo.lead_other, title="Beleidsklus")
    emp = world.meer.ermelo.emp
    application_id = apply_to(client, api_token, emp, job_id)
    poster, own = api_token(world.meer.ermelo.lead_other), api_token(world.meer.ermelo.lead)
    assert (
        client.get(
            f"/api/v1/applications/{api_id('application', application_id)}", headers=poster
        ).status_code
        == 200
    )
    assert (
        client.get(
            f"/api/v1/applications/{api_id('application', application_id)}", headers=own
        ).status_code
        == 404
    )
    assert client.get("/api/v1/applications", headers=own).get_json()["total"] == 0
    assert mails_to(mail_outbox, world.meer.ermelo.lead) == []
    assert client.get("/api/v1/notifications", headers=own).get_json()["total"] == 0
    assert len(mails_to(mail_outbox, world.meer.ermelo.lead_other)) == 1


def test_responding_to_the_own_departments_job_is_seen_by_its_poster(
    world, client, api_token, in_arrangement
):
    """When the own line manager posted the job (own department), they see the response as its
    poster: the employee chose to respond to it. They still do not see the employee's offer."""
    from tests.pool.jobs_factory import make_job

    job_id = make_job(in_arrangement, world.meer.ermelo.lead, title="Teamklus")
    emp = world.meer.ermelo.emp
    application_id = apply_to(client, api_token, emp, job_id)
    offer_id = make_offer(client, api_token, emp)
    lead = api_token(world.meer.ermelo.lead)
    assert (
        client.get(
            f"/api/v1/applications/{api_id('application', application_id)}", headers=lead
        ).status_code
        == 200
    )
    assert (
        client.get(f"/api/v1/capacities/{api_id('offer', offer_id)}", headers=lead).status_code
        == 404
    )


def test_the_sql_clause_and_the_predicate_agree(make_world, client, api_token, app, in_arrangement):
    """For every setting and every person of the arrangement, the list rule (SQL) and the
    one-object rule (``app.policy.allowed``, which runs the list's clause by id) give the same
    answer, for an offer of the employee's own, an offer registered by a line manager, and a
    response."""
    from sqlalchemy import select

    from app import policy
    from app.accounts.models import User
    from app.pool.models import Application, CapacityOffer
    from tenants.models import Organisation

    world = make_world({"ermelo": {"registration_via_line_manager": True}})
    job_id = other_org_job(in_arrangement, world)
    make_offer(client, api_token, world.meer.ermelo.emp)
    make_offer(client, api_token, world.meer.ermelo.lead, employee_id=world.meer.ermelo.emp2.id)
    apply_to(client, api_token, world.meer.ermelo.emp, job_id)
    for visibility, own_staff in itertools.product(VISIBILITIES, (False, True)):
        with in_arrangement(world.meer.arrangement) as s:
            org = s.get(Organisation, world.meer.ermelo.org.id)
            org.capacity_visibility, org.line_manager_sees_own_staff = visibility, own_staff
            s.commit()
        with app.test_request_context(), in_arrangement(world.meer.arrangement) as s:
            offers = s.scalars(select(CapacityOffer)).all()
            (application,) = s.scalars(select(Application)).all()
            for user in s.scalars(select(User)).all():
                listed = set(s.scalars(select(CapacityOffer.id).where(policy.offers_visible(user))))
                for offer in offers:
                    assert (offer.id in listed) == policy.allowed(user, "offer.view", offer), (
                        visibility,
                        own_staff,
                        user.email,
                    )
                listed = set(
                    s.scalars(select(Application.id).where(policy.applications_visible(user)))
                )
                assert (application.id in listed) == policy.allowed(
                    user, "application.view", application
                ), (visibility, own_staff, user.email)


def _without_csrf(html: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token" value=""', html)


def test_a_private_thing_answers_exactly_like_a_missing_one(
    world, client, api_token, login, in_arrangement
):
    """Error messages reveal nothing: for the own line manager, the employee's offer and
    response answer byte for byte as an id that does not exist (API and pages)."""
    job_id = other_org_job(in_arrangement, world)
    emp = world.meer.ermelo.emp
    offer_id = make_offer(client, api_token, emp)
    application_id = apply_to(client, api_token, emp, job_id)
    lead = api_token(world.meer.ermelo.lead)
    pairs = [
        (f"/api/v1/capacities/{api_id('offer', offer_id)}", "/api/v1/capacities/999999"),
        (
            f"/api/v1/applications/{api_id('application', application_id)}",
            "/api/v1/applications/999999",
        ),
    ]
    for private, missing in pairs:
        # (the problem's "instance" is the requested address, the only difference)
        a, b = client.get(private, headers=lead), client.get(missing, headers=lead)
        a_body = a.get_data(as_text=True).replace(private, missing)
        assert (a.status_code, a_body) == (b.status_code, b.get_data(as_text=True))
        assert a.status_code == 404
    for method, suffix in (("patch", ""), ("post", "/withdraw")):
        private = f"/api/v1/capacities/{api_id('offer', offer_id)}{suffix}"
        missing = f"/api/v1/capacities/999999{suffix}"
        a = getattr(client, method)(private, json={}, headers=lead)
        b = getattr(client, method)(missing, json={}, headers=lead)
        a_body = a.get_data(as_text=True).replace(private, missing)
        assert (a.status_code, a_body) == (b.status_code, b.get_data(as_text=True))
    login(client, world.meer.ermelo.lead)
    for private, missing in (
        (f"/krachten/{api_id('offer', offer_id)}", "/krachten/999999"),
        (f"/reacties/{api_id('application', application_id)}", "/reacties/999999"),
        (f"/krachten/{api_id('offer', offer_id)}/bewerken", "/krachten/999999/bewerken"),
    ):
        a, b = client.get(private), client.get(missing)
        # (the page's own address is in the language switch; CSRF tokens carry the second)
        body = _without_csrf(a.get_data(as_text=True).replace(private, missing))
        assert (a.status_code, body) == (b.status_code, _without_csrf(b.get_data(as_text=True)))
        assert a.status_code == 404


def test_no_registering_for_people_of_another_arrangement(client, make_world, api_token):
    """An employee_id from another arrangement is refused like any unknown one; nothing saved."""
    world = make_world({"andere": {"registration_via_line_manager": True}})
    outsider = api_token(world.elders.andere.lead)
    from tests.pool.privacy_world import offer_body

    response = client.post(
        "/api/v1/capacities",
        json=offer_body(employeeId=world.meer.ermelo.emp.id),
        headers=outsider,
    )
    unknown = client.post(
        "/api/v1/capacities", json=offer_body(employeeId=999999), headers=outsider
    )
    assert response.status_code == unknown.status_code == 403
    assert response.get_data() == unknown.get_data()
    assert (
        client.get("/api/v1/capacities", headers=api_token(world.meer.ermelo.emp)).get_json()[
            "total"
        ]
        == 0
    )


# --- every exchange type (issue 14) -----------------------------------------------------------

#: role → (who in the world, sees the response) with the default settings ("hr_coordinators",
#: line_manager_sees_own_staff off): the same for a job of every type.
RESPONSE_ROLES = {
    "the employee": ("meer.ermelo.emp", True),
    "a colleague in the same team": ("meer.ermelo.emp2", False),
    "the employee's own line manager": ("meer.ermelo.lead", False),
    "HR of the employee's own organisation": ("meer.ermelo.hr", True),
    "the job's poster, line manager of its department": ("meer.harderwijk.lead_other", True),
    "another line manager of the job's organisation": ("meer.harderwijk.lead", False),
    "HR of another organisation": ("meer.zeewolde.hr", False),
    "a coordinator of the arrangement": ("meer.coordinator", True),
    "a user of another arrangement": ("elders.andere.hr", False),
}


@pytest.mark.parametrize("kind", ["klus", "detachering", "meeloopdag", "functieruil", "mentoring"])
def test_a_response_is_seen_by_the_same_people_whatever_the_jobs_type(
    kind, world, client, api_token, in_arrangement
):
    """A response to a meeloopdag, functieruil or mentoring is as private as one to a klus:
    the type of the job changes nothing about who sees it (by id, in the list); the others get
    404 and no trace in their list."""
    job_id = other_org_job(in_arrangement, world, type=kind)
    application_id = apply_to(client, api_token, world.meer.ermelo.emp, job_id)
    for role, (path, sees) in RESPONSE_ROLES.items():
        headers = api_token(person_at(world, path))
        one = client.get(
            f"/api/v1/applications/{api_id('application', application_id)}", headers=headers
        )
        assert one.status_code == (200 if sees else 404), (kind, role)
        listed = client.get("/api/v1/applications", headers=headers).get_json()
        ids = [item["id"] for item in listed["items"]]
        assert (application_id in ids) is sees, (kind, role)
