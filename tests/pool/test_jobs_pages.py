"""Job pages: posting, editing, renewing and closing jobs; bad input on the forms; HTML as text."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from app.pool.models import Job
from tests.ids import api_id, key_of, public_id
from tests.pool.jobs_factory import make_job


def form(**overrides) -> dict:
    start = date.today() + timedelta(days=5)
    data = {
        "title": "Hulp bij de verkiezingen",
        "description": "Stembureau **inrichten** en tellen.",
        "department": "0",
        "skills-0": "Tellen",
        "skills-1": " tellen ",
        "skills-2": "Logistiek",
        "hours_per_week": "12",
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=30)).isoformat(),
        "location": "Stadhuis",
        "places": "2",
        "visibility": "arrangement",
    }
    data.update(overrides)
    return data


def jobs_in(in_arrangement, world) -> list[Job]:
    with in_arrangement(world.meer.arrangement) as session:
        rows = session.scalars(select(Job).order_by(Job.id)).all()
        session.expunge_all()
        return rows


def test_line_manager_posts_a_job_through_the_form(client, world, login, in_arrangement):
    """The form publishes a job for the line manager's own department, with the shared skills
    normalised, and shows it."""
    lead = world.meer.ermelo.lead
    login(client, lead)
    page = client.get("/klussen/nieuw")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'list="skill-suggestions"' in html  # suggestions work without JavaScript
    # the organisation's default visibility is preselected
    assert re.search(r'<input checked[^>]*value="arrangement"', html)
    response = client.post(
        "/klussen/nieuw",
        data=form(
            department=str(public_id("department", world.meer.ermelo.team.id)),
            contact=str(public_id("user", lead.id)),
        ),
    )
    assert response.status_code == 302
    [job] = jobs_in(in_arrangement, world)
    assert (job.status, job.department_id, job.places) == ("open", world.meer.ermelo.team.id, 2)
    assert job.skill_names == ["Logistiek", "Tellen"]
    assert job.expires_on == date.today() + timedelta(days=42)
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<strong>inrichten</strong>" in detail  # safe Markdown rendered


def test_hr_saves_a_draft(client, world, login, in_arrangement):
    """ "Opslaan als concept" keeps the job a draft, without expiry, seen only by its owners."""
    login(client, world.meer.ermelo.hr)
    response = client.post("/klussen/nieuw", data=form(save_draft="1"))
    assert response.status_code == 302
    [job] = jobs_in(in_arrangement, world)
    assert (job.status, job.expires_on, job.department_id) == ("draft", None, None)
    login(client, world.meer.ermelo.emp)
    assert client.get(f"/klussen/{public_id('job', job.id)}").status_code == 404


def test_employees_cannot_open_the_form(client, world, login):
    """Posting is for line managers and HR."""
    login(client, world.meer.ermelo.emp)
    assert client.get("/klussen/nieuw").status_code == 403
    assert client.post("/klussen/nieuw", data=form()).status_code == 403


def test_bad_input_on_the_form_is_explained_per_field(client, world, login, in_arrangement):
    """Hours 0 or 41, wrong types, dates in the wrong order, a foreign contact: 400, each
    field's message next to it, and nothing saved."""
    login(client, world.meer.ermelo.hr)
    cases = [
        ({"hours_per_week": "0"}, "hours_per_week", "Tussen 1 en 40 uur per week."),
        ({"hours_per_week": "41"}, "hours_per_week", "Tussen 1 en 40 uur per week."),
        ({"hours_per_week": "veel"}, "hours_per_week", None),
        ({"start_date": "morgen"}, "start_date", None),
        (
            {"start_date": "2031-05-10", "end_date": "2031-05-01"},
            "end_date",
            "De einddatum ligt vóór de startdatum.",
        ),
        ({"end_date": "2001-01-01", "start_date": "2000-01-01"}, "end_date", "in het verleden"),
        ({"title": ""}, "title", "Geef de klus een titel."),
        ({"places": "0"}, "places", "Tussen 1 en 100."),
        ({"visibility": "iedereen"}, "visibility", None),
        ({"contact": str(public_id("user", world.meer.zeewolde.emp.id))}, "contact", None),
        (
            {"department": str(public_id("department", world.meer.zeewolde.team.id))},
            "department",
            None,
        ),
        ({"skills-0": "x" * 81}, "skills", None),
    ]
    for change, field, message in cases:
        response = client.post("/klussen/nieuw", data=form(**change))
        html = response.get_data(as_text=True)
        assert response.status_code == 400, (change, response.status_code)
        assert 'class="error-summary"' in html
        assert f'id="{field}-error"' in html or f'id="{field}"' in html, change
        if message:
            assert message in html, (change, message)
    assert jobs_in(in_arrangement, world) == []


