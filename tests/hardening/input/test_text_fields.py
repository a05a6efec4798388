"""Issue 10, finding 10: one-line fields take one line of visible text, dates lie in this
century, in the API and the web forms alike (app.cleaning, one layer for both).

A job title with ``\\r\\nBcc: …`` was stored (201) and the notification e-mail's body started
with fake header lines; direction overrides and titles of zero-width spaces were accepted;
``start_date: "0001-01-01"`` gave 201."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.cleaning import TextError, clean_line, clean_text
from app.pool.models import Job
from tests.api_helpers import problem_fields
from tests.ids import public_id

START = date.today() + timedelta(days=7)
BAD_TITLES = {
    "crlf": "Tuinonderhoud\r\nBcc: iedereen@evil.example",
    "lf": "Tuinonderhoud\nX-Header: ja",
    "tab": "Tuin\tonderhoud",
    "override": "Tuin\u202eduohrednoni",
    "isolate": "Tuin\u2067onderhoud",
    "zero-width only": "\u200b\u200b\u200d",
    "spaces and zero-width": " \u200b \ufeff ",
}


def _api_job(**overrides) -> dict:
    body = {
        "title": "Tuinonderhoud",
        "description": "Snoeien.",
        "hoursPerWeek": 4,
        "startDate": START.isoformat(),
        "endDate": (START + timedelta(days=30)).isoformat(),
    }
    body.update(overrides)
    return body


def _jobs(in_arrangement, world) -> int:
    with in_arrangement(world.meer.arrangement.id) as session:
        return session.scalar(select(func.count()).select_from(Job))


@pytest.mark.parametrize("kind", sorted(BAD_TITLES))
def test_the_api_refuses_a_title_that_is_not_one_visible_line(
    client, world, api_token, in_arrangement, mail_outbox, kind
):
    """A 400 naming ``title``; no job, no e-mail."""
    response = client.post(
        "/api/v1/jobs",
        json=_api_job(title=BAD_TITLES[kind]),
        headers=api_token(world.meer.ermelo.lead),
    )
    assert response.status_code == 400, response.get_json()
    assert "title" in problem_fields(response.get_json())
    assert _jobs(in_arrangement, world) == 0
    assert not [m for m in mail_outbox if "Bcc" in (m.body or "")]


@pytest.mark.parametrize("field", ["startDate", "endDate"])
@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31", "2100-01-01", "9999-12-31"])
def test_the_api_refuses_dates_outside_this_century(
    client, world, api_token, in_arrangement, field, day
):
    """A 400 naming the date field for a date before 2000 or after 2099."""
    body = _api_job(**{field: day})
    if field == "endDate" and day < START.isoformat():
        body["startDate"] = "0001-01-01"
    response = client.post("/api/v1/jobs", json=body, headers=api_token(world.meer.ermelo.lead))
    assert response.status_code == 400, response.get_json()
    assert field in problem_fields(response.get_json())
    assert _jobs(in_arrangement, world) == 0


def test_the_api_keeps_line_breaks_in_a_description_and_refuses_controls(
    client, world, api_token, in_arrangement
):
    """A description keeps its lines (CR/LF stored as LF) but not a bell or an override."""
    headers = api_token(world.meer.ermelo.lead)
    made = client.post(
        "/api/v1/jobs", json=_api_job(description="Eén\r\nTwee\rDrie"), headers=headers
    )
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["description"] == "Eén\nTwee\nDrie"
    refused = client.post(
        "/api/v1/jobs", json=_api_job(description="Omgekeerd \u202e"), headers=headers
    )
    assert refused.status_code == 400 and "description" in problem_fields(refused.get_json())
    # A bell (like a NUL) is refused at the edge, before any schema (finding 4).
    bell = client.post("/api/v1/jobs", json=_api_job(description="Bel\x07"), headers=headers)
    assert bell.status_code == 400
    location = client.post(
        "/api/v1/jobs", json=_api_job(location="Ermelo\r\nBcc: x"), headers=headers
    )
    assert location.status_code == 400 and "location" in problem_fields(location.get_json())
    assert _jobs(in_arrangement, world) == 1


def _web_job(world, **overrides) -> dict:
    data = {
        "department": str(public_id("department", world.meer.ermelo.team.id)),
        "title": "Tuinonderhoud",
        "description": "Snoeien.",
        "hours_per_week": "4",  # api-rules: keep (a web form)
        "start_date": START.isoformat(),
        "end_date": (START + timedelta(days=30)).isoformat(),
        "places": "1",
        "visibility": "arrangement",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("kind", sorted(BAD_TITLES))
def test_the_job_form_refuses_the_same_titles(client, world, login, in_arrangement, kind):
    """The web form: a 400 with the form again and a message at the title; no job."""
    login(client, world.meer.ermelo.lead)
    response = client.post("/klussen/nieuw", data=_web_job(world, title=BAD_TITLES[kind]))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert any(
        message in page
        for message in (
            "Gebruik één regel tekst, zonder regeleinden of stuurtekens.",
            "Tekens die de schrijfrichting omdraaien zijn niet toegestaan.",
            "Geef de klus een titel.",
        )
    )
    assert _jobs(in_arrangement, world) == 0


def test_the_job_form_refuses_a_date_outside_this_century(client, world, login, in_arrangement):
    """``0001-01-01`` as start date in the form: a 400 with the range named."""
    login(client, world.meer.ermelo.lead)
    response = client.post("/klussen/nieuw", data=_web_job(world, start_date="0001-01-01"))
    assert response.status_code == 400
    assert "Kies een datum tussen 2000 en 2099." in response.get_data(as_text=True)
    assert _jobs(in_arrangement, world) == 0


def test_a_clean_title_from_the_form_is_saved(client, world, login, in_arrangement):
    """The control: the same form with a plain title makes the job."""
    login(client, world.meer.ermelo.lead)
    response = client.post("/klussen/nieuw", data=_web_job(world, title="  Tuinonderhoud  "))
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    with in_arrangement(world.meer.arrangement.id) as session:
        assert session.scalars(select(Job.title)).all() == ["Tuinonderhoud"]


def test_the_cleaning_rules():
    """The rules themselves: one line, no overrides, something visible; lines keep LF."""
    assert clean_line("  Notulist  ") == "Notulist"
    assert clean_line("\u200b") == ""
    assert clean_line("مرحبا") == "مرحبا"  # right-to-left text itself is fine
    assert clean_line("Zoë\u200dJansen") == "Zoë\u200dJansen"  # a joiner inside text is kept
    for bad in ("a\nb", "a\rb", "a\x00b", "a\x85b", "a\u202db", "a\u2066b"):
        with pytest.raises(TextError):
            clean_line(bad)
    assert clean_text("a\r\nb\rc\n\td") == "a\nb\nc\n\td"
    for bad in ("a\x00b", "a\x1bb", "a\u202eb"):
        with pytest.raises(TextError):
            clean_text(bad)
