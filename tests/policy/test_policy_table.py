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

from app.policy.table import JOB, MATCH, OFFER, RESPONSE, RULES, SETTINGS, Rule
from tests.ids import api_id
from tests.matches.helpers import decide, propose
from tests.pool.jobs_factory import make_job
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
    (
        JOB,
        "line manager",
        "of the job's department, who posted it (posting side)",
    ): "meer.harderwijk.lead_other",
    (JOB, "HR", "of the job's organisation (posting side)"): "meer.harderwijk.hr",
    (
        JOB,
        "line manager",
        "of another department of the job's organisation",
    ): "meer.harderwijk.lead",
    (JOB, "employee", "of the job's organisation"): "meer.harderwijk.emp",
    (JOB, "employee", "of another organisation of the arrangement"): "meer.ermelo.emp",
    (JOB, "line manager", "of another organisation of the arrangement"): "meer.zeewolde.lead",
    (JOB, "HR", "of another organisation of the arrangement"): "meer.ermelo.hr",
    (JOB, "coordinator", "of the arrangement, member of another organisation"): "meer.coordinator",
    (JOB, "anyone", "of another arrangement"): "elders.andere.hr",
    (MATCH, "employee", "their own"): "meer.ermelo.emp",
    (MATCH, "HR", "of the job's organisation, who proposed it"): "meer.harderwijk.hr",
    (MATCH, "line manager", "of the employee (own staff, the lending side)"): "meer.ermelo.lead",
    (MATCH, "HR", "of the employee's own organisation (lending side)"): "meer.ermelo.hr",
    (
        MATCH,
        "line manager",
        "of the job's department, who posted it (borrowing side)",
    ): "meer.harderwijk.lead_other",
    (MATCH, "coordinator", "of the arrangement"): "meer.coordinator",
    (MATCH, "employee", "a colleague's in the same team"): "meer.ermelo.emp2",
    (
        MATCH,
        "line manager",
        "of another department of the same organisation",
    ): "meer.ermelo.lead_other",
    (
        MATCH,
        "line manager",
        "of another department of the job's organisation",
    ): "meer.harderwijk.lead",
    (MATCH, "HR", "of a third organisation of the arrangement"): "meer.zeewolde.hr",
    (MATCH, "anyone", "of another arrangement"): "elders.andere.hr",
}

#: The settings a scene is built with; a resource's own settings (SETTINGS) vary over these.
DEFAULTS = {"capacity_visibility": "hr", "line_manager_sees_own_staff": False}
ORGANISATION_SETTINGS = tuple(DEFAULTS)


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


@pytest.fixture
def job_scene(make_world, in_arrangement, saved_scene):
    """A job of Harderwijk's department, posted by its line manager, as the setting says."""

    def build(status: str, visibility: str):
        def act():
            world = make_world()
            job_id = make_job(
                in_arrangement,
                world.meer.harderwijk.lead_other,
                title="Notulist crisisoverleg Harderwijk",
                visibility=visibility,
                publish=status == "open",
            )
            return world, job_id

        return saved_scene(("policy-table-job", status, visibility), act)

    return build


@pytest.mark.parametrize("rule, settings", [c for c in CASES if c.values[0].resource == JOB])
def test_the_job_rows_hold_in_every_channel(
    rule, settings, job_scene, app, api_token, login, in_arrangement
):
    from app import policy
    from app.pool.models import Job

    world, job_id = job_scene(settings["job_status"], settings["job_visibility"])
    person = _person(world, PEOPLE[(rule.resource, rule.role, rule.relation)])
    expected = rule.allows(settings)
    status = settings["job_status"]
    single, listed = _policy_answers(
        app, in_arrangement, world, person, Job, job_id, "job.view",
        lambda user: policy.jobs_visible(user, status),
    )  # fmt: skip
    assert single == listed == expected
    headers = api_token(person)
    api = app.test_client()
    assert api.get(f"/api/v1/jobs/{api_id('job', job_id)}", headers=headers).status_code == (
        200 if expected else 404
    )
    listing = api.get(f"/api/v1/jobs?status={status}", headers=headers).get_json()
    assert (api_id("job", job_id) in [j["id"] for j in listing["items"]]) == expected
    assert listing["total"] == (1 if expected else 0)
    browser = app.test_client()
    login(browser, person)
    assert browser.get(f"/klussen/{api_id('job', job_id)}").status_code == (
        200 if expected else 404
    )


@pytest.fixture
def match_scene(make_world, client, api_token, in_arrangement, saved_scene):
    """Ermelo's employee responds to Harderwijk's job; HR of Harderwijk proposes them for it;
    the employee approves, or not yet, as the setting says."""

    def build(approved: bool):
        def act():
            world = make_world()
            job_id = other_org_job(in_arrangement, world)
            application_id = apply_to(client, api_token, world.meer.ermelo.emp, job_id)
            match_id = propose(
                client, api_token(world.meer.harderwijk.hr), application_id=application_id
            )
            if approved:
                decision = decide(client, api_token(world.meer.ermelo.emp), match_id)
                assert decision.status_code == 200, decision.get_json()
            return world, match_id

        return saved_scene(("policy-table-match", approved), act)

    return build


@pytest.mark.parametrize("rule, settings", [c for c in CASES if c.values[0].resource == MATCH])
def test_the_match_rows_hold_in_every_channel(
    rule, settings, match_scene, app, api_token, login, in_arrangement, mail_outbox
):
    from app import policy
    from app.matches.models import Match
    from tests.ids import internal_id

    world, match_id = match_scene(settings["employee_approved"])
    person = _person(world, PEOPLE[(rule.resource, rule.role, rule.relation)])
    expected = rule.allows(settings)
    key = internal_id("match", match_id)
    single, listed = _policy_answers(
        app, in_arrangement, world, person, Match, key, "match.view", policy.matches_visible
    )
    assert single == listed == expected
    headers = api_token(person)
    api = app.test_client()
    assert api.get(f"/api/v1/matches/{api_id('match', match_id)}", headers=headers).status_code == (
        200 if expected else 404
    )
    listing = api.get("/api/v1/matches?scope=all", headers=headers).get_json()
    assert [m["id"] for m in listing["items"]] == ([match_id] if expected else [])
    assert listing["total"] == (1 if expected else 0)
    browser = app.test_client()
    login(browser, person)
    assert browser.get(f"/detacheringen/{api_id('match', match_id)}").status_code == (
        200 if expected else 404
    )
    # Told by e-mail or notification only where the row allows it; the employee is told.
    told = [m for m in mails_to(mail_outbox, person) if f"/detacheringen/{match_id}" in m.body]
    notes = api.get("/api/v1/notifications", headers=headers).get_json()
    match_notes = [n for n in notes["items"] if n["kind"].startswith("match_")]
    if told or match_notes:
        assert expected
    if person.id == world.meer.ermelo.emp.id and person.email.startswith("emp@"):
        assert told and match_notes
