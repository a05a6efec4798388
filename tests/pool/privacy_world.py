"""Shared test helpers for offers, responses and privacy: who is who, and making things happen
through the real API as the people themselves."""

from __future__ import annotations

from datetime import date, timedelta

from app.api import camelize
from tests.ids import api_body, api_id, public_id
from tests.pool.jobs_factory import make_job

SECRET_SKILL = "Geheimschrift"
SECRET_NOTE = "Wil graag iets anders proberen (kenmerk-7Q)"
SECRET_MOTIVATION = "Ik help graag mee met notuleren (kenmerk-9Z)"


def offer_body(**overrides) -> dict:
    """A capacity offer's JSON; keywords in Python spelling (``employee_id=``) are sent in the
    API's (``employeeId``), ids as public ids (keys are turned into them)."""
    body = {
        "skills": [SECRET_SKILL, "Notuleren"],
        "hoursPerWeek": 8,
        "availableFrom": date.today().isoformat(),
        "availableUntil": (date.today() + timedelta(days=90)).isoformat(),
        "reason": "development",
        "note": SECRET_NOTE,
    }
    body.update({camelize(k): v for k, v in api_body(overrides).items()})
    return body


def make_offer(client, api_token, user, **overrides) -> int:
    """The employee offers hours and skills through POST /api/v1/capacities."""
    response = client.post(
        "/api/v1/capacities", json=offer_body(**overrides), headers=api_token(user)
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def apply_to(client, api_token, user, job_id: int, motivation: str = SECRET_MOTIVATION) -> int:
    """The employee responds through POST /api/v1/jobs/{id}/applications (``job_id`` a key or a
    public id)."""
    response = client.post(
        f"/api/v1/jobs/{api_id('job', job_id)}/applications",
        json={"motivation": motivation, "hoursPerWeek": 8},
        headers=api_token(user),
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def other_org_job(in_arrangement, world, **overrides) -> int:
    """A job of Harderwijk's department "other", posted by its line manager, for everyone.
    Returns its public id, as the API's helpers here do (``tests.ids.internal_id`` for the key)."""
    overrides.setdefault("visibility", "arrangement")
    overrides.setdefault("title", "Notulist crisisoverleg Harderwijk")
    return public_id("job", make_job(in_arrangement, world.meer.harderwijk.lead_other, **overrides))


def mails_to(mail_outbox, user) -> list:
    return [m for m in mail_outbox if user.email in m.to]
