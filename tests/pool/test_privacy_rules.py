"""The privacy promise, as a table: who sees an employee's capacity offer and their response to
a job, for every setting of the employee's home organisation, through every channel.

The employee is Ermelo's ``emp`` (team "Uitvoering"). They offer hours and skills, and respond
to a job of Harderwijk's department "Beleid", posted by that department's line manager, who
then answers "in conversation". Channels: the API (list, by id, search, totals), the pages
(list, detail, search, counts), the e-mails sent, the notifications and the unread count.

(Re-integration reasons: test_privacy_rules_reintegration.py; single situations, the SQL clause
against the predicate and every exchange type: test_privacy_rules_situations.py.)
"""

from __future__ import annotations

import itertools

import pytest

from tests.ids import api_id
from tests.pool.privacy_roles import ROLES, VISIBILITIES, person_at
from tests.pool.privacy_world import (
    SECRET_MOTIVATION,
    SECRET_NOTE,
    SECRET_SKILL,
    apply_to,
    mails_to,
    make_offer,
    other_org_job,
)

CASES = [
    pytest.param(visibility, own_staff, role, id=f"{visibility}-own_staff_{own_staff}-{role}")
    for visibility, own_staff, role in itertools.product(VISIBILITIES, (False, True), ROLES)
]


@pytest.fixture
def scene(make_world, client, api_token, in_arrangement, mail_outbox, saved_scene):
    """Build the world with Ermelo's settings, then let the employee offer and respond (once per
    setting and test process; the twelve roles look at the same saved scene)."""

    def build(visibility: str, own_staff: bool):
        return saved_scene(
            ("privacy-rules", visibility, own_staff), lambda: act(visibility, own_staff)
        )

    def act(visibility: str, own_staff: bool):
        world = make_world(
            {
                "ermelo": {
                    "capacity_visibility": visibility,
                    "line_manager_sees_own_staff": own_staff,
                }
            }
        )
        emp = world.meer.ermelo.emp
        job_id = other_org_job(in_arrangement, world)
        offer_id = make_offer(client, api_token, emp)
        application_id = apply_to(client, api_token, emp, job_id)
        poster = api_token(world.meer.harderwijk.lead_other)
        decided = client.post(
            f"/api/v1/applications/{api_id('application', application_id)}/decision",
            json={"status": "in_conversation", "message": "Kom je langs?"},
            headers=poster,
        )
        assert decided.status_code == 200
        return world, job_id, offer_id, application_id

    return build


