"""Small things of everyday use on the match pages: the employee reads, next to "Akkoord",
that their line manager hears of the proposal only once they approve; candidate names link to
the response or offer; "Zelf iemand voorstellen" lists only people who can be proposed."""

from __future__ import annotations

from tests.ids import api_id
from tests.matches.helpers import propose

LATER = "Jouw leidinggevende hoort pas van dit voorstel als jij akkoord geeft."


def test_the_employee_reads_the_consequence_next_to_akkoord(
    app, client, world, scene, api_token, login
):
    """Before the employee decides: the sentence the e-mail has, inside the decision form; not
    for the other parties, and gone once the employee decided."""
    lead = api_token(world.meer.ermelo.lead)
    match_id = propose(client, lead, application_id=scene.application)
    emp = app.test_client()
    login(emp, world.meer.harderwijk.emp)
    page = emp.get(f"/detacheringen/{api_id('match', match_id)}").get_data(as_text=True)
    form = page[page.index('class="decision"') :]
    assert LATER in form and form.index(LATER) < form.index('value="approve"')
    hr = app.test_client()
    login(hr, world.meer.ermelo.hr)
    assert LATER not in hr.get(f"/detacheringen/{api_id('match', match_id)}").get_data(as_text=True)
    client.post(
        f"/api/v1/matches/{api_id('match', match_id)}/decision",
        json={"decision": "approve"},
        headers=api_token(world.meer.harderwijk.emp),
    )
    assert LATER not in emp.get(f"/detacheringen/{api_id('match', match_id)}").get_data(
        as_text=True
    )


def test_candidate_names_link_to_the_response_and_the_offer(app, world, scene, login):
    """The job's line manager sees the response to their job: the name opens it (and an
    offer's name opens the offer, for who may see it)."""
    lead = app.test_client()
    login(lead, world.meer.ermelo.lead)
    page = lead.get(f"/klussen/{scene.job}/kandidaten").get_data(as_text=True)
    assert (
        f'<a href="/reacties/{api_id("application", scene.application)}">Emp Harderwijk</a>' in page
    )
    coordinator = app.test_client()
    login(coordinator, world.meer.coordinator)
    page = coordinator.get(f"/klussen/{scene.job}/kandidaten").get_data(as_text=True)
    assert f'<a href="/krachten/{api_id("offer", scene.offer)}">' in page


def test_only_eligible_people_are_offered_for_a_direct_proposal(app, world, scene, login):
    """HR of Ermelo proposing for Ermelo's own job: staff of Ermelo, without HR advisers and
    coordinators, and without themselves."""
    hr = app.test_client()
    login(hr, world.meer.ermelo.hr)
    page = hr.get(f"/klussen/{scene.same_org_job}/kandidaten").get_data(as_text=True)
    form = page[page.index("Zelf iemand voorstellen") :]
    assert world.meer.ermelo.emp_other.name in form
    assert world.meer.ermelo.hr.name not in form
    assert world.meer.coordinator.name not in form  # (the coordinator works at Ermelo)


def test_english_reads_the_points_for_hr_and_approved(app, client, world, scene, api_token, login):
    """In English the points for HR are English too, and a given approval reads "Approved"
    (the button stays "Approve")."""
    lead = api_token(world.meer.ermelo.lead)
    match_id = propose(client, lead, application_id=scene.application, cost_recharge="hourly",
                       hourly_rate="50.00")  # fmt: skip
    client.post(
        f"/api/v1/matches/{api_id('match', match_id)}/decision",
        json={"decision": "approve"},
        headers=api_token(world.meer.harderwijk.emp),
    )
    hr = app.test_client()
    login(hr, world.meer.ermelo.hr)
    hr.post("/taal", data={"locale": "en", "next": "/start"})
    page = hr.get(f"/detacheringen/{api_id('match', match_id)}").get_data(as_text=True)
    assert "Procurement" in page and "Aanbesteding" not in page
    assert "Paid secondment at an hourly rate" in page
    assert "Approved" in page and ">Approve<" in page


def test_form_errors_are_not_headed_like_a_crash(app, world, scene, login):
    """A form sent back with errors says to check the input, not "Er ging iets mis"."""
    lead = app.test_client()
    login(lead, world.meer.ermelo.lead)
    url = f"/detacheringen/nieuw?job={scene.job}&application={scene.application}"
    page = lead.post(url, data={"hours_per_week": "99"}).get_data(as_text=True)
    assert "Controleer wat je hebt ingevuld" in page and "Er ging iets mis" not in page


def test_hr_and_coordinators_propose_from_an_offer(app, world, scene, login):
    """The coordinator (who may see the offer) finds on it the fitting open jobs, each with a
    link to propose the employee for it; the employee's own page has no such section."""
    coordinator = app.test_client()
    login(coordinator, world.meer.coordinator)
    page = coordinator.get(f"/krachten/{scene.offer}").get_data(as_text=True)
    assert "Voorstellen voor een klus" in page
    assert f"/detacheringen/nieuw?job={scene.job}&amp;capacity={scene.offer}" in page
    form = coordinator.get(f"/detacheringen/nieuw?job={scene.job}&capacity={scene.offer}")
    assert form.status_code == 200
    employee = app.test_client()
    login(employee, world.meer.harderwijk.emp2)
    assert "Voorstellen voor een klus" not in employee.get(f"/krachten/{scene.offer}").get_data(
        as_text=True
    )