def test_html_in_every_text_field_is_shown_as_text(client, world, login, in_arrangement):
    """Script and HTML typed into title, description, location or a skill never become markup
    on the list, the detail page or the form."""
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    login(client, world.meer.ermelo.lead)
    response = client.post(
        "/klussen/nieuw",
        data=form(
            title=f"Titel {evil}",
            description=f"Tekst {evil}",
            location=f"Plek {evil}",
            **{"skills-0": "Skill <b>vet</b>", "skills-1": "", "skills-2": ""},
            department=str(public_id("department", world.meer.ermelo.team.id)),
        ),
    )
    assert response.status_code == 302
    job_id = jobs_in(in_arrangement, world)[0].id
    for url in (
        "/klussen",
        f"/klussen/{api_id('job', job_id)}",
        f"/klussen/{api_id('job', job_id)}/bewerken",
        "/klussen/mijn",
    ):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html, url
        assert "<b>vet</b>" not in html, url
    detail = client.get(f"/klussen/{api_id('job', job_id)}").get_data(as_text=True)
    assert "&lt;script&gt;" in detail and "Skill &lt;b&gt;vet&lt;/b&gt;" in detail


def test_markdown_links_are_nofollow(client, world, login, in_arrangement):
    """Links in a description get rel="nofollow noopener"; javascript: links do not survive."""
    job_id = make_job(
        in_arrangement,
        world.meer.ermelo.lead,
        description="[site](https://example.org) en [kwaad](javascript:alert(1))",
    )
    login(client, world.meer.harderwijk.emp)
    html = client.get(f"/klussen/{api_id('job', job_id)}").get_data(as_text=True)
    assert re.search(r'<a href="https://example.org" rel="nofollow noopener[^"]*">site</a>', html)
    assert 'href="javascript' not in html


def test_the_owner_edits_a_job(client, world, login, in_arrangement):
    """The edit form is filled with the job; saving changes it; others of the same
    organisation get 403, others of the arrangement 404 for an organisation-only job."""
    job_id = make_job(in_arrangement, world.meer.ermelo.lead, visibility="organisation")
    login(client, world.meer.ermelo.lead)
    page = client.get(f"/klussen/{api_id('job', job_id)}/bewerken").get_data(as_text=True)
    assert 'value="Notulist gezocht"' in page and 'value="Notuleren"' in page
    response = client.post(
        f"/klussen/{api_id('job', job_id)}/bewerken",
        data=form(
            title="Nieuwe titel",
            department=str(public_id("department", world.meer.ermelo.team.id)),
            visibility="organisation",
        ),
    )
    assert response.status_code == 302
    assert jobs_in(in_arrangement, world)[0].title == "Nieuwe titel"
    login(client, world.meer.ermelo.lead_other)
    assert client.get(f"/klussen/{api_id('job', job_id)}/bewerken").status_code == 403
    login(client, world.meer.zeewolde.lead)
    assert client.get(f"/klussen/{api_id('job', job_id)}/bewerken").status_code == 404


