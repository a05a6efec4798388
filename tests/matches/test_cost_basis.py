"""Cost basis and VAT treatment on the terms (issue 14): the new fields, the old
``costRecharge``/``hourlyRate`` still working (CONTRACT.md "Matches"), bad combinations as 400
naming the field, and the agreement stating both."""

from __future__ import annotations

from sqlalchemy import func, select

from app.matches import pdf
from app.matches.models import Match
from tests.api_helpers import problem_fields
from tests.ids import api_id
from tests.matches.helpers import propose
from tests.matches.pdf_helpers import sample_context


def _terms(client, headers, match_id) -> dict:
    response = client.get(f"/api/v1/matches/{api_id('match', match_id)}", headers=headers)
    assert response.status_code == 200
    return response.get_json()["terms"]


def test_old_and_new_fields_map_onto_each_other(client, world, scene, api_token):
    lead = api_token(world.meer.ermelo.lead)
    # The CONTRACT's fields only: hourly → a fixed hourly rate, taxed in principle.
    match_id = propose(
        client, lead, application_id=scene.application, cost_recharge="hourly", hourly_rate="61.00"
    )
    terms = _terms(client, lead, match_id)
    assert (terms["costRecharge"], terms["costBasis"], terms["hourlyRate"], terms["vatCode"]) == (
        "hourly",
        "hourly_rate",
        "61.00",
        "vat_21",
    )
    # Employer costs with an amount per hour, exempt with a reason: costRecharge reads hourly.
    body = {
        "costBasis": "employer_costs",
        "hourlyRate": "51.20",
        "vatCode": "exempt_cost_sharing",
        "vatTreatment": "kostendeling volgens verdeelsleutel 2026",
    }
    r = client.patch(f"/api/v1/matches/{api_id('match', match_id)}", json=body, headers=lead)
    assert r.status_code == 200, r.get_json()
    terms = r.get_json()["terms"]
    assert (terms["costRecharge"], terms["costBasis"], terms["hourlyRate"]) == (
        "hourly",
        "employer_costs",
        "51.20",
    )
    assert (terms["vatCode"], terms["vatTreatment"]) == (
        "exempt_cost_sharing",
        "kostendeling volgens verdeelsleutel 2026",
    )
    # An old client sending costRecharge hourly keeps the employer costs agreed.
    r = client.patch(
        f"/api/v1/matches/{api_id('match', match_id)}",
        json={"costRecharge": "hourly"},
        headers=lead,
    )
    assert r.get_json()["terms"]["costBasis"] == "employer_costs"
    # costRecharge none: no charge, and so no VAT.
    r = client.patch(
        f"/api/v1/matches/{api_id('match', match_id)}", json={"costRecharge": "none"}, headers=lead
    )
    terms = r.get_json()["terms"]
    assert (terms["costBasis"], terms["hourlyRate"], terms["vatCode"]) == ("none", None, "no_fee")


def test_bad_combinations_are_400_and_save_nothing(client, world, scene, api_token, in_arrangement):
    lead = api_token(world.meer.ermelo.lead)
    cases = [
        ({"costBasis": "monthly"}, "costBasis"),
        ({"costBasis": "employer_costs"}, "hourlyRate"),  # no amount, no default at the lender
        ({"costBasis": "none", "vatCode": "vat_21"}, "vatCode"),
        ({"costBasis": "hourly_rate", "hourlyRate": "50", "vatCode": "no_fee"}, "vatCode"),
        ({"costBasis": "none", "costRecharge": "hourly"}, "costRecharge"),
        ({"vatCode": "vat_9"}, "vatCode"),
        ({"costBasis": True}, "costBasis"),
    ]
    for extra, field in cases:
        r = client.post(
            "/api/v1/matches", json={"applicationId": scene.application, **extra}, headers=lead
        )
        assert r.status_code == 400, (extra, r.get_json())
        assert field in problem_fields(r.get_json()), (extra, r.get_json())
    with in_arrangement(world.meer.arrangement.id) as s:
        assert s.scalar(select(func.count(Match.id))) == 0


def test_the_web_form_takes_cost_basis_and_vat(app, world, scene, login, in_arrangement):
    client = app.test_client()
    login(client, world.meer.ermelo.lead)
    url = f"/detacheringen/nieuw?job={scene.job}&application={scene.application}"
    assert 'name="cost_basis"' in client.get(url).get_data(as_text=True)
    response = client.post(
        url,
        data={
            "hours_per_week": "12",
            "start_date": "2030-03-01",
            "end_date": "2030-08-31",
            "confirm_outside_job_period": "y",
            "cost_basis": "employer_costs",
            "hourly_rate": "47.10",
            "vat_code": "",
            "vat_treatment": "",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with in_arrangement(world.meer.arrangement.id) as s:
        match = s.scalars(select(Match)).one()
        assert (match.cost_basis, match.cost_recharge, str(match.hourly_rate), match.vat_code) == (
            "employer_costs",
            "hourly",
            "47.10",
            "vat_21",  # left to the default: a fee is in principle taxed
        )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Werkgeverslasten" in page and "21 procent btw" in page


def test_the_agreement_states_cost_basis_and_vat():
    employer = sample_context(
        terms__cost_recharge="salary_costs",
        terms__hourly_rate="47.10",
        terms__vat_code="exempt_cost_sharing",
        terms__vat_treatment="verdeelsleutel 2026",
    )
    html = " ".join(pdf.render_agreement_html(employer).split())
    assert "werkelijke werkgeverslasten" in html and "€ 47,10 per gewerkt uur" in html
    assert "vooraf afgesproken verdeelsleutel (verdeelsleutel 2026)" in html
    taxed = sample_context(terms__vat_code="vat_21", terms__vat_treatment="")
    html = " ".join(pdf.render_agreement_html(taxed).split())
    assert "uurtarief van € 72,00" in html and "21% btw verschuldigd" in html
