"""Exchange types through the pages (issue 14): the proposal form, the decisions on the match
page and the document each type results in."""

from __future__ import annotations

from datetime import timedelta

from app.pool.models import Job
from tests.ids import api_id, public_id
from tests.matches.conftest import START
from tests.matches.test_exchange_types import typed_job
from tests.matches.test_flow_api import pdf_text
from tests.matches.test_flow_web import decide, match_id_from

TERMS = {
    "hours_per_week": "8",
    "start_date": START.isoformat(),
    "place_of_work": "",
    "supervisor_name": "",
    "supervisor_role": "",
    "cost_recharge": "none",
    "hourly_rate": "",
    "vat_treatment": "",
    "notes": "",
}


def test_a_meeloopdag_through_the_pages(app, world, scene, login, in_arrangement):
    """The job's line manager proposes a meeloopdag for the respondent: six days is refused on
    the form (400, nothing saved), two days go; employee, lending and borrowing approve on the
    match page, which names the type and offers the "Bevestiging meeloopdag", not an agreement."""
    meer = world.meer
    typed_job(in_arrangement, world, scene, "meeloopdag")
    lead = app.test_client()
    login(lead, meer.ermelo.lead)
    url = f"/detacheringen/nieuw?job={scene.job}&application={scene.application}"
    form = lead.get(url).get_data(as_text=True)
    assert "Meeloopdag" in form and "Ruilpartner" not in form
    too_long = lead.post(url, data={**TERMS, "end_date": (START + timedelta(days=5)).isoformat()})
    assert too_long.status_code == 400
    assert "hoogstens 5 dagen" in too_long.get_data(as_text=True)
    response = lead.post(url, data={**TERMS, "end_date": (START + timedelta(days=1)).isoformat()})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    match_id = match_id_from(response)
    employee, home_lead = app.test_client(), app.test_client()
    login(employee, meer.harderwijk.emp)
    login(home_lead, meer.harderwijk.lead)
    assert decide(employee, match_id).status_code == 302
    assert decide(home_lead, match_id).status_code == 302
    assert decide(lead, match_id).status_code == 302
    page = employee.get(f"/detacheringen/{api_id('match', match_id)}").get_data(as_text=True)
    assert "Meeloopdag" in page and "Bevestiging meeloopdag" in page
    pdf = employee.get(f"/detacheringen/{api_id('match', match_id)}/overeenkomst.pdf")
    assert pdf.status_code == 200 and "bevestiging-meeloopdag" in pdf.headers["Content-Disposition"]
    text = pdf_text(pdf.data)
    assert "Bevestiging meeloopdag" in text and "Detacheringsovereenkomst" not in text


def test_a_functieruil_through_the_pages(app, world, scene, login, in_arrangement):
    """The job's line manager proposes a functieruil with a counterpart from the form's list;
    both people approve, then the counterpart's and the employee's line managers; the page
    shows the Ruilpartner and the functieruilovereenkomst."""
    meer = world.meer
    typed_job(in_arrangement, world, scene, "functieruil")
    lead = app.test_client()
    login(lead, meer.ermelo.lead)
    url = f"/detacheringen/nieuw?job={scene.job}&application={scene.application}"
    form = lead.get(url).get_data(as_text=True)
    assert "Ruilpartner" in form and "Empother Ermelo" in form
    missing = lead.post(url, data={**TERMS, "end_date": (START + timedelta(days=90)).isoformat()})
    assert missing.status_code == 400
    response = lead.post(
        url,
        data={
            **TERMS,
            "end_date": (START + timedelta(days=90)).isoformat(),
            "counterpart_id": str(public_id("user", meer.ermelo.emp_other.id)),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    match_id = match_id_from(response)
    people = {}
    for name in ("emp", "counterpart", "home_lead", "counterpart_lead"):
        people[name] = app.test_client()
    login(people["emp"], meer.harderwijk.emp)
    login(people["counterpart"], meer.ermelo.emp_other)
    login(people["home_lead"], meer.harderwijk.lead)
    login(people["counterpart_lead"], meer.ermelo.lead_other)
    page = (
        people["counterpart"]
        .get(f"/detacheringen/{api_id('match', match_id)}")
        .get_data(as_text=True)
    )
    assert "Ruilpartner" in page and "Jouw besluit" in page
    assert (
        people["counterpart_lead"].get(f"/detacheringen/{api_id('match', match_id)}").status_code
        == 404
    )
    assert decide(people["emp"], match_id).status_code == 302
    assert (
        people["counterpart_lead"].get(f"/detacheringen/{api_id('match', match_id)}").status_code
        == 404
    )
    assert decide(people["counterpart"], match_id).status_code == 302
    assert decide(people["home_lead"], match_id).status_code == 302
    assert decide(people["counterpart_lead"], match_id).status_code == 302
    page = people["emp"].get(f"/detacheringen/{api_id('match', match_id)}").get_data(as_text=True)
    assert "Functieruilovereenkomst" in page
    pdf = people["counterpart"].get(f"/detacheringen/{api_id('match', match_id)}/overeenkomst.pdf")
    assert pdf.status_code == 200
    text = pdf_text(pdf.data)
    assert "Functieruilovereenkomst" in text and "Empother Ermelo" in text
    with in_arrangement(meer.arrangement.id) as s:
        assert s.get(Job, scene.keys.job).type == "functieruil"
    # The swap is the counterpart's own data too: their export holds it.
    export = people["counterpart"].get("/mijn-gegevens.json").get_json()
    (swap,) = export["matches"]
    assert (swap["id"], swap["type"]) == (match_id, "functieruil")
    assert swap["counterpart"]["name"] == "Empother Ermelo"
