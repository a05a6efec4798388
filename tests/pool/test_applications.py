"""Responses (reacties): always possible, once per person, withdrawn by the applicant, answered
by the posting side, and everyone who must know is told."""

from __future__ import annotations

from app.pool.models import Application, Job, Notification
from tests.ids import api_id, internal_id, public_id
from tests.pool.jobs_factory import make_job
from tests.pool.privacy_world import SECRET_MOTIVATION, apply_to, mails_to, other_org_job


def test_an_employee_responds_to_a_job_of_another_organisation(
    client, world, in_arrangement, api_token, mail_outbox
):
    """POST /jobs/{id}/applications → 201 {id, job_id, status}; the poster is told in the app
    and by e-mail; the applicant's own line manager hears nothing."""
    job_id = other_org_job(in_arrangement, world)
    emp = world.meer.ermelo.emp
    response = client.post(
        f"/api/v1/jobs/{api_id('job', job_id)}/applications",
        json={"motivation": SECRET_MOTIVATION},
        headers=api_token(emp),
    )
    assert response.status_code == 201
    body = response.get_json()
    assert body["jobId"] == job_id and body["status"] == "submitted" and body["id"]
    poster = world.meer.harderwijk.lead_other
    (mail,) = mails_to(mail_outbox, poster)
    assert emp.name in mail.body and "Notulist crisisoverleg Harderwijk" in mail.subject
    assert SECRET_MOTIVATION not in mail.body  # the e-mail points to the page, it does not copy
    assert mails_to(mail_outbox, world.meer.ermelo.lead) == []
    with in_arrangement(world.meer.arrangement) as s:
        kinds = {(n.user_id, n.kind) for n in s.query(Notification)}
    assert kinds == {(poster.id, "application_new")}


def test_a_second_response_by_the_same_person_is_a_conflict(
    client, world, in_arrangement, api_token
):
    """Once per person per job: the second POST is a 409 and nothing more is saved."""
    job_id = other_org_job(in_arrangement, world)
    apply_to(client, api_token, world.meer.ermelo.emp, job_id)
    again = client.post(
        f"/api/v1/jobs/{api_id('job', job_id)}/applications",
        json={"motivation": "nog een keer"},
        headers=api_token(world.meer.ermelo.emp),
    )
    assert again.status_code == 409
    assert again.get_json()["code"] == "conflict"
    with in_arrangement(world.meer.arrangement) as s:
        assert s.query(Application).count() == 1


def test_a_job_the_caller_may_not_see_is_not_found(client, world, in_arrangement, api_token):
    """An organisation-only job of another organisation: 404, as if it did not exist; a job of
    another arrangement too."""
    job_id = other_org_job(in_arrangement, world, visibility="organisation")
    elsewhere = public_id("job", make_job(in_arrangement, world.elders.andere.lead))
    for jid in (job_id, elsewhere, 999999):
        response = client.post(
            f"/api/v1/jobs/{api_id('job', jid)}/applications",
            json={"motivation": "graag"},
            headers=api_token(world.meer.ermelo.emp),
        )
        assert response.status_code == 404
    assert (
        client.get(f"/klussen/{api_id('job', job_id)}/reageren", headers={}).status_code == 302
    )  # not logged in: to the login page


def test_a_closed_or_filled_job_takes_no_responses(client, world, in_arrangement, api_token):
    """Responding to a job that is no longer open is a 409."""
    closed = other_org_job(in_arrangement, world)
    filled = other_org_job(in_arrangement, world, title="Vervuld")
    with in_arrangement(world.meer.arrangement) as s:
        s.get(Job, internal_id("job", closed)).status = "closed"
        s.get(Job, internal_id("job", filled)).status = "filled"
        s.commit()
    for jid in (closed, filled):
        response = client.post(
            f"/api/v1/jobs/{api_id('job', jid)}/applications",
            json={"motivation": "graag"},
            headers=api_token(world.meer.ermelo.emp),
        )
        assert response.status_code == 409


def test_the_applicant_sees_and_withdraws_their_own_response(
    client, world, in_arrangement, api_token, login
):
    """/mijn-reacties lists the own responses; withdrawing asks for confirmation first, then
    works once, then it is a 409."""
    job_id = other_org_job(in_arrangement, world)
    emp = world.meer.ermelo.emp
    app_id = apply_to(client, api_token, emp, job_id)
    login(client, emp)
    page = client.get("/mijn-reacties").get_data(as_text=True)
    assert "Notulist crisisoverleg Harderwijk" in page and "Verstuurd" in page
    asked = client.post(
        f"/reacties/{api_id('application', app_id)}/intrekken"
    )  # one click only asks
    assert asked.status_code == 200 and "Reactie intrekken?" in asked.get_data(as_text=True)
    assert "Ingetrokken" not in client.get("/mijn-reacties").get_data(as_text=True)
    response = client.post(
        f"/reacties/{api_id('application', app_id)}/intrekken", data={"confirm": "1"}
    )
    assert response.status_code == 302
    assert "Ingetrokken" in client.get("/mijn-reacties").get_data(as_text=True)
    again = client.post(
        f"/api/v1/applications/{api_id('application', app_id)}/withdraw", headers=api_token(emp)
    )
    assert again.status_code == 409


