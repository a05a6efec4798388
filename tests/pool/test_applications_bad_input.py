"""Bad input to the response endpoints and forms: a clear message per field, status 400 (413
for a huge body), and nothing saved. HTML in any text is shown as text, on pages and in mail."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.pool.models import Application
from tests.api_helpers import problem_fields
from tests.ids import api_id, key_of
from tests.pool.privacy_world import apply_to, mails_to, other_org_job

TEN_MB = "x" * (10 * 1024 * 1024)


def _count(in_arrangement, world) -> int:
    with in_arrangement(world.meer.arrangement) as s:
        return s.scalar(select(func.count()).select_from(Application))


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "motivation"),
        ({"motivation": ""}, "motivation"),
        ({"motivation": "   "}, "motivation"),
        ({"motivation": 12}, "motivation"),
        ({"motivation": None}, "motivation"),
        ({"motivation": "x" * 5001}, "motivation"),
        ({"motivation": "graag", "hoursPerWeek": 0}, "hoursPerWeek"),
        ({"motivation": "graag", "hoursPerWeek": 41}, "hoursPerWeek"),
        ({"motivation": "graag", "hoursPerWeek": "8"}, "hoursPerWeek"),
        ({"motivation": "graag", "hoursPerWeek": 8.5}, "hoursPerWeek"),
        ({"motivation": "graag", "hoursPerWeek": True}, "hoursPerWeek"),
        ({"motivation": "graag", "status": "matched"}, "status"),
        ({"motivation": "graag", "organisation_id": 2}, "organisation_id"),
        ({"motivation": "graag", "user_id": 1}, "user_id"),
        ({"motivation": "graag", "jobId": 1}, "jobId"),
    ],
)
def test_a_response_with_bad_input_is_refused_per_field(
    body, field, client, world, in_arrangement, api_token
):
    """Wrong types, empty or overlong text, hours 0 or 41, unknown fields: 400 naming the field."""
    job_id = other_org_job(in_arrangement, world)
    response = client.post(
        f"/api/v1/jobs/{api_id('job', job_id)}/applications",
        json=body,
        headers=api_token(world.meer.ermelo.emp),
    )
    assert response.status_code == 400
    error = response.get_json()
    assert (
        error["code"] == "invalid"
        and field in problem_fields(error)
        and problem_fields(error)[field][0]
    )
    assert _count(in_arrangement, world) == 0


@pytest.mark.parametrize("payload", [[], "motivation", 5, None])
def test_a_body_that_is_not_an_object_is_refused(payload, client, world, in_arrangement, api_token):
    """A JSON list, string, number or nothing at all is a 400, not a 500."""
    job_id = other_org_job(in_arrangement, world)
    response = client.post(
        f"/api/v1/jobs/{api_id('job', job_id)}/applications",
        data="null" if payload is None else __import__("json").dumps(payload),
        content_type="application/json",
        headers=api_token(world.meer.ermelo.emp),
    )
    assert response.status_code == 400
    assert _count(in_arrangement, world) == 0


def test_ten_megabytes_is_too_large(client, world, in_arrangement, api_token, login):
    """A 10 MB body is refused with 413 by the API and the form; nothing is saved."""
    job_id = other_org_job(in_arrangement, world)
    emp = world.meer.ermelo.emp
    response = client.post(
        f"/api/v1/jobs/{api_id('job', job_id)}/applications",
        json={"motivation": TEN_MB},
        headers=api_token(emp),
    )
    assert response.status_code == 413
    assert response.get_json()["code"] == "too_large"
    login(client, emp)
    assert (
        client.post(
            f"/klussen/{api_id('job', job_id)}/reageren", data={"motivation": TEN_MB}
        ).status_code
        == 413
    )
    application_id = None
    assert _count(in_arrangement, world) == 0
    application_id = apply_to(client, api_token, emp, job_id)
    poster = api_token(world.meer.harderwijk.lead_other)
    big = client.post(
        f"/api/v1/applications/{api_id('application', application_id)}/decision",
        json={"status": "declined", "message": TEN_MB},
        headers=poster,
    )
    assert big.status_code == 413


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "status"),
        ({"status": "accepted"}, "status"),
        ({"status": "withdrawn"}, "status"),
        ({"status": 1}, "status"),
        ({"status": "declined", "message": 5}, "message"),
        ({"status": "declined", "message": "x" * 2001}, "message"),
        ({"status": "declined", "applicant_id": 3}, "applicant_id"),
    ],
)
def test_a_decision_with_bad_input_is_refused(
    body, field, client, world, in_arrangement, api_token
):
    """The posting side's answer: only in_conversation or declined, a text message; else 400."""
    job_id = other_org_job(in_arrangement, world)
    application_id = apply_to(client, api_token, world.meer.ermelo.emp, job_id)
    response = client.post(
        f"/api/v1/applications/{api_id('application', application_id)}/decision",
        json=body,
        headers=api_token(world.meer.harderwijk.lead_other),
    )
    assert response.status_code == 400
    assert field in problem_fields(response.get_json())
    with in_arrangement(world.meer.arrangement) as s:
        assert s.get(Application, key_of("application", application_id)).status == "submitted"


