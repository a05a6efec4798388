"""Bad input to the organisation settings (API and HR page): 400 naming each field, 413 for a
huge body, and nothing saved."""

from __future__ import annotations

import pytest

from tenants.models import Organisation
from tests.api_helpers import problem_fields

TEN_MB = "x" * (10 * 1024 * 1024)


def _settings(in_arrangement, world) -> tuple:
    with in_arrangement(world.meer.arrangement) as s:
        org = s.get(Organisation, world.meer.ermelo.org.id)
        return (
            org.capacity_visibility,
            org.line_manager_sees_own_staff,
            org.registration_via_line_manager,
            org.report_min_group_size,
            org.retention_days,
            org.job_expiry_days,
            org.default_job_visibility,
        )


DEFAULTS = ("hr_coordinators", False, False, 5, 365, 42, "arrangement")


@pytest.mark.parametrize(
    "body, field",
    [
        ({"capacityVisibility": "everyone"}, "capacityVisibility"),
        ({"capacityVisibility": None}, "capacityVisibility"),
        ({"lineManagerSeesOwnStaff": "yes"}, "lineManagerSeesOwnStaff"),
        ({"lineManagerSeesOwnStaff": 1}, "lineManagerSeesOwnStaff"),
        ({"registrationViaLineManager": "true"}, "registrationViaLineManager"),
        ({"reportMinGroupSize": 2}, "reportMinGroupSize"),
        ({"reportMinGroupSize": "5"}, "reportMinGroupSize"),
        ({"reportMinGroupSize": 5.5}, "reportMinGroupSize"),
        ({"reportMinGroupSize": True}, "reportMinGroupSize"),
        ({"retentionDays": 0}, "retentionDays"),
        ({"retentionDays": -1}, "retentionDays"),
        ({"jobExpiryDays": 0}, "jobExpiryDays"),
        ({"jobExpiryDays": 366}, "jobExpiryDays"),
        ({"defaultJobVisibility": "public"}, "defaultJobVisibility"),
        ({"name": "Andere naam"}, "name"),
        ({"slug": "x"}, "slug"),
        ({"arrangement_id": 2}, "arrangement_id"),
        ({"retentionDays": 30, "organisation_id": 3}, "organisation_id"),
    ],
)
def test_bad_settings_are_refused_per_field(body, field, client, world, in_arrangement, api_token):
    """Wrong values and types, and fields that are not settings: 400, and nothing changes
    (not even the valid fields sent along)."""
    response = client.patch(
        "/api/v1/organisations/ermelo/settings", json=body, headers=api_token(world.meer.ermelo.hr)
    )
    assert response.status_code == 400
    assert field in problem_fields(response.get_json())
    assert _settings(in_arrangement, world) == DEFAULTS


def test_ten_megabytes_is_too_large(client, world, in_arrangement, api_token, login):
    """A 10 MB body: 413 for the API and the page; nothing changes."""
    response = client.patch(
        "/api/v1/organisations/ermelo/settings",
        json={"capacityVisibility": TEN_MB},
        headers=api_token(world.meer.ermelo.hr),
    )
    assert response.status_code == 413
    login(client, world.meer.ermelo.hr)
    assert client.post("/organisatie/instellingen", data={"x": TEN_MB}).status_code == 413
    assert _settings(in_arrangement, world) == DEFAULTS


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"capacity_visibility": "everyone"}, "Ongeldige keuze."),
        ({"report_min_group_size": "2"}, "Kies een getal van 3 tot 1000."),
        ({"report_min_group_size": "drie"}, "Vul een heel getal in."),
        ({"retention_days": "0"}, "Kies 1 tot 3650 dagen."),
        ({"retention_days": ""}, "Dit veld is verplicht."),
        ({"job_expiry_days": "400"}, "Kies 1 tot 365 dagen."),
        ({"default_job_visibility": ""}, "Dit veld is verplicht."),
    ],
)
def test_the_settings_page_says_what_is_wrong(
    changes, message, client, world, in_arrangement, login
):
    """The HR page comes back with 400 and the message; nothing is saved."""
    data = {
        "capacity_visibility": "arrangement",
        "line_manager_sees_own_staff": "y",
        "report_min_group_size": "5",
        "retention_days": "365",
        "job_expiry_days": "42",
        "default_job_visibility": "arrangement",
    }
    data.update(changes)
    login(client, world.meer.ermelo.hr)
    response = client.post("/organisatie/instellingen", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _settings(in_arrangement, world) == DEFAULTS
