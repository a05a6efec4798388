"""The privacy promise, as a table: who sees an employee's capacity offer and their response to
a job, for every setting of the employee's home organisation, through every channel.

The employee is Ermelo's ``emp`` (team "Uitvoering"). They offer hours and skills, and respond
to a job of Harderwijk's department "Beleid", posted by that department's line manager, who
then answers "in conversation". Channels: the API (list, by id, search, totals), the pages
(list, detail, search, counts), the e-mails sent, the notifications and the unread count.
"""

from __future__ import annotations

import itertools
import re

import pytest

from tests.api_helpers import problem_fields
from tests.ids import api_id
from tests.pool.privacy_world import (
    SECRET_MOTIVATION,
    SECRET_NOTE,
    SECRET_SKILL,
    apply_to,
    mails_to,
    make_offer,
    other_org_job,
)

VISIBILITIES = ("hr", "hr_coordinators", "arrangement")


def always(visibility, own_staff):
    return True


def never(visibility, own_staff):
    return False


def hiring_side(visibility, own_staff):
    """HR and line managers of every member organisation, when the home organisation says so."""
    return visibility == "arrangement"


def with_coordinators(visibility, own_staff):
    return visibility in ("hr_coordinators", "arrangement")


def if_own_staff_is_on(visibility, own_staff):
    return own_staff


#: role → (who in the world, sees the offer, sees the response)
ROLES = {
    "the employee": ("meer.ermelo.emp", always, always),
    "a colleague in the same team": ("meer.ermelo.emp2", never, never),
    "the employee's own line manager": ("meer.ermelo.lead", if_own_staff_is_on, if_own_staff_is_on),
    "another line manager of the same organisation": ("meer.ermelo.lead_other", hiring_side, never),
    "a line manager of another organisation": ("meer.zeewolde.lead", hiring_side, never),
    "HR of another organisation": ("meer.zeewolde.hr", hiring_side, never),
    "HR of the employee's own organisation": ("meer.ermelo.hr", always, always),
    "a coordinator of the arrangement": ("meer.coordinator", with_coordinators, always),
    "the job's poster, line manager of its department": (
        "meer.harderwijk.lead_other",
        hiring_side,
        always,
    ),
    "HR of the job's organisation": ("meer.harderwijk.hr", hiring_side, always),
    "another line manager of the job's organisation": ("meer.harderwijk.lead", hiring_side, never),
    "a user of another arrangement": ("elders.andere.hr", never, never),
}

CASES = [
    pytest.param(visibility, own_staff, role, id=f"{visibility}-own_staff_{own_staff}-{role}")
    for visibility, own_staff, role in itertools.product(VISIBILITIES, (False, True), ROLES)
]


def _person(world, path: str):
    person = world
    for part in path.split("."):
        person = getattr(person, part)
    return person


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
    person = _person(world, path)
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


# --- re-integration: a health-related reason (AVG art. 9) ----------------------------------------


def reads_reintegration(path: str, consent: bool) -> bool:
    """Only the employee, and HR of the employee's own organisation with their consent."""
    return path == "meer.ermelo.emp" or (path == "meer.ermelo.hr" and consent)


REINTEGRATION_CASES = [
    pytest.param(visibility, consent, role, id=f"{visibility}-consent_{consent}-{role}")
    for visibility, consent, role in itertools.product(VISIBILITIES, (False, True), ROLES)
]


@pytest.fixture
def reintegration_scene(make_world, client, api_token, saved_scene):
    """Ermelo's emp offers hours for re-integration, with or without ticking that HR may see
    it; Ermelo lets line managers see their own staff, so the own line manager sees the offer
    (and must still not read the reason)."""

    def build(visibility: str, consent: bool):
        def act():
            world = make_world(
                {
                    "ermelo": {
                        "capacity_visibility": visibility,
                        "line_manager_sees_own_staff": True,
                    }
                }
            )
            offer_id = make_offer(
                client,
                api_token,
                world.meer.ermelo.emp,
                reason="reintegration",
                reason_shared_with_hr=consent,
            )
            return world, offer_id

        return saved_scene(("privacy-reintegration", visibility, consent), act)

    return build


@pytest.mark.parametrize("visibility, consent, role", REINTEGRATION_CASES)
def test_who_reads_a_reintegration_reason(
    visibility, consent, role, reintegration_scene, app, api_token, login
):
    """Whatever the visibility setting, the reason "re-integratie" is read by the employee and
    by HR of their own organisation only when the employee ticked that HR may see it; everyone
    else who may see the offer reads "other" (a hidden reason must not stand out). Only HR can
    filter by it (400 for others in the API, no option on the page), and the filter finds only
    what they may read; filtering by "other" finds what reads as "other"."""
    world, offer_id = reintegration_scene(visibility, consent)
    path, offer_rule, _ = ROLES[role]
    person = _person(world, path)
    sees_offer = offer_rule(visibility, True)
    reads = reads_reintegration(path, consent)
    is_hr = path.endswith(".hr")
    headers = api_token(person)
    api = app.test_client()

    detail = api.get(f"/api/v1/capacities/{api_id('offer', offer_id)}", headers=headers)
    assert detail.status_code == (200 if sees_offer else 404)
    if sees_offer:
        assert detail.get_json()["reason"] == ("reintegration" if reads else "other")
    by_reason = api.get("/api/v1/capacities?reason=reintegration", headers=headers)
    if is_hr:
        assert by_reason.status_code == 200
        assert by_reason.get_json()["total"] == (1 if sees_offer and reads else 0)
    else:
        assert by_reason.status_code == 400
        assert "reason" in problem_fields(by_reason.get_json())
    as_other = api.get("/api/v1/capacities?reason=other", headers=headers).get_json()
    assert as_other["total"] == (1 if sees_offer and not reads else 0)

    browser = app.test_client()
    login(browser, person)
    page = browser.get(f"/krachten/{api_id('offer', offer_id)}")
    assert page.status_code == (200 if sees_offer else 404)
    if sees_offer:
        html = page.get_data(as_text=True)
        assert ("Re-integratie" in html) == reads
        assert ("<dd>Anders</dd>" in html) == (not reads)
    listing = browser.get("/krachten?reason=reintegration").get_data(as_text=True)
    assert ('<option value="reintegration"' in listing) == is_hr
    if is_hr:
        found = "1 aanbod gevonden." if sees_offer and reads else "0 keer aanbod gevonden."
        assert found in listing


