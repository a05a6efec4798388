"""Who is who in the policy table tests (tests/policy/test_policy_table*.py): for each row of
app/policy/table.py the person in the scene, the settings each row is walked for, and the two
policy answers (``policy.allowed`` and the list clause) every channel is checked against."""

from __future__ import annotations

import itertools

import pytest

from app.policy.table import JOB, MATCH, OFFER, RESPONSE, RULES, SETTINGS, Rule

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


def settings_of(rule: Rule) -> list[dict]:
    """Every combination of the settings the row's resource depends on."""
    varied = SETTINGS.get(rule.resource, {})
    names = list(varied)
    return [
        {**DEFAULTS, **dict(zip(names, values, strict=True))}
        for values in itertools.product(*(varied[n] for n in names))
    ]


def case_id(rule: Rule, settings: dict) -> str:
    shown = ",".join(f"{k}={v}" for k, v in settings.items())
    return f"{rule.resource}|{rule.role} {rule.relation}|{shown}"


CASES = [
    pytest.param(rule, settings, id=case_id(rule, settings))
    for rule in RULES
    for settings in settings_of(rule)
]


def person_at(world, path: str):
    person = world
    for part in path.split("."):
        person = getattr(person, part)
    return person


def policy_answers(app, in_arrangement, world, person, model, object_id, action, clause):
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
