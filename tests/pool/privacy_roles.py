"""Who is who in the privacy rule tables (tests/pool/test_privacy_rules*.py): the roles, where
each is in the standard world, and which of them see an employee's capacity offer and their
response to a job, for each setting of the employee's home organisation."""

from __future__ import annotations

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


def person_at(world, path: str):
    person = world
    for part in path.split("."):
        person = getattr(person, part)
    return person
