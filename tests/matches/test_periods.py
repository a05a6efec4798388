"""The period of a proposal: one that has already ended is refused (API 400, form error, nothing
saved); one outside the job's own period needs the explicit confirmation
``confirm_outside_job_period`` (API) or the tick on the form; an edit may not move the end into
the past. And "Voorwaarden wijzigen" has the lender's default rate filled in."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select

from app.dates import today
from app.matches.models import Match
from tests.api_helpers import problem_fields
from tests.ids import api_id
from tests.matches.conftest import END, START
from tests.matches.helpers import propose


def _matches(in_arrangement, world) -> int:
    with in_arrangement(world.meer.arrangement.id) as s:
        return s.scalar(select(func.count(Match.id)))


def test_a_proposal_in_the_past_is_refused(client, world, scene, api_token, in_arrangement):
    """Ended yesterday, or 2020 altogether: 400 at ``end_date``, even when confirmed."""
    lead = api_token(world.meer.ermelo.lead)
    yesterday = today() - timedelta(days=1)
    for start, end in ((yesterday - timedelta(days=10), yesterday), ("2020-01-01", "2020-03-01")):
        r = client.post(
            "/api/v1/matches",
            json={
                "applicationId": scene.application,
                "startDate": str(start),
                "endDate": str(end),
                "confirmOutsideJobPeriod": True,
            },
            headers=lead,
        )
        assert r.status_code == 400, r.get_json()
        assert problem_fields(r.get_json())["endDate"]
    assert _matches(in_arrangement, world) == 0


def test_outside_the_jobs_period_needs_confirmation(
    client, world, scene, api_token, in_arrangement
):
    """Starting before the job or ending after it: 400 at ``confirm_outside_job_period`` with
    the job's period in the message; with the flag true it is accepted. Inside: no flag needed.
    The flag is a strict boolean."""
    lead = api_token(world.meer.ermelo.lead)
    body = {"applicationId": scene.application}
    for start, end in ((START - timedelta(days=1), END), (START, END + timedelta(days=1))):
        period = {"startDate": str(start), "endDate": str(end)}
        r = client.post("/api/v1/matches", json={**body, **period}, headers=lead)
        assert r.status_code == 400, r.get_json()
        (message,) = problem_fields(r.get_json())["confirmOutsideJobPeriod"]
        assert START.isoformat() not in message and str(START.year) in message
    bad = client.post(
        "/api/v1/matches", json={**body, "confirmOutsideJobPeriod": "ja"}, headers=lead
    )
    assert bad.status_code == 400
    assert _matches(in_arrangement, world) == 0
    period = {"startDate": str(START), "endDate": str(END + timedelta(days=1))}
    propose(client, lead, **body, **period, confirm_outside_job_period=True)
    assert _matches(in_arrangement, world) == 1


def test_inside_the_jobs_period_needs_no_confirmation(client, world, scene, api_token):
    """The job's own period (the default terms) goes through as before."""
    lead = api_token(world.meer.ermelo.lead)
    propose(client, lead, application_id=scene.application)


def test_the_proposal_form_asks_for_the_confirmation(app, world, scene, login, in_arrangement):
    """The form shows the job's period and the tick; without it a period outside the job's
    comes back 400 with the message at the tick; with it the proposal is made."""
    lead = app.test_client()
    login(lead, world.meer.ermelo.lead)
    url = f"/detacheringen/nieuw?job={scene.job}&application={scene.application}"
    page = lead.get(url).get_data(as_text=True)
    assert 'name="confirm_outside_job_period"' in page
    data = {
        "hours_per_week": "8",
        "start_date": START.isoformat(),
        "end_date": (END + timedelta(days=30)).isoformat(),
        "cost_recharge": "none",
    }
    refused = lead.post(url, data=data)
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert "buiten die van de klus" in html and 'id="confirm_outside_job_period-error"' in html
    assert _matches(in_arrangement, world) == 0
    past = lead.post(url, data={**data, "start_date": "2020-01-01", "end_date": "2020-03-01"})
    assert past.status_code == 400
    assert "De einddatum ligt in het verleden." in past.get_data(as_text=True)
    accepted = lead.post(url, data={**data, "confirm_outside_job_period": "y"})
    assert accepted.status_code == 302
    assert _matches(in_arrangement, world) == 1


def test_an_edit_cannot_move_the_end_into_the_past(client, world, scene, api_token):
    """Changing the terms to an end date before today: 400 at ``end_date``."""
    lead = api_token(world.meer.ermelo.lead)
    match_id = propose(client, lead, application_id=scene.application)
    r = client.patch(
        f"/api/v1/matches/{api_id('match', match_id)}",
        json={"startDate": "2020-01-01", "endDate": "2020-02-01"},
        headers=lead,
    )
    assert r.status_code == 400 and "endDate" in problem_fields(r.get_json())


def test_changing_the_terms_has_the_default_rate_filled_in(
    app, client, world, scene, api_token, login, in_arrangement
):
    """A proposal without recharge: "Voorwaarden wijzigen" shows the lender's default rate in
    the rate field (as its help says), and a switch to hourly without a rate takes it."""
    from tenants.models import Organisation

    with in_arrangement(world.meer.arrangement.id) as s:
        s.get(Organisation, world.meer.harderwijk.org.id).default_hourly_rate = Decimal("58.75")
        s.commit()
    lead = api_token(world.meer.ermelo.lead)
    match_id = propose(client, lead, application_id=scene.application, cost_recharge="none")
    browser = app.test_client()
    login(browser, world.meer.ermelo.lead)
    page = browser.get(f"/detacheringen/{api_id('match', match_id)}/voorwaarden").get_data(
        as_text=True
    )
    assert 'value="58.75"' in page
    r = client.patch(
        f"/api/v1/matches/{api_id('match', match_id)}",
        json={"costRecharge": "hourly"},
        headers=lead,
    )
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["terms"]["hourlyRate"] == "58.75"