@pytest.mark.parametrize(
    "query, field",
    [
        ("page=0", "page"),
        ("page=abc", "page"),
        ("perPage=1000", "perPage"),
        ("status=lost", "status"),
        ("job=abc", "job"),
    ],
)
def test_bad_list_arguments_are_refused(query, field, client, world, api_token):
    """GET /applications with a bad page, per_page, status or job: 400 naming it. (Unknown
    query arguments are ignored, as is usual for links.)"""
    response = client.get(f"/api/v1/applications?{query}", headers=api_token(world.meer.ermelo.hr))
    assert response.status_code == 400
    assert field in problem_fields(response.get_json())


@pytest.mark.parametrize(
    "data, message",
    [
        ({"motivation": ""}, "Dit veld is verplicht."),
        ({"motivation": "   "}, "Dit veld is verplicht."),
        ({"motivation": "x" * 5001}, "Gebruik hoogstens 5000 tekens."),
        ({"motivation": "graag", "hours_per_week": "acht"}, "Vul een heel getal in."),
        ({"motivation": "graag", "hours_per_week": "0"}, "Kies 1 tot en met 40 uur per week."),
        ({"motivation": "graag", "hours_per_week": "41"}, "Kies 1 tot en met 40 uur per week."),
    ],
)
def test_the_respond_form_says_what_is_wrong(data, message, client, world, in_arrangement, login):
    """The form comes back with status 400 and the message next to the field; nothing saved;
    a posted ``organisation_id`` or ``status`` is simply ignored."""
    job_id = other_org_job(in_arrangement, world)
    login(client, world.meer.ermelo.emp)
    data = dict(data, organisation_id="2", status="matched")
    response = client.post(f"/klussen/{api_id('job', job_id)}/reageren", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and 'class="error-summary"' in page
    assert _count(in_arrangement, world) == 0


def test_the_decision_form_says_what_is_wrong(client, world, in_arrangement, api_token, login):
    """No choice made, or an unknown one: 400 with a message; the status stays."""
    job_id = other_org_job(in_arrangement, world)
    application_id = apply_to(client, api_token, world.meer.ermelo.emp, job_id)
    login(client, world.meer.harderwijk.lead_other)
    for data in ({}, {"status": "matched"}, {"status": "declined", "message": "x" * 2001}):
        response = client.post(
            f"/reacties/{api_id('application', application_id)}/besluit", data=data
        )
        assert response.status_code == 400
        assert 'class="error-summary"' in response.get_data(as_text=True)
    with in_arrangement(world.meer.arrangement) as s:
        assert s.get(Application, key_of("application", application_id)).status == "submitted"


SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_html_in_a_response_is_shown_as_text(
    client, world, in_arrangement, api_token, login, mail_outbox
):
    """Script and HTML in the motivation and the decision message are escaped on every page
    and arrive as plain text (never HTML) in the e-mail."""
    job_id = other_org_job(in_arrangement, world)
    emp = world.meer.ermelo.emp
    application_id = apply_to(client, api_token, emp, job_id, motivation=SCRIPT)
    poster = world.meer.harderwijk.lead_other
    client.post(
        f"/api/v1/applications/{api_id('application', application_id)}/decision",
        json={"status": "declined", "message": f"Helaas {SCRIPT}"},
        headers=api_token(poster),
    )
    for person, urls in (
        (
            poster,
            [
                f"/reacties/{api_id('application', application_id)}",
                f"/klussen/{api_id('job', job_id)}/reacties",
                "/reacties",
            ],
        ),
        (
            emp,
            [f"/reacties/{api_id('application', application_id)}", "/mijn-reacties", "/meldingen"],
        ),
    ):
        login(client, person)
        for url in urls:
            page = client.get(url).get_data(as_text=True)
            assert "<script>alert" not in page and "<img src=x" not in page, url
        detail = client.get(f"/reacties/{api_id('application', application_id)}").get_data(
            as_text=True
        )
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in detail
    for mail in mails_to(mail_outbox, emp) + mails_to(mail_outbox, poster):
        assert mail.content_subtype == "plain" and not getattr(mail, "alternatives", [])
    (decision,) = mails_to(mail_outbox, emp)
    assert SCRIPT in decision.body  # plain text: shown literally, never rendered