def test_only_the_employee_gives_the_consent(make_world, client, api_token):
    """A line manager who registers or edits an offer for their staff cannot tick that HR may
    read re-integration: 400, nothing saved or changed."""
    world = make_world({"ermelo": {"registration_via_line_manager": True}})
    lead, emp = world.meer.ermelo.lead, world.meer.ermelo.emp
    from tests.pool.privacy_world import offer_body

    refused = client.post(
        "/api/v1/capacities",
        json=offer_body(employeeId=emp.id, reason="reintegration", reason_shared_with_hr=True),
        headers=api_token(lead),
    )
    assert refused.status_code == 400
    assert "reasonSharedWithHr" in problem_fields(refused.get_json())
    offer_id = make_offer(client, api_token, lead, employee_id=emp.id, reason="reintegration")
    changed = client.patch(
        f"/api/v1/capacities/{api_id('offer', offer_id)}",
        json={"reasonSharedWithHr": True},
        headers=api_token(lead),
    )
    assert changed.status_code == 400
    hr = client.get(
        f"/api/v1/capacities/{api_id('offer', offer_id)}", headers=api_token(world.meer.ermelo.hr)
    )
    assert hr.get_json()["reason"] == "other"
    mine = client.patch(
        f"/api/v1/capacities/{api_id('offer', offer_id)}",
        json={"reasonSharedWithHr": True},
        headers=api_token(emp),
    )
    assert mine.status_code == 200 and mine.get_json()["reasonSharedWithHr"] is True
    hr = client.get(
        f"/api/v1/capacities/{api_id('offer', offer_id)}", headers=api_token(world.meer.ermelo.hr)
    )
    assert hr.get_json()["reason"] == "reintegration"


def test_the_offer_form_asks_for_the_consent(world, client, login, in_arrangement):
    """The employee's form has the tick; ticked, HR of the own organisation may read the
    reason; the line manager's registration form has no such tick."""
    from sqlalchemy import select

    from app.dates import today
    from app.pool.models import CapacityOffer

    emp = world.meer.ermelo.emp
    login(client, emp)
    assert 'name="reason_shared_with_hr"' in client.get("/mijn-aanbod/nieuw").get_data(True)
    response = client.post(
        "/mijn-aanbod/nieuw",
        data={
            "skills": "Notuleren",
            "hours_per_week": "8",
            "available_from": today().isoformat(),
            "reason": "reintegration",
            "reason_shared_with_hr": "y",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    with in_arrangement(world.meer.arrangement) as s:
        (offer,) = s.scalars(select(CapacityOffer)).all()
        assert (offer.reason, offer.reason_shared_with_hr) == ("reintegration", True)


def test_the_reason_clause_and_the_predicate_agree(
    make_world, client, api_token, app, in_arrangement
):
    """For every person of the arrangement, the SQL rule and the one-offer rule for reading a
    re-integration reason agree: own offers, registered ones, with and without consent."""
    from sqlalchemy import select

    from app import policy
    from app.accounts.models import User
    from app.pool.models import CapacityOffer

    world = make_world({"ermelo": {"registration_via_line_manager": True}})
    ermelo = world.meer.ermelo
    make_offer(client, api_token, ermelo.emp, reason="reintegration", reason_shared_with_hr=True)
    make_offer(client, api_token, ermelo.emp2, reason="reintegration")
    make_offer(client, api_token, ermelo.lead, employee_id=ermelo.emp.id, reason="reintegration")
    make_offer(client, api_token, world.meer.harderwijk.emp, reason="reintegration",
               reason_shared_with_hr=True)  # fmt: skip
    readers = {}
    with app.test_request_context(), in_arrangement(world.meer.arrangement) as s:
        offers = s.scalars(select(CapacityOffer)).all()
        for user in s.scalars(select(User)).all():
            listed = set(s.scalars(select(CapacityOffer.id).where(policy.reasons_readable(user))))
            for offer in offers:
                assert (offer.id in listed) == policy.allowed(user, "offer.reason", offer), (
                    user.email
                )
            readers[user.email] = len(listed)
    assert readers[ermelo.hr.email] == 1  # Ermelo's emp consented; emp2 and the registered not
    assert readers[world.meer.harderwijk.hr.email] == 1
    assert readers[world.meer.coordinator.email] == 0


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
        headers = api_token(_person(world, path))
        one = client.get(
            f"/api/v1/applications/{api_id('application', application_id)}", headers=headers
        )
        assert one.status_code == (200 if sees else 404), (kind, role)
        listed = client.get("/api/v1/applications", headers=headers).get_json()
        ids = [item["id"] for item in listed["items"]]
        assert (application_id in ids) is sees, (kind, role)
