"""Issue 10, finding 4: odd input is a 400 or 404 that says so, never a 500.

Ids beyond the column's range (2^31 on PostgreSQL, 2^63 on SQLite) or of 5,000 digits in any
``<int:…>`` URL, in ``?job=``, ``employee_id`` and ``?page=``; a NUL byte in any text; a lone
surrogate, 100,000 levels of nesting or a number of 5,000 digits in a JSON body."""

from __future__ import annotations

import re

import pytest

from tests.api_helpers import problem_fields
from tests.ids import api_id, public_id
from tests.pool.jobs_factory import make_job
from tests.support.world import PASSWORD

#: Beyond every id: public ids end below 2^52 (app/ids.py; before them, 2^31 was the first
#: number beyond PostgreSQL's integer keys), and the database's limits.
HUGE_IDS = [str(2**52), str(2**63), str(2**64), "9" * 5000]


def _filled(rule, value: str) -> str:
    return re.sub(r"<int:[a-z_]+>", value, rule.rule)


def _id_rules(app, api: bool):
    for rule in app.url_map.iter_rules():
        if "<int:" in rule.rule and rule.rule.startswith("/api/") == api:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method


def test_out_of_range_ids_in_api_paths_are_404(app, world, api_token):
    """Every API route that takes an id answers 404 for 2^31, 2^63, 2^64 and 5,000 digits."""
    client = app.test_client()
    headers = api_token(world.meer.coordinator)
    seen = []
    for rule, method in _id_rules(app, api=True):
        for value in HUGE_IDS:
            url = _filled(rule, value)
            response = client.open(url, method=method, headers=headers, json={})
            seen.append((method, rule.rule, value[:20], response.status_code))
    assert len(seen) >= 60
    assert [s for s in seen if s[3] != 404] == []


@pytest.mark.parametrize("who", ["coordinator", "hr"])
def test_out_of_range_ids_in_web_pages_are_404(app, world, login, who):
    """Every page that takes an id answers 404 for the same ids, as HR and as coordinator."""
    client = app.test_client()
    login(client, world.meer.coordinator if who == "coordinator" else world.meer.ermelo.hr)
    seen = []
    for rule, method in _id_rules(app, api=False):
        for value in HUGE_IDS:
            response = client.open(_filled(rule, value), method=method, data={})
            seen.append((method, rule.rule, value[:20], response.status_code))
    assert len(seen) >= 100
    assert [s for s in seen if s[3] != 404] == []


@pytest.mark.parametrize("value", HUGE_IDS)
def test_out_of_range_ids_in_query_strings_and_bodies(app, world, login, api_token, value):
    """``/detacheringen/nieuw?job=``: 404 (no such job); ``?job=`` on the API's list and
    ``employee_id``/``job_id`` in a proposal: a 400 naming the field; ``?page=``: a page."""
    meer = world.meer
    client = app.test_client()
    login(client, meer.ermelo.hr)
    assert (
        client.get(
            f"/detacheringen/nieuw?job={value}&employee={public_id('user', meer.ermelo.emp.id)}"
        ).status_code
        == 404
    )
    for url in (
        f"/medewerkers?page={value}",
        f"/klussen/mijn?page={value}",
        f"/reacties?page={value}",
        f"/detacheringen?page={value}",
    ):
        assert client.get(url).status_code == 200, url
    api = app.test_client()
    headers = api_token(meer.ermelo.hr)
    listed = api.get(f"/api/v1/applications?job={value}", headers=headers)
    assert listed.status_code == 400 and "job" in problem_fields(listed.get_json())
    body = f'{{"job_id": {value}, "employee_id": {value}}}'
    proposed = api.post(
        "/api/v1/matches", data=body, content_type="application/json", headers=headers
    )
    assert proposed.status_code == 400, proposed.get_json()


def _error_page(response, status=400) -> str:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    return response.get_data(as_text=True)


def test_a_nul_byte_in_a_form_is_a_400_page(app, world, login, in_arrangement):
    """Login, forgot-password, a job title, a motivation and the staff search with a NUL:
    a 400 page that says the form (or address) holds characters that are not allowed."""
    meer = world.meer
    client = app.test_client()
    page = _error_page(client.post("/login", data={"email": "a\x00@b.nl", "password": "x\x00"}))
    assert "tekens die niet zijn toegestaan" in page
    _error_page(client.post("/wachtwoord-vergeten", data={"email": "hr\x00@ermelo.test"}))
    login(client, meer.ermelo.lead)
    _error_page(
        client.post(
            "/klussen/nieuw",
            data={
                "title": "Tuin\x00",
                "description": "x",
                "hours_per_week": "4",
                "start_date": "2030-01-01",
                "end_date": "2030-02-01",
            },
        )
    )
    job_id = make_job(in_arrangement, meer.ermelo.lead)
    login(client, meer.harderwijk.emp)
    _error_page(
        client.post(f"/klussen/{api_id('job', job_id)}/reageren", data={"motivation": "Graag\x00"})
    )
    login(client, meer.ermelo.hr)
    assert "tekens die niet zijn toegestaan" in _error_page(client.get("/medewerkers?q=a%00b"))


def test_a_nul_byte_or_lone_surrogate_in_json_is_a_400(app, world, api_token, in_arrangement):
    """A NUL (``\\u0000``) or a lone surrogate (``\\ud800``) in a JSON string: 400."""
    meer = world.meer
    client = app.test_client()
    job_id = make_job(in_arrangement, meer.ermelo.lead)
    headers = api_token(meer.harderwijk.emp)
    for text in (r"Graag\u0000", r"Graag\ud800", r"\udfff"):
        response = client.post(
            f"/api/v1/jobs/{api_id('job', job_id)}/applications",
            data=f'{{"motivation": "{text}"}}',
            content_type="application/json",
            headers=headers,
        )
        assert response.status_code == 400, response.get_data(as_text=True)[:300]
        assert response.get_json()["code"] == "invalid"
    token = client.post(
        "/api/v1/auth/token",
        data=f'{{"email": "x\\u0000@ermelo.test", "password": "{PASSWORD}"}}',
        content_type="application/json",
    )
    assert token.status_code == 400


@pytest.mark.parametrize(
    "body, says",
    [
        ("[" * 100_000 + "]" * 100_000, "te diep genest"),
        ('{"a":' * 100_000 + "1" + "}" * 100_000, "te diep genest"),
        ('{"hours_per_week": %s}' % ("9" * 5000), "getal in de JSON is te lang"),
        ('{"title": "a", "title": "b"}', "twee keer"),
        ('{"hours_per_week": NaN}', "NaN"),
        ("[1, 2]", "JSON-object"),
        ('"title"', "JSON-object"),
        ("{not json", "geen geldige JSON"),
        (b'{"title": "\xff"}', "UTF-8"),
    ],
)
def test_odd_json_bodies_are_a_clear_400(app, world, api_token, body, says):
    """Deep nesting, huge numbers, duplicate keys, NaN, a non-object, broken JSON and broken
    UTF-8: a 400 whose message says which, on a write of the API."""
    client = app.test_client()
    response = client.post(
        "/api/v1/jobs",
        data=body,
        content_type="application/json",
        headers=api_token(world.meer.ermelo.lead),
    )
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    assert says in response.get_json()["detail"]
