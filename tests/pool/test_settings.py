"""Organisation settings: read by the organisation's own staff and the coordinators, changed
by its HR only, explained in plain Dutch; employees with an open offer hear of a change."""

from __future__ import annotations

import pytest

from app.pool.models import Notification
from tenants.models import Organisation
from tests.pool.privacy_world import mails_to, make_offer

DEFAULTS = {
    "organisation": {"slug": "ermelo", "name": "Gemeente Ermelo"},
    "capacityVisibility": "hr_coordinators",
    "lineManagerSeesOwnStaff": False,
    "registrationViaLineManager": False,
    "reportMinGroupSize": 5,
    "retentionDays": 365,
    "jobExpiryDays": 42,
    "defaultJobVisibility": "arrangement",
}


@pytest.mark.parametrize(
    "who, status",
    [
        ("meer.ermelo.emp", 200),
        ("meer.ermelo.lead", 200),
        ("meer.ermelo.hr", 200),
        ("meer.coordinator", 200),
        ("meer.harderwijk.emp", 403),
        ("meer.harderwijk.hr", 403),
        ("elders.andere.hr", 404),
        ("elders.coordinator", 404),
    ],
)
def test_who_reads_the_settings(who, status, client, world, api_token):
    """GET /organisations/{slug}/settings: the organisation's own staff and the arrangement's
    coordinators; another organisation's staff 403; another arrangement 404."""
    user = world
    for part in who.split("."):
        user = getattr(user, part)
    response = client.get("/api/v1/organisations/ermelo/settings", headers=api_token(user))
    assert response.status_code == status
    if status == 200:
        assert response.get_json() == DEFAULTS


@pytest.mark.parametrize(
    "who, status",
    [
        ("meer.ermelo.hr", 200),
        ("meer.ermelo.lead", 403),
        ("meer.ermelo.emp", 403),
        ("meer.coordinator", 403),
        ("meer.harderwijk.hr", 403),
        ("elders.andere.hr", 404),
    ],
)
def test_only_hr_of_the_organisation_changes_the_settings(
    who, status, client, world, api_token, in_arrangement
):
    """PATCH by HR of that organisation only; another organisation's HR 403; another
    arrangement 404 — and a refused PATCH changes nothing."""
    user = world
    for part in who.split("."):
        user = getattr(user, part)
    body = {"capacityVisibility": "arrangement", "reportMinGroupSize": 7}
    response = client.patch(
        "/api/v1/organisations/ermelo/settings", json=body, headers=api_token(user)
    )
    assert response.status_code == status
    with in_arrangement(world.meer.arrangement) as s:
        org = s.get(Organisation, world.meer.ermelo.org.id)
        changed = (org.capacity_visibility, org.report_min_group_size)
    assert changed == (("arrangement", 7) if status == 200 else ("hr_coordinators", 5))


def test_every_setting_can_be_changed(client, world, api_token):
    """All seven fields round-trip through PATCH and GET."""
    body = {
        "capacityVisibility": "hr",
        "lineManagerSeesOwnStaff": True,
        "registrationViaLineManager": True,
        "reportMinGroupSize": 3,
        "retentionDays": 30,
        "jobExpiryDays": 14,
        "defaultJobVisibility": "organisation",
    }
    hr = api_token(world.meer.ermelo.hr)
    patched = client.patch("/api/v1/organisations/ermelo/settings", json=body, headers=hr)
    assert patched.status_code == 200
    got = client.get("/api/v1/organisations/ermelo/settings", headers=hr).get_json()
    assert {k: got[k] for k in body} == body


def test_staff_with_an_open_offer_hear_when_who_sees_it_changes(
    client, world, api_token, in_arrangement, mail_outbox
):
    """Widening who sees offers tells each employee with an open offer (app and e-mail); it
    tells nobody else, and changing only a number tells nobody."""
    emp = world.meer.ermelo.emp
    make_offer(client, api_token, emp)
    hr = api_token(world.meer.ermelo.hr)
    client.patch("/api/v1/organisations/ermelo/settings", json={"retentionDays": 100}, headers=hr)
    assert mail_outbox == []
    client.patch(
        "/api/v1/organisations/ermelo/settings",
        json={"capacityVisibility": "arrangement"},
        headers=hr,
    )
    assert [m.to for m in mail_outbox] == [[emp.email]]
    assert "Wie je aanbod kan zien" in mails_to(mail_outbox, emp)[0].subject
    with in_arrangement(world.meer.arrangement) as s:
        assert [(n.user_id, n.kind) for n in s.query(Notification)] == [
            (emp.id, "settings_changed")
        ]


def test_the_settings_page_explains_each_setting_and_saves(client, world, login, in_arrangement):
    """HR's page explains in plain Dutch what each setting means for the staff, and saves."""
    login(client, world.meer.ermelo.hr)
    page = client.get("/organisatie/instellingen")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    for phrase in (
        "Voor de medewerker: alleen P&O van de eigen organisatie ziet het aanbod.",
        "geen controlemiddel",
        "namens een medewerker van de eigen afdeling",
        "zodat niemand herkenbaar is",
    ):
        assert phrase in text
    data = {
        "capacity_visibility": "hr",
        "line_manager_sees_own_staff": "y",
        "report_min_group_size": "6",
        "retention_days": "200",
        "job_expiry_days": "30",
        "default_job_visibility": "organisation",
    }
    assert client.post("/organisatie/instellingen", data=data).status_code == 302
    with in_arrangement(world.meer.arrangement) as s:
        org = s.get(Organisation, world.meer.ermelo.org.id)
        assert org.capacity_visibility == "hr" and org.line_manager_sees_own_staff
        assert not org.registration_via_line_manager and org.report_min_group_size == 6


@pytest.mark.parametrize("who", ["emp", "lead"])
def test_the_settings_page_is_for_hr_only(who, client, world, login):
    """A line manager or employee gets 403 on the HR page (and may read /privacy instead)."""
    login(client, getattr(world.meer.ermelo, who))
    assert client.get("/organisatie/instellingen").status_code == 403
    assert client.post("/organisatie/instellingen", data={}).status_code == 403
    assert client.get("/privacy").status_code == 200


@pytest.mark.parametrize(
    "settings, present, absent",
    [
        (
            {},
            [
                "De coördinatoren van het samenwerkingsverband.",
                "Je eigen leidinggevende ziet je aanbod en je reacties niet.",
            ],
            ["leidinggevenden van alle deelnemende organisaties"],
        ),
        (
            {"capacity_visibility": "hr"},
            ["P&O van Gemeente Ermelo."],
            [
                "De coördinatoren van het samenwerkingsverband.",
                "leidinggevenden van alle deelnemende",
            ],
        ),
        (
            {"capacity_visibility": "arrangement", "line_manager_sees_own_staff": True},
            [
                "leidinggevenden van alle deelnemende organisaties",
                "Je eigen leidinggevende: Gemeente Ermelo heeft gekozen",
            ],
            ["Je eigen leidinggevende ziet je aanbod en je reacties niet."],
        ),
    ],
)
def test_every_employee_reads_who_can_see_their_offer(
    settings, present, absent, client, make_world, login
):
    """/privacy: "who can see my offer?", read-only, from the home organisation's settings."""
    world = make_world({"ermelo": settings})
    login(client, world.meer.ermelo.emp)
    text = client.get("/privacy").get_data(as_text=True)
    for phrase in present:
        assert phrase in text
    for phrase in absent:
        assert phrase not in text
