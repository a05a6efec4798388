"""The policy table (app/policy/table.py) walked row by row, for every setting of the employee's
home organisation that the row's resource depends on: the table says yes or no, and every
channel must agree — ``policy.allowed`` and the list clause, the API by id (200 or 404) and its
lists and totals, the pages (detail 200 or 404, lists and their counts), the notification rule
and the e-mails actually sent.

The scene (built once per setting and test process, then restored): Ermelo's employee ``emp``
(team "Uitvoering", line manager ``lead``) offers hours and skills and responds to a job of
Harderwijk's department "Beleid", posted by that department's line manager
(``harderwijk.lead_other``), who answers "in conversation". Each row names a role and a
relation; :data:`PEOPLE` says who in the scene that is. A new row without a person fails here,
so the table and these tests cannot drift apart. The job and match rows are walked in
test_policy_table_jobs_matches.py; the people and cases are in table_people.py.
"""

from __future__ import annotations

import pytest

from app.policy.table import JOB, MATCH, OFFER, RESPONSE, RULES
from tests.ids import api_id
from tests.policy.table_people import (
    CASES,
    ORGANISATION_SETTINGS,
    PEOPLE,
    person_at,
    policy_answers,
)
from tests.pool.privacy_world import (
    SECRET_MOTIVATION,
    SECRET_NOTE,
    SECRET_SKILL,
    apply_to,
    mails_to,
    make_offer,
    other_org_job,
)

pytestmark = pytest.mark.sqlite


@pytest.fixture
def scene(make_world, client, api_token, in_arrangement, mail_outbox, saved_scene):
    def build(settings: dict):
        key = ("policy-table", *(settings[name] for name in ORGANISATION_SETTINGS))
        return saved_scene(key, lambda: act(settings))

    def act(settings: dict):
        world = make_world({"ermelo": {n: settings[n] for n in ORGANISATION_SETTINGS}})
        emp = world.meer.ermelo.emp
        job_id = other_org_job(in_arrangement, world)
        offer_id = make_offer(client, api_token, emp)
        application_id = apply_to(client, api_token, emp, job_id)
        decided = client.post(
            f"/api/v1/applications/{api_id('application', application_id)}/decision",
            json={"status": "in_conversation", "message": "Kom je langs?"},
            headers=api_token(world.meer.harderwijk.lead_other),
        )
        assert decided.status_code == 200
        return world, job_id, offer_id, application_id

    return build


def test_every_row_names_someone_in_the_scene():
    """Each row of the table is walked below: it must say who that is."""
    missing = [r for r in RULES if (r.resource, r.role, r.relation) not in PEOPLE]
    assert missing == []
    assert {r.resource for r in RULES} <= {OFFER, RESPONSE, JOB, MATCH}


@pytest.mark.parametrize(
    "rule, settings", [c for c in CASES if c.values[0].resource in (OFFER, RESPONSE)]
)
def test_the_table_row_holds_in_every_channel(
    rule, settings, scene, app, api_token, login, mail_outbox, in_arrangement
):
    from app import policy
    from app.pool.models import Application, CapacityOffer
    from tests.ids import internal_id

    world, _job, offer_id, application_id = scene(settings)
    person = person_at(world, PEOPLE[(rule.resource, rule.role, rule.relation)])
    expected = rule.allows(settings)
    is_employee = person.id == world.meer.ermelo.emp.id and person.email.startswith("emp@")
    api = app.test_client()
    headers = api_token(person)
    browser = app.test_client()
    login(browser, person)

    if rule.resource == OFFER:
        # The policy: the single-object check and the list clause.
        single, listed = policy_answers(
            app, in_arrangement, world, person, CapacityOffer,
            internal_id("offer", offer_id), "offer.view", policy.offers_visible,
        )  # fmt: skip
        assert single == listed == expected
        # API: by id, the list and its total.
        by_id = api.get(f"/api/v1/capacities/{api_id('offer', offer_id)}", headers=headers)
        assert by_id.status_code == (200 if expected else 404)
        assert (SECRET_NOTE in by_id.get_data(as_text=True)) == expected
        listing = api.get("/api/v1/capacities", headers=headers).get_json()
        assert [o["id"] for o in listing["items"]] == ([offer_id] if expected else [])
        assert listing["total"] == (1 if expected else 0)
        # Pages: the detail, the list and its count.
        detail = browser.get(f"/krachten/{api_id('offer', offer_id)}")
        assert detail.status_code == (200 if expected else 404)
        if not is_employee:
            page = browser.get("/krachten").get_data(as_text=True)
            assert (f'<span class="tag">{SECRET_SKILL}</span>' in page) == expected
            count = "1 aanbod gevonden." if expected else "0 keer aanbod gevonden."
            assert count in page
        # E-mails: nothing about someone's offer reaches anyone who may not see it.
        for mail in mails_to(mail_outbox, person):
            assert SECRET_NOTE not in mail.body or expected
    else:
        key = internal_id("application", application_id)
        single, listed = policy_answers(
            app, in_arrangement, world, person, Application, key, "application.view",
            policy.applications_visible,
        )  # fmt: skip
        assert single == listed == expected
        by_id = api.get(
            f"/api/v1/applications/{api_id('application', application_id)}", headers=headers
        )
        assert by_id.status_code == (200 if expected else 404)
        assert (SECRET_MOTIVATION in by_id.get_data(as_text=True)) == expected
        listing = api.get("/api/v1/applications", headers=headers).get_json()
        assert [a["id"] for a in listing["items"]] == ([application_id] if expected else [])
        assert listing["total"] == (1 if expected else 0)
        detail = browser.get(f"/reacties/{api_id('application', application_id)}")
        assert detail.status_code == (200 if expected else 404)
        assert (SECRET_MOTIVATION in detail.get_data(as_text=True)) == expected
        if not is_employee:
            page = browser.get("/reacties").get_data(as_text=True)
            assert ("1 reactie." if expected else "0 reacties.") in page
        # The notification rule of a new response says the same as the table: would this
        # person be told (in the app and by e-mail) of this response?
        _assert_told_only_if_allowed(app, in_arrangement, world, person, application_id, expected)
        # The e-mails and notifications actually sent: being told implies the row allows it.
        told = [m for m in mails_to(mail_outbox, person) if "crisisoverleg" in m.body]
        notes = api.get("/api/v1/notifications", headers=headers).get_json()
        if told or notes["total"]:
            assert expected


def _assert_told_only_if_allowed(app, in_arrangement, world, person, application_id, expected):
    from app.accounts.models import User
    from app.pool.models import Application
    from app.pool.notifications.operations import KINDS
    from tests.ids import internal_id

    if person.email.endswith("andere.test"):
        return  # another arrangement: notify() is never even asked (the scoping wall)
    with app.test_request_context(), in_arrangement(world.meer.arrangement) as s:
        user = s.get(User, person.id)
        application = s.get(Application, internal_id("application", application_id))
        kind = KINDS["application_new"]
        assert kind.allowed(user, {"application": application}) == expected
        from sqlalchemy import select

        from app.pool.models import Notification

        # The unread count's SQL form of the same rule, over a notification's refs.
        s.add(
            Notification(
                user_id=user.id, kind="application_new", refs={"application_id": application.id}
            )
        )
        s.flush()
        counted = s.scalar(
            select(Notification.id).where(
                Notification.user_id == user.id,
                Notification.kind == "application_new",
                kind.clause(user),
            )
        )
        assert (counted is not None) == expected
        s.rollback()