def test_only_the_applicant_withdraws(client, world, in_arrangement, api_token):
    """The poster may see the response but not withdraw it (403); others do not see it (404)."""
    job_id = other_org_job(in_arrangement, world)
    app_id = apply_to(client, api_token, world.meer.ermelo.emp, job_id)
    poster = api_token(world.meer.harderwijk.lead_other)
    assert (
        client.post(
            f"/api/v1/applications/{api_id('application', app_id)}/withdraw", headers=poster
        ).status_code
        == 403
    )
    lead = api_token(world.meer.ermelo.lead)
    assert (
        client.post(
            f"/api/v1/applications/{api_id('application', app_id)}/withdraw", headers=lead
        ).status_code
        == 404
    )


def test_the_posting_side_declines_kindly_and_the_applicant_is_told(
    client, world, in_arrangement, api_token, login, mail_outbox
):
    """The job's line manager marks the response declined with a message; the applicant gets a
    notification and an e-mail with the message; nobody else is told."""
    job_id = other_org_job(in_arrangement, world)
    emp = world.meer.ermelo.emp
    app_id = apply_to(client, api_token, emp, job_id)
    mail_outbox.clear()
    poster = world.meer.harderwijk.lead_other
    login(client, poster)
    listing = client.get(f"/klussen/{api_id('job', job_id)}/reacties")
    assert listing.status_code == 200 and emp.name in listing.get_data(as_text=True)
    response = client.post(
        f"/reacties/{api_id('application', app_id)}/besluit",
        data={"status": "declined", "message": "Dank je wel! Deze keer kiezen we iemand anders."},
    )
    assert response.status_code == 302
    assert [m.to for m in mail_outbox] == [[emp.email]]
    assert "Deze keer kiezen we iemand anders." in mail_outbox[0].body
    login(client, emp)
    notes = client.get("/meldingen").get_data(as_text=True)
    assert "is afgewezen" in notes
    detail = client.get(f"/reacties/{api_id('application', app_id)}").get_data(as_text=True)
    assert "Afgewezen" in detail and "Deze keer kiezen we iemand anders." in detail
    # A declined response is closed: no second decision.
    again = client.post(
        f"/api/v1/applications/{api_id('application', app_id)}/decision",
        json={"status": "in_conversation"},
        headers=api_token(poster),
    )
    assert again.status_code == 409


def test_in_conversation_through_the_api(client, world, in_arrangement, api_token, mail_outbox):
    """HR of the job's organisation may mark a response as in conversation; HR of the
    applicant's organisation sees it but may not decide (403)."""
    job_id = other_org_job(in_arrangement, world)
    app_id = apply_to(client, api_token, world.meer.ermelo.emp, job_id)
    own_hr = api_token(world.meer.ermelo.hr)
    body = {"status": "in_conversation", "message": "Bel je even?"}
    refused = client.post(
        f"/api/v1/applications/{api_id('application', app_id)}/decision", json=body, headers=own_hr
    )
    assert refused.status_code == 403
    job_hr = api_token(world.meer.harderwijk.hr)
    ok = client.post(
        f"/api/v1/applications/{api_id('application', app_id)}/decision", json=body, headers=job_hr
    )
    assert ok.status_code == 200 and ok.get_json()["status"] == "in_conversation"
    seen = client.get(
        f"/api/v1/applications/{api_id('application', app_id)}", headers=own_hr
    ).get_json()
    assert seen["decisionMessage"] == "Bel je even?"


def test_the_respond_page(client, world, in_arrangement, login):
    """One short form: motivation and optional hours; sent once, then the page says so."""
    job_id = other_org_job(in_arrangement, world)
    login(client, world.meer.ermelo.emp)
    form = client.get(f"/klussen/{api_id('job', job_id)}/reageren")
    assert form.status_code == 200 and 'name="motivation"' in form.get_data(as_text=True)
    sent = client.post(
        f"/klussen/{api_id('job', job_id)}/reageren",
        data={"motivation": "Graag!", "hours_per_week": "6"},
    )
    assert sent.status_code == 302
    again = client.get(f"/klussen/{api_id('job', job_id)}/reageren").get_data(as_text=True)
    assert "Je hebt al op deze klus gereageerd." in again
    assert (
        client.post(
            f"/klussen/{api_id('job', job_id)}/reageren", data={"motivation": "x"}
        ).status_code
        == 409
    )


def test_the_responses_page_is_for_the_posting_side(
    client, world, in_arrangement, login, api_token
):
    """/klussen/{id}/reacties: the posting side sees the list; someone who only sees the job
    gets 403; someone who may not see the job gets 404."""
    job_id = other_org_job(in_arrangement, world)
    org_only = other_org_job(in_arrangement, world, visibility="organisation", title="Intern")
    apply_to(client, api_token, world.meer.ermelo.emp, job_id)
    login(client, world.meer.harderwijk.hr)
    assert client.get(f"/klussen/{api_id('job', job_id)}/reacties").status_code == 200
    login(client, world.meer.ermelo.lead)
    assert client.get(f"/klussen/{api_id('job', job_id)}/reacties").status_code == 403
    assert client.get(f"/klussen/{api_id('job', org_only)}/reacties").status_code == 404
