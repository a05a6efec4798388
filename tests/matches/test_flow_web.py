"""The whole flow of a match through the web pages: from a job's candidate list to the
downloaded agreement, cross-organisation and inside one organisation."""

from __future__ import annotations

import re

from app.matches.models import Match
from tests.ids import api_id, key_of, public_id
from tests.matches.test_flow_api import pdf_text


def match_id_from(response) -> int:
    return int(re.search(r"/detacheringen/(\d+)$", response.headers["Location"]).group(1))


def decide(client, match_id, decision="approve", party=None, reason=""):
    data = {"decision": decision, f"{party}-reason" if party else "reason": reason}
    if party:
        data["party"] = party
    return client.post(f"/detacheringen/{api_id('match', match_id)}/besluit", data=data)


def test_cross_organisation_flow_through_the_pages(app, world, scene, login, in_arrangement):
    """The job's line manager finds the response among the candidates (with reasons), proposes
    with the lender's rate preselected; employee, lending line manager and borrowing line
    manager approve on the match page; everyone party downloads the agreement."""
    meer = world.meer
    lead = app.test_client()
    login(lead, meer.ermelo.lead)
    page = lead.get(f"/klussen/{scene.job}/kandidaten")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Emp Harderwijk" in html and "van 2 vaardigheden" in html
    assert f"/detacheringen/nieuw?job={scene.job}&amp;application={scene.application}" in html

    form = lead.get(f"/detacheringen/nieuw?job={scene.job}&application={scene.application}")
    assert form.status_code == 200
    response = lead.post(
        f"/detacheringen/nieuw?job={scene.job}&application={scene.application}",
        data={
            "hours_per_week": "12",
            "start_date": "2030-03-01",
            "end_date": "2030-08-31",
            "confirm_outside_job_period": "y",  # the job runs START..END
            "place_of_work": "Gemeentehuis Ermelo",
            "supervisor_name": "Lead Ermelo",
            "supervisor_role": "teamleider",
            "cost_recharge": "none",
            "hourly_rate": "",
            "vat_treatment": "",
            "notes": "",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    match_id = match_id_from(response)

    home_lead = app.test_client()
    login(home_lead, meer.harderwijk.lead)
    assert home_lead.get(f"/detacheringen/{api_id('match', match_id)}").status_code == 404

    employee = app.test_client()
    login(employee, meer.harderwijk.emp)
    page = employee.get(f"/detacheringen/{api_id('match', match_id)}").get_data(as_text=True)
    assert "Jouw besluit" in page
    assert decide(employee, match_id).status_code == 302

    page = home_lead.get(f"/detacheringen/{api_id('match', match_id)}")
    assert page.status_code == 200 and "Jouw besluit" in page.get_data(as_text=True)
    assert decide(home_lead, match_id).status_code == 302
    assert decide(lead, match_id).status_code == 302

    page = employee.get(f"/detacheringen/{api_id('match', match_id)}").get_data(as_text=True)
    assert "Overeengekomen" in page or "Lopend" in page
    pdf = employee.get(f"/detacheringen/{api_id('match', match_id)}/overeenkomst.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert "Emp Harderwijk" in pdf_text(pdf.data)


def test_same_organisation_flow_with_hr_deciding_for_both_sides(
    app, world, scene, login, in_arrangement
):
    """Inside one organisation HR is lending and borrowing party at once: the page offers a
    decision per party; the employee's own line manager (other department) only sees the
    match after the employee's approval."""
    ermelo = world.meer.ermelo
    hr = app.test_client()
    login(hr, ermelo.hr)
    page = hr.get(f"/klussen/{scene.same_org_job}/kandidaten").get_data(as_text=True)
    assert "Zelf iemand voorstellen" in page
    other = public_id("user", ermelo.emp_other.id)
    url = f"/detacheringen/nieuw?job={scene.same_org_job}&employee={other}"
    form = hr.get(url).get_data(as_text=True)
    assert 'name="hours_per_week"' in form
    response = hr.post(
        url,
        data={
            "hours_per_week": "8",
            "start_date": "2030-01-06",
            "end_date": "2030-02-28",
            "cost_recharge": "none",
            "confirm_outside_job_period": "y",  # the job runs START..END
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    match_id = match_id_from(response)

    own_lead = app.test_client()
    login(own_lead, ermelo.lead_other)
    assert own_lead.get(f"/detacheringen/{api_id('match', match_id)}").status_code == 404
    assert "Emp" not in own_lead.get("/detacheringen").get_data(as_text=True).split("<main")[1]

    employee = app.test_client()
    login(employee, ermelo.emp_other)
    assert decide(employee, match_id).status_code == 302
    assert own_lead.get(f"/detacheringen/{api_id('match', match_id)}").status_code == 200

    page = hr.get(f"/detacheringen/{api_id('match', match_id)}").get_data(as_text=True)
    assert "Jouw besluit als uitlenende organisatie" in page
    assert "Jouw besluit als inlenende organisatie" in page
    assert decide(hr, match_id, party="lending").status_code == 302
    assert decide(hr, match_id, party="borrowing").status_code == 302
    with in_arrangement(world.meer.arrangement.id) as s:
        match = s.get(Match, key_of("match", match_id))
        assert match.status == "agreed"
        assert not match.cross_organisation
        assert match.latest_agreement().status == "ready"
    pdf = own_lead.get(f"/detacheringen/{api_id('match', match_id)}/overeenkomst.pdf")
    assert pdf.status_code == 200
    text = pdf_text(pdf.data)
    assert "Empother Ermelo" in text and "Hr Ermelo" in text


def test_hr_sees_the_agreement_flags_before_approving(app, client, world, scene, login, api_token):
    """A paid secondment: once the employee agreed, HR of either side sees the procurement and
    VAT flags on the match page before approving; the employee's page has no such section.
    Before the employee's consent HR of neither side sees the page (issue 10, finding 14)."""
    meer = world.meer
    r = client.post(
        "/api/v1/matches",
        json={
            "applicationId": scene.application,
            "costRecharge": "hourly",
            "hourlyRate": "70.00",
        },
        headers=api_token(meer.ermelo.lead),
    )
    match_id = r.get_json()["id"]
    hr_clients = []
    for hr_user in (meer.ermelo.hr, meer.harderwijk.hr):
        hr = app.test_client()
        login(hr, hr_user)
        assert hr.get(f"/detacheringen/{api_id('match', match_id)}").status_code == 404, (
            hr_user.email
        )
        hr_clients.append(hr)
    employee = app.test_client()
    login(employee, meer.harderwijk.emp)
    page = employee.get(f"/detacheringen/{api_id('match', match_id)}").get_data(as_text=True)
    assert "Aandachtspunten" not in page
    r = employee.post(
        f"/detacheringen/{api_id('match', match_id)}/besluit",
        data={"decision": "decline", "party": "employee", "employee-reason": ""},
    )
    assert r.status_code == 400 and "Geef een reden op" in r.get_data(as_text=True)
    r = employee.post(
        f"/detacheringen/{api_id('match', match_id)}/besluit",
        data={"decision": "approve", "party": "employee", "employee-reason": ""},
    )
    assert r.status_code == 302
    for hr in hr_clients:
        page = hr.get(f"/detacheringen/{api_id('match', match_id)}").get_data(as_text=True)
        assert "Aandachtspunten voor P&" in page
        assert "Aanbesteding" in page and "Btw" in page