def test_renew_with_one_click_needs_a_csrf_token(make_app, world, login, in_arrangement):
    """Renewing is one POST from the job page, protected by CSRF; it moves the expiry date to
    today + the organisation's term."""
    job_id = make_job(in_arrangement, world.meer.ermelo.lead)
    with in_arrangement(world.meer.arrangement) as session:
        session.get(Job, key_of("job", job_id)).expires_on = date.today() + timedelta(days=2)
        session.commit()
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post(
        "/login",
        data={"email": world.meer.ermelo.lead.email, "password": "geheim-wachtwoord-1",
              "csrf_token": token},
    )  # fmt: skip
    detail = client.get(f"/klussen/{api_id('job', job_id)}").get_data(as_text=True)
    assert f'action="/klussen/{api_id("job", job_id)}/verlengen"' in detail
    assert client.post(f"/klussen/{api_id('job', job_id)}/verlengen").status_code == 400  # no token
    token = re.search(r'name="csrf_token" value="([^"]+)"', detail).group(1)
    response = client.post(
        f"/klussen/{api_id('job', job_id)}/verlengen", data={"csrf_token": token}
    )
    assert response.status_code == 302
    with in_arrangement(world.meer.arrangement) as session:
        assert session.get(Job, key_of("job", job_id)).expires_on == date.today() + timedelta(
            days=42
        )


def test_renew_page_from_the_email_link(client, world, login, in_arrangement):
    """The e-mail's link (a GET) shows one button; it changes nothing by itself."""
    job_id = make_job(in_arrangement, world.meer.ermelo.lead)
    login(client, world.meer.ermelo.hr)
    page = client.get(f"/klussen/{api_id('job', job_id)}/verlengen")
    assert page.status_code == 200
    assert "Verlengen" in page.get_data(as_text=True)
    login(client, world.meer.ermelo.emp)
    assert client.get(f"/klussen/{api_id('job', job_id)}/verlengen").status_code == 403