@pytest.mark.parametrize("visibility, own_staff, role", CASES)
def test_who_sees_an_offer_and_a_response(
    visibility, own_staff, role, scene, app, api_token, login, mail_outbox
):
    """Offer: the employee; HR of the home organisation; coordinators unless "hr"; the whole
    hiring side with "arrangement"; the own line manager only with line_manager_sees_own_staff.
    Response: the applicant, the job's posting side, HR of the applicant's organisation, the
    coordinators; the own line manager only with line_manager_sees_own_staff. Whatever may not be
    seen is absent from every channel and answered 404."""
    world, job_id, offer_id, application_id = scene(visibility, own_staff)
    path, offer_rule, application_rule = ROLES[role]
    person = person_at(world, path)
    sees_offer = offer_rule(visibility, own_staff)
    sees_application = application_rule(visibility, own_staff)
    is_employee = person.id == world.meer.ermelo.emp.id and path.startswith("meer.")

    api = app.test_client()
    headers = api_token(person)

    # API, by id: the object, or 404 with nothing of it.
    offer = api.get(f"/api/v1/capacities/{api_id('offer', offer_id)}", headers=headers)
    assert offer.status_code == (200 if sees_offer else 404)
    if not sees_offer:
        assert SECRET_NOTE not in offer.get_data(as_text=True)
    response = api.get(
        f"/api/v1/applications/{api_id('application', application_id)}", headers=headers
    )
    assert response.status_code == (200 if sees_application else 404)
    if not sees_application:
        assert SECRET_MOTIVATION not in response.get_data(as_text=True)

    # API, lists, search and totals.
    # (q searches skills and names; the note is read on the offer itself, where views are logged)
    for query in ("", f"?skill={SECRET_SKILL}", "?q=geheimschr"):
        listed = api.get(f"/api/v1/capacities{query}", headers=headers).get_json()
        assert [o["id"] for o in listed["items"]] == ([offer_id] if sees_offer else [])
        assert listed["total"] == (1 if sees_offer else 0)
    listed = api.get("/api/v1/applications", headers=headers).get_json()
    assert [a["id"] for a in listed["items"]] == ([application_id] if sees_application else [])
    assert listed["total"] == (1 if sees_application else 0)
    by_job = api.get(
        f"/api/v1/applications?job={api_id('job', job_id)}", headers=headers
    ).get_json()
    assert by_job["total"] == (1 if sees_application else 0)

    # Pages: detail, lists, search, counts.
    browser = app.test_client()
    login(browser, person)
    detail = browser.get(f"/krachten/{api_id('offer', offer_id)}")
    assert detail.status_code == (200 if sees_offer else 404)
    assert (SECRET_NOTE in detail.get_data(as_text=True)) == sees_offer
    detail = browser.get(f"/reacties/{api_id('application', application_id)}")
    assert detail.status_code == (200 if sees_application else 404)
    assert (SECRET_MOTIVATION in detail.get_data(as_text=True)) == sees_application
    if is_employee:
        assert SECRET_SKILL in browser.get("/mijn-aanbod").get_data(as_text=True)
        assert "Notulist crisisoverleg" in browser.get("/mijn-reacties").get_data(as_text=True)
    else:
        for url in (
            "/krachten",
            f"/krachten?q={SECRET_SKILL.lower()}",
            f"/krachten?skill={SECRET_SKILL}",
        ):
            page = browser.get(url).get_data(as_text=True)
            assert (f'<span class="tag">{SECRET_SKILL}</span>' in page) == sees_offer, url
            count = "1 aanbod gevonden." if sees_offer else "0 keer aanbod gevonden."
            assert count in page, url
        page = browser.get("/reacties").get_data(as_text=True)
        assert (world.meer.ermelo.emp.name in page) == sees_application
        assert ("1 reactie." if sees_application else "0 reacties.") in page
        assert SECRET_SKILL not in browser.get("/mijn-aanbod").get_data(as_text=True)
        assert "Notulist crisisoverleg" not in browser.get("/mijn-reacties").get_data(as_text=True)
    responses_page = browser.get(f"/klussen/{api_id('job', job_id)}/reacties")
    if path == "elders.andere.hr":
        assert responses_page.status_code == 404
    if not is_employee:  # (the employee's own name is in their page header)
        assert (world.meer.ermelo.emp.name in responses_page.get_data(as_text=True)) == (
            responses_page.status_code == 200 and sees_application
        )

    # E-mails and notifications: only the poster (new response) and the employee (the
    # answer) are told, and being told implies being allowed to see.
    told = {
        world.meer.harderwijk.lead_other.email: "Nieuwe reactie op je klus",
        world.meer.ermelo.emp.email: "Je reactie op Notulist crisisoverleg",
    }
    mails = mails_to(mail_outbox, person)
    if person.email in told and path.startswith("meer."):
        assert len(mails) == 1 and mails[0].subject.startswith(told[person.email])
        assert sees_application
    else:
        assert mails == []
    notes = api.get("/api/v1/notifications", headers=headers).get_json()
    assert (notes["total"] == 1) == (person.email in told and path.startswith("meer."))
    assert notes["total"] <= (1 if sees_application else 0)
    start = browser.get("/start").get_data(as_text=True)
    assert ("Meldingen (1 nieuw)" in start) == (notes["unread"] == 1)
    notes_page = browser.get("/meldingen").get_data(as_text=True)
    assert ("crisisoverleg" in notes_page) == (notes["total"] == 1)
