"""The job list's filters are one set of rules (issue 9): the list page, a saved search and the
API's ``GET /jobs`` refuse the same bad value on the same field with the same message; the page
forgivingly (a message under the input, the value dropped), the API strictly (a 400 problem).

Were the limits, choices or messages written again in one of them, these cases would tell."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl, urlencode

import pytest
from werkzeug.datastructures import ImmutableMultiDict

from app.api import camelize
from app.pool.jobs.filters import FILTERS, PAGE_KEYS, RULES
from app.pool.jobs.forms import FILTER_KEYS, parse_filters
from app.pool.jobs.schemas import JobListQuerySchema
from app.pool.saved_searches import SavedSearch, clean_query
from tests.api_helpers import problem_fields

pytestmark = pytest.mark.sqlite

#: (the filters as a query string of their Python names, the field that is wrong, its message)
CASES = [
    ("q=" + "x" * 201, "q", "Zoek met hoogstens 200 tekens."),
    ("type=stage", "type", "Kies een soort uitwisseling uit de lijst."),
    ("skill=" + "x" * 81, "skill", "Hoogstens 80 tekens."),
    ("hours_min=0", "hours_min", "Kies een getal van 1 tot en met 40."),
    ("hours_max=41", "hours_max", "Kies een getal van 1 tot en met 40."),
    ("hours_min=acht", "hours_min", "Vul een heel getal in."),
    ("hours_max=8.5", "hours_max", "Vul een heel getal in."),
    ("available_from=gisteren", "available_from", "Vul een datum in als jjjj-mm-dd."),
    ("available_until=2030-13-01", "available_until", "Vul een datum in als jjjj-mm-dd."),
    ("available_from=1999-12-31", "available_from", "Kies een datum tussen 2000 en 2099."),
    (
        "available_from=2030-05-10&available_until=2030-05-01",
        "available_until",
        "De einddatum ligt vóór de begindatum.",
    ),
    ("hours_min=30&hours_max=10", "hours_max", "Het maximum ligt onder het minimum."),
    ("remote=misschien", "remote", "Kies ja of nee (true of false)."),
    ("page=0", "page", "Kies een getal van 1 tot en met 100000."),
    ("page=twee", "page", "Vul een heel getal in."),
]
IDS = [f"{field}-{index}" for index, (_, field, _) in enumerate(CASES)]


def _values(case: str) -> dict:
    return dict(parse_qsl(case))


def _page_query(values: dict) -> str:
    return urlencode({PAGE_KEYS[name]: text for name, text in values.items()})


def _api_query(values: dict) -> str:
    return urlencode({camelize(name): text for name, text in values.items()})


def _page_message(page: str, key: str) -> str | None:
    found = re.search(rf'<p class="error" id="f-{key}-error">(.*?)</p>', page, re.S)
    return html.unescape(found.group(1)).strip() if found else None


@pytest.mark.parametrize(("case", "field", "message"), CASES, ids=IDS)
def test_page_api_and_saved_search_refuse_alike(
    case, field, message, client, world, login, api_token
):
    """The same bad input: the same message on the same field, by the page (400, the message
    under the input), the API (400, ``invalidParams``) and a saved search's stored query."""
    values, key = _values(case), PAGE_KEYS[field]
    login(client, world.meer.harderwijk.emp)
    page = client.get(f"/klussen?{_page_query(values)}")
    assert page.status_code == 400
    assert _page_message(page.get_data(as_text=True), key) == message

    headers = api_token(world.meer.harderwijk.emp)
    api = client.get(f"/api/v1/jobs?{_api_query(values)}", headers=headers)
    assert api.status_code == 400
    assert problem_fields(api) == {camelize(field): [message]}

    if field != "page":  # a saved search keeps no page
        stored = clean_query([(PAGE_KEYS[name], text) for name, text in values.items()])
        with client.application.test_request_context():
            query = parse_filters(SavedSearch(query=stored).args)
        assert query.errors == {key: message}


@pytest.mark.parametrize(("case", "field", "message"), CASES, ids=IDS)
def test_the_page_is_forgiving(case, field, message, app):
    """The page drops the bad value (text is cut to its limit) and keeps the others."""
    values = _values(case)
    args = ImmutableMultiDict({PAGE_KEYS[name]: text for name, text in values.items()})
    with app.test_request_context():
        query = parse_filters(args)
    assert query.errors == {PAGE_KEYS[field]: message}
    if field in ("q", "skill"):
        kept = query.q if field == "q" else query.filters.skill
        assert kept == values[field][: RULES[field].max_length]
    elif field == "page":
        assert query.page == 1
    elif field == "remote":
        assert query.filters.remote is False
    elif field in ("hours_max", "available_until") and len(values) == 2:
        assert getattr(query.filters, field) is not None  # both kept; only the message
    else:
        assert getattr(query.filters, field) is None


def test_good_values_read_alike(client, world, login, api_token, app):
    """Good values: the page and the API read them into the same filters."""
    values = {
        "q": "notulen",
        "organisation": "ermelo",
        "type": "meeloopdag",
        "skill": "Excel",
        "hours_min": "8",
        "hours_max": "24",
        "available_from": "2030-01-01",
        "available_until": "2030-06-30",
        "remote": "1",
        "page": "2",
    }
    with app.test_request_context():
        page = parse_filters(ImmutableMultiDict({PAGE_KEYS[n]: t for n, t in values.items()}))
    assert page.errors == {}
    with app.test_request_context():
        api = JobListQuerySchema().load({camelize(n): t for n, t in values.items()})
    assert api["q"] == page.q and api["page"] == page.page
    for rule in FILTERS[1:]:
        assert api[rule.name] == getattr(page.filters, rule.name), rule.name
    login(client, world.meer.harderwijk.emp)
    assert client.get(f"/klussen?{_page_query(values)}").status_code == 200
    headers = api_token(world.meer.harderwijk.emp)
    response = client.get(f"/api/v1/jobs?{_api_query(values)}", headers=headers)
    assert response.status_code == 200, response.get_json()


def test_the_form_states_the_rules_limits(client, world, login):
    """The search form's maxlength/min/max come from the same rules."""
    login(client, world.meer.harderwijk.emp)
    page = client.get("/klussen").get_data(as_text=True)
    assert f'name="q" value="" maxlength="{RULES["q"].max_length}"' in page
    assert f'maxlength="{RULES["skill"].max_length}" list="skill-suggestions"' in page
    hours = RULES["hours_min"]
    assert page.count(f'min="{hours.low}" max="{hours.high}" inputmode="numeric"') == 2
    assert set(FILTER_KEYS) == {rule.key for rule in FILTERS}


@pytest.mark.parametrize(
    ("word", "remote"),
    [("1", True), ("on", True), ("YES", True), ("ja", True), ("0", False), ("Off", False)],
)
def test_remote_words_read_alike(word, remote, app):
    """``remote``: the page's checkbox value and the words the API always took, both ways."""
    with app.test_request_context():
        assert parse_filters(ImmutableMultiDict({"remote": word})).filters.remote is remote
        assert JobListQuerySchema().load({"remote": word})["remote"] is remote