def test_status_buttons(client, world, login, in_arrangement):
    """Owners publish drafts and mark jobs filled or closed; an impossible change is 409."""
    job_id = make_job(in_arrangement, world.meer.ermelo.lead, publish=False)
    login(client, world.meer.ermelo.lead)
    assert (
        client.post(f"/klussen/{api_id('job', job_id)}/status", data={"status": "open"}).status_code
        == 302
    )
    assert jobs_in(in_arrangement, world)[0].status == "open"
    assert (
        client.post(
            f"/klussen/{api_id('job', job_id)}/status", data={"status": "filled"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"/klussen/{api_id('job', job_id)}/status", data={"status": "draft"}
        ).status_code
        == 409
    )
    assert (
        client.post(f"/klussen/{api_id('job', job_id)}/status", data={"status": "nope"}).status_code
        == 400
    )
    login(client, world.meer.ermelo.emp)
    assert (
        client.post(f"/klussen/{api_id('job', job_id)}/status", data={"status": "open"}).status_code
        == 403
    )


def test_respond_button_leads_to_the_respond_page(client, world, login, in_arrangement):
    """Employees see "Reageren" on an open job; the job's owners see the management buttons."""
    job_id = make_job(in_arrangement, world.meer.ermelo.lead)
    login(client, world.meer.harderwijk.emp)
    html = client.get(f"/klussen/{api_id('job', job_id)}").get_data(as_text=True)
    assert "Reageren" in html and "Bewerken" not in html
    login(client, world.meer.ermelo.lead)
    html = client.get(f"/klussen/{api_id('job', job_id)}").get_data(as_text=True)
    assert "Bewerken" in html and ">Reageren<" not in html


def test_my_jobs_per_role(client, world, login, in_arrangement):
    """My jobs: the line manager sees their department's jobs, HR the whole organisation's,
    another line manager not the first one's; plain employees have no such page."""
    make_job(in_arrangement, world.meer.ermelo.lead, title="Van team")
    make_job(in_arrangement, world.meer.ermelo.hr, title="Van HR")
    make_job(in_arrangement, world.meer.zeewolde.lead, title="Van Zeewolde")

    def titles(user):
        login(client, user)
        html = client.get("/klussen/mijn").get_data(as_text=True)
        return {t for t in ("Van team", "Van HR", "Van Zeewolde") if t in html}

    assert titles(world.meer.ermelo.lead) == {"Van team"}
    assert titles(world.meer.ermelo.hr) == {"Van team", "Van HR"}
    assert titles(world.meer.ermelo.lead_other) == set()
    login(client, world.meer.ermelo.emp)
    assert client.get("/klussen/mijn").status_code == 403


def test_navigation_and_home_cards_per_role(client, world, login):
    """Everyone finds "Klussen" and "Voor jou"; posting links only for line managers and HR."""
    login(client, world.meer.ermelo.emp)
    home = client.get("/start").get_data(as_text=True)
    assert 'href="/klussen"' in home and 'href="/voor-jou"' in home
    assert 'href="/klussen/nieuw"' not in home
    login(client, world.meer.ermelo.lead)
    home = client.get("/start").get_data(as_text=True)
    assert 'href="/klussen/nieuw"' in home and 'href="/klussen/mijn"' in home


def test_list_page_search_filters_and_pagination(client, world, login, in_arrangement):
    """The list searches, filters, counts and pages (25 a page) and keeps the filters."""
    for n in range(27):
        make_job(in_arrangement, world.meer.ermelo.lead, title=f"Klus nummer {n}", hours_per_week=8)
    make_job(in_arrangement, world.meer.zeewolde.lead, title="Zwembad", hours_per_week=30)
    login(client, world.meer.harderwijk.emp)
    first = client.get("/klussen").get_data(as_text=True)
    assert "28 klussen gevonden." in first
    assert first.count('<li>\n    <h2><a href="/klussen/') == 25
    assert 'href="/klussen?page=2"' in first
    second = client.get("/klussen?page=2").get_data(as_text=True)
    assert second.count('<li>\n    <h2><a href="/klussen/') == 3
    found = client.get("/klussen?q=zwembad").get_data(as_text=True)
    assert "1 klus gevonden." in found and "Zwembad" in found
    filtered = client.get("/klussen?hours_min=20&organisation=zeewolde").get_data(as_text=True)
    assert "1 klus gevonden." in filtered
    paged = client.get("/klussen?hours_max=10").get_data(as_text=True)
    assert 'href="/klussen?hours_max=10&amp;page=2"' in paged


def test_list_page_bad_filters_are_explained(client, world, login):
    """Bad filter values: 400, a message per field tied to its input, nothing searched; each
    link of the error summary leads to an element of the page (the page number, which has no
    input, to its message)."""
    login(client, world.meer.harderwijk.emp)
    for query, field in (
        ("hours_min=0", "hours_min"),
        ("hours_max=41", "hours_max"),
        ("hours_min=abc", "hours_min"),
        ("from=gisteren", "from"),
        ("from=2030-05-10&until=2030-05-01", "until"),
        ("hours_min=30&hours_max=10", "hours_max"),
        ("q=" + "x" * 201, "q"),
        ("remote=misschien", "remote"),
        ("page=0", None),
    ):
        response = client.get(f"/klussen?{query}")
        html = response.get_data(as_text=True)
        assert response.status_code == 400, query
        if field:
            assert f'id="f-{field}-error"' in html and 'aria-invalid="true"' in html, query
        summary = re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)
        targets = re.findall(r'href="#([^"]+)"', summary)
        assert targets and all(f'id="{target}"' in html for target in targets), (query, targets)


def test_a_10_mb_form_post_is_refused(client, world, login, in_arrangement):
    """A form body over the limit is refused with 413 before anything is read or saved."""
    login(client, world.meer.ermelo.hr)
    response = client.post("/klussen/nieuw", data=form(description="x" * (10 * 1024 * 1024)))
    assert response.status_code == 413
    assert jobs_in(in_arrangement, world) == []
