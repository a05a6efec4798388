"""The privacy of a health-related reason (re-integration, AVG art. 9): who reads it, for every
role and setting of the employee's home organisation, with and without the employee's consent;
who may give that consent; and the SQL clause against the one-offer predicate."""

from __future__ import annotations

import itertools

import pytest

from tests.api_helpers import problem_fields
from tests.ids import api_id
from tests.pool.privacy_roles import ROLES, VISIBILITIES, person_at
from tests.pool.privacy_world import make_offer


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
    person = person_at(world, path)
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
