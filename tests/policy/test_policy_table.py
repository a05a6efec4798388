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
so the table and this test cannot drift apart.
"""

from __future__ import annotations

import itertools

import pytest

from app.policy.table import OFFER, RESPONSE, RULES, SETTINGS, Rule
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

pytestmark = pytest.mark.sqlite

#: (resource, role, relation) → who that is in the scene.
PEOPLE: dict[tuple[str, str, str], str] = {
    (OFFER, "employee", "their own"): "meer.ermelo.emp",
    (OFFER, "employee", "a colleague's in the same team"): "meer.ermelo.emp2",
    (OFFER, "line manager", "of the employee (own staff)"): "meer.ermelo.lead",
    (
        OFFER,
        "line manager",
        "of another department of the same organisation",
    ): "meer.ermelo.lead_other",
    (OFFER, "line manager", "of another organisation of the arrangement"): "meer.zeewolde.lead",
    (OFFER, "HR", "of the employee's own organisation"): "meer.ermelo.hr",
    (OFFER, "HR", "of another organisation of the arrangement"): "meer.zeewolde.hr",
    (OFFER, "coordinator", "of the arrangement"): "meer.coordinator",
    (OFFER, "anyone", "of another arrangement"): "elders.andere.hr",
    (RESPONSE, "employee", "their own"): "meer.ermelo.emp",
    (RESPONSE, "employee", "a colleague's in the same team"): "meer.ermelo.emp2",
    (RESPONSE, "line manager", "of the employee (own staff)"): "meer.ermelo.lead",
    (
        RESPONSE,
        "line manager",
        "of another department of the same organisation",
    ): "meer.ermelo.lead_other",
    (
        RESPONSE,
        "line manager",
        "of another organisation of the arrangement",
    ): "meer.zeewolde.lead",
    (
        RESPONSE,
        "line manager",
        "of the job's department, who posted it (posting side)",
    ): "meer.harderwijk.lead_other",
    (
        RESPONSE,
        "line manager",
        "of another department of the job's organisation",
    ): "meer.harderwijk.lead",
    (RESPONSE, "HR", "of the employee's own organisation"): "meer.ermelo.hr",
    (RESPONSE, "HR", "of the job's organisation (posting side)"): "meer.harderwijk.hr",
    (RESPONSE, "HR", "of a third organisation of the arrangement"): "meer.zeewolde.hr",
    (RESPONSE, "coordinator", "of the arrangement"): "meer.coordinator",
    (RESPONSE, "anyone", "of another arrangement"): "elders.andere.hr",
}

#: The settings a scene is built with; a resource's own settings (SETTINGS) vary over these.
DEFAULTS = {"capacity_visibility": "hr", "line_manager_sees_own_staff": False}


def _settings_of(rule: Rule) -> list[dict]:
    """Every combination of the settings the row's resource depends on."""
    varied = SETTINGS.get(rule.resource, {})
    names = list(varied)
    return [
        {**DEFAULTS, **dict(zip(names, values, strict=True))}
        for values in itertools.product(*(varied[n] for n in names))
    ]


def _case_id(rule: Rule, settings: dict) -> str:
    shown = ",".join(f"{k}={v}" for k, v in settings.items())
    return f"{rule.resource}|{rule.role} {rule.relation}|{shown}"


CASES = [
    pytest.param(rule, settings, id=_case_id(rule, settings))
    for rule in RULES
    for settings in _settings_of(rule)
]


def _person(world, path: str):
    person = world
    for part in path.split("."):
        person = getattr(person, part)
    return person


@pytest.fixture
def scene(make_world, client, api_token, in_arrangement, mail_outbox, saved_scene):
    def build(settings: dict):
        key = (
            "policy-table",
            settings["capacity_visibility"],
            settings["line_manager_sees_own_staff"],
        )
        return saved_scene(key, lambda: act(settings))

    def act(settings: dict):
        world = make_world({"ermelo": dict(settings)})
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
    assert {r.resource for r in RULES} <= {OFFER, RESPONSE}


def _policy_answers(app, in_arrangement, world, person, model, object_id, action, clause):
    """``policy.allowed`` on the object, and whether the list clause lists it, asked in the
    person's own arrangement (from another one the object cannot even be loaded: the scoping
    wall; the check is then asked about its id alone)."""
    from sqlalchemy import select

    from app import policy
    from app.accounts.models import User

    arrangement = (
        world.elders.arrangement if person.email.endswith("andere.test") else world.meer.arrangement
    )
    with app.test_request_context(), in_arrangement(arrangement) as s:
        user = s.get(User, person.id)
        listed = set(s.scalars(select(model.id).where(clause(user))))
        obj = s.get(model, object_id) or model(id=object_id)
        return policy.allowed(user, action, obj), object_id in listed


@pytest.mark.parametrize("rule, settings", CASES)
def test_the_table_row_holds_in_every_channel(
    rule, settings, scene, app, api_token, login, mail_outbox, in_arrangement
):
    from app import policy
    from app.pool.models import Application, CapacityOffer
    from tests.ids import internal_id

    world, _job, offer_id, application_id = scene(settings)
    person = _person(world, PEOPLE[(rule.resource, rule.role, rule.relation)])
    expected = rule.allows(settings)
    is_employee = person.id == world.meer.ermelo.emp.id and person.email.startswith("emp@")
    api = app.test_client()
    headers = api_token(person)
    browser = app.test_client()
    login(browser, person)

    if rule.resource == OFFER:
        # The policy: the single-object check and the list clause.
        single, listed = _policy_answers(
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
        single, listed = _policy_answers(
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
    from app.pool.notifications import KINDS
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
