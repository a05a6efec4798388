"""A match's terms are checked by one set of rules (issue 9, :func:`app.matches.terms.check_terms`):
the form (change of terms page), the API (``PATCH /matches/{id}``) and the operation itself
refuse the same bad term on the same field with the same message.

Were the hours, the period, the rate or a length checked again, differently, in the form or the
schema, these cases would tell."""

from __future__ import annotations

import html
import re
from datetime import date
from decimal import Decimal

import pytest

from app.api import camelize
from app.errors import InvalidInput
from app.matches.terms import TEXT_LIMITS, check_terms, clean_terms
from tests.api_helpers import problem_fields
from tests.ids import api_id
from tests.matches.helpers import propose

#: Terms that pass, as the form posts them.
GOOD = {
    "hours_per_week": "12",
    "start_date": "2030-03-01",
    "end_date": "2030-08-31",
    "place_of_work": "Gemeentehuis Ermelo",
    "supervisor_name": "Lead Ermelo",
    "supervisor_role": "teamleider",
    "cost_basis": "hourly_rate",
    "hourly_rate": "50.00",
    "vat_code": "",
    "vat_treatment": "",
    "notes": "",
}

#: (the bad terms as the form posts them, the field that is wrong, its message)
CASES = [
    ({"hours_per_week": "0"}, "hours_per_week", "Kies 1 tot en met 40 uur per week."),
    ({"hours_per_week": "41"}, "hours_per_week", "Kies 1 tot en met 40 uur per week."),
    (
        {"start_date": "2030-05-10", "end_date": "2030-05-01"},
        "end_date",
        "De einddatum ligt voor de begindatum.",
    ),
    (
        {"hourly_rate": "1000000.00"},
        "hourly_rate",
        "Het uurtarief moet tussen 0 en 999.999,99 liggen.",
    ),
    ({"hourly_rate": "-1.00"}, "hourly_rate", "Het uurtarief moet tussen 0 en 999.999,99 liggen."),
    *(
        ({name: "x" * (limit + 1)}, name, f"Gebruik hoogstens {limit} tekens.")
        for name, limit in TEXT_LIMITS.items()
    ),
]
IDS = [f"{field}-{index}" for index, (_, field, _) in enumerate(CASES)]


def _api_value(name: str, text: str):
    """The JSON value of a posted term: hours a number, an amount and the rest strings."""
    return int(text) if name == "hours_per_week" else text


def _typed(name: str, text: str):
    """A posted term read to its type, as the form and the schema hand it on."""
    if name == "hours_per_week":
        return int(text)
    if name in ("start_date", "end_date"):
        return date.fromisoformat(text)
    if name == "hourly_rate":
        return Decimal(text)
    return text


def _form_message(page: str, field: str) -> str | None:
    found = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', page, re.S)
    return html.unescape(found.group(1)).strip() if found else None


@pytest.fixture
def match_id(client, world, scene, api_token):
    lead = api_token(world.meer.ermelo.lead)
    return propose(client, lead, application_id=scene.application, cost_recharge="none")


@pytest.mark.parametrize(("change", "field", "message"), CASES, ids=IDS)
def test_form_api_and_operation_refuse_alike(
    change, field, message, app, client, world, login, api_token, match_id
):
    """The same bad term: the same message on the same field from the form (400, the message
    next to the field), the API (400, ``invalidParams``) and the operation (InvalidInput)."""
    browser = app.test_client()
    login(browser, world.meer.ermelo.lead)
    page = browser.post(
        f"/detacheringen/{api_id('match', match_id)}/voorwaarden", data={**GOOD, **change}
    )
    assert page.status_code == 400
    assert _form_message(page.get_data(as_text=True), field) == message

    body = {camelize(name): _api_value(name, text) for name, text in change.items()}
    if field == "hourly_rate":
        body["costBasis"] = "hourly_rate"
    response = client.patch(
        f"/api/v1/matches/{api_id('match', match_id)}",
        json=body,
        headers=api_token(world.meer.ermelo.lead),
    )
    assert response.status_code == 400
    assert problem_fields(response) == {camelize(field): [message]}

    typed = {name: _typed(name, text) for name, text in {**GOOD, **change}.items()}
    with app.test_request_context():
        assert check_terms(typed) == {field: message}
        with pytest.raises(InvalidInput) as refused:
            clean_terms({name: typed[name] for name in change}, typed)
    assert refused.value.fields == {field: [message]}


def test_good_terms_pass_every_check(app):
    typed = {name: _typed(name, text) for name, text in GOOD.items()}
    with app.test_request_context():
        assert check_terms(typed) == {}
        assert clean_terms({}, typed)["hours_per_week"] == 12


@pytest.mark.parametrize("rate", ["NaN", "nan", "sNaN", "Infinity", "-inf"])
def test_a_rate_that_is_no_number_is_refused_not_a_500(
    rate, app, client, world, login, api_token, match_id
):
    """The form's DecimalField reads "NaN" and "Infinity" as Decimals; NaN compares with
    nothing, so the rule raised (a 500). Now the form says what the range is, the API refuses
    it as well, and the operation's rule does too (found in review)."""
    message = "Het uurtarief moet tussen 0 en 999.999,99 liggen."
    browser = app.test_client()
    login(browser, world.meer.ermelo.lead)
    path = f"/detacheringen/{api_id('match', match_id)}/voorwaarden"
    page = browser.post(path, data={**GOOD, "hourly_rate": rate})
    assert page.status_code == 400
    assert _form_message(page.get_data(as_text=True), "hourly_rate") == message
    response = client.patch(
        f"/api/v1/matches/{api_id('match', match_id)}",
        json={"costBasis": "hourly_rate", "hourlyRate": rate},
        headers=api_token(world.meer.ermelo.lead),
    )
    assert response.status_code == 400 and "hourlyRate" in problem_fields(response)
    typed = {name: _typed(name, text) for name, text in {**GOOD, "hourly_rate": rate}.items()}
    with app.test_request_context():
        assert check_terms(typed) == {"hourly_rate": message}
