"""The browser journey of the pool (issue 3), in headless Chromium against the real app over HTTP:
an employee of one organisation logs in, searches, opens a job of another organisation and
responds; the job's line manager sees the response. Every page on the way has no axe-core
violations of WCAG 2.1 A/AA, and the skip link is the first thing the keyboard reaches.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.ids import api_id

pytestmark = pytest.mark.browser

MOTIVATION = "Ik notuleer al jaren de raad in Ermelo en help graag een paar maanden mee."


def _post_job(in_arrangement, poster, **data) -> int:
    """A job created through the real operation, as ``poster`` (a world snapshot)."""
    from app.accounts.models import User
    from app.pool.jobs.operations import create_job
    from app.transaction import commit

    start = date.today() + timedelta(days=14)
    values = {
        "hours_per_week": 8,
        "start_date": start,
        "end_date": start + timedelta(days=90),
        "skills": ["Notuleren"],
        "visibility": "arrangement",
    }
    values.update(data)
    with in_arrangement(poster.arrangement_id) as session:
        job = create_job(session.get(User, poster.id), values, publish=True)
        commit()
        return job.id


def _log_in(page, user, audit=None, shots=None) -> None:
    page.goto("/login")
    if audit:
        audit(page, "login")
        page.screenshot(path=shots / "01-login.png", full_page=True)
    page.get_by_label("E-mailadres", exact=True).fill(user.email)
    page.get_by_label("Wachtwoord").fill("geheim-wachtwoord-1")
    page.get_by_role("button", name="Inloggen", exact=True).click()
    expect(page.get_by_role("banner").get_by_text(f"{user.name} · ")).to_be_visible()


def _assert_skip_link_first(page) -> None:
    """Tab from the top of the page reaches the skip link first; following it focuses main."""
    page.locator("body").focus()
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "({cls: document.activeElement.className, text: document.activeElement.textContent})"
    )
    assert focused["cls"] == "skip-link", focused
    assert focused["text"].strip() == "Naar de inhoud"
    expect(page.locator(".skip-link")).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def _assert_reflows(page, shot) -> None:
    """At 320 CSS pixels wide (WCAG 1.4.10) the page needs no sideways scrolling."""
    page.set_viewport_size({"width": 320, "height": 800})
    try:
        page.screenshot(path=shot, full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{page.url} is {width}px wide at a 320px viewport"
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})


def test_employee_finds_and_responds_to_another_organisations_job_and_its_manager_sees_it(
    world, in_arrangement, new_page, axe_audit, screenshots
):
    """Acceptance (issue 3): an employee of Ermelo logs in through the form, searches, opens an
    arrangement-wide job of Harderwijk and responds; Harderwijk's line manager of that job then
    sees the response. Harderwijk's organisation-only job never shows up for the employee. Each
    page of the journey passes axe-core's WCAG 2.1 A/AA rules, and the skip link is the first
    focusable element and moves focus to the main content."""
    meer = world.meer
    job_id = _post_job(
        in_arrangement,
        meer.harderwijk.lead,
        title="Notulist voor de raadscommissie",
        description="Je **notuleert** de vergaderingen van de raadscommissie Ruimte.",
        location="Stadhuis Harderwijk",
    )
    _post_job(
        in_arrangement,
        meer.harderwijk.lead,
        title="Interne notulist raadscommissie",
        description="Alleen voor eigen medewerkers.",
        visibility="organisation",
    )
    _post_job(
        in_arrangement,
        meer.zeewolde.lead,
        title="Archiefmedewerker",
        description="Dossiers ordenen in het archief.",
        skills=["Archiveren"],
    )

    # --- the employee of Ermelo ------------------------------------------------------------
    page = new_page()
    page.goto("/login")
    _assert_skip_link_first(page)
    _log_in(page, meer.ermelo.emp, axe_audit, screenshots)

    menu = page.get_by_role("navigation", name="Hoofdmenu")
    menu.get_by_text("Werk", exact=True).click()  # the menu group (issue 13: grouped menu)
    menu.get_by_role("link", name="Klussen").click()
    page.wait_for_url("**/klussen")
    expect(page.get_by_role("heading", level=1, name="Klussen")).to_be_visible()
    expect(page.get_by_role("link", name="Notulist voor de raadscommissie")).to_be_visible()
    expect(page.get_by_role("link", name="Archiefmedewerker")).to_be_visible()
    expect(page.get_by_text("Interne notulist")).to_have_count(0)
    _assert_skip_link_first(page)
    axe_audit(page, "job list")
    page.screenshot(path=screenshots / "02-klussen.png", full_page=True)

    page.get_by_label("Zoek op woorden").fill("raadscommissie")
    page.get_by_role("search").get_by_role("button", name="Zoeken").click()
    page.wait_for_url(re.compile(r"/klussen\?.*q=raadscommissie"))
    expect(page.get_by_text("1 klus gevonden.")).to_be_visible()
    expect(page.get_by_role("link", name="Archiefmedewerker")).to_have_count(0)
    expect(page.get_by_text("Interne notulist")).to_have_count(0)
    axe_audit(page, "search results")
    page.screenshot(path=screenshots / "03-zoeken.png", full_page=True)
    _assert_reflows(page, screenshots / "03-zoeken-smal.png")

    page.get_by_role("link", name="Notulist voor de raadscommissie").click()
    page.wait_for_url(f"**/klussen/{api_id('job', job_id)}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Notulist voor de raadscommissie")
    expect(page.get_by_text("Gemeente Harderwijk").first).to_be_visible()
    expect(page.get_by_text("Stadhuis Harderwijk")).to_be_visible()
    expect(page.locator(".description strong")).to_have_text("notuleert")  # Markdown
    axe_audit(page, "job detail")
    page.screenshot(path=screenshots / "04-klus.png", full_page=True)
    _assert_reflows(page, screenshots / "04-klus-smal.png")

    page.get_by_role("link", name="Reageren").click()
    page.wait_for_url(f"**/klussen/{api_id('job', job_id)}/reageren")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Reageren op „Notulist voor de raadscommissie”"
    )
    axe_audit(page, "respond form")
    page.screenshot(path=screenshots / "05-reageren.png", full_page=True)
    _assert_reflows(page, screenshots / "05-reageren-smal.png")

    page.get_by_label("Motivatie").fill(MOTIVATION)
    page.get_by_label("Uren per week").fill("8")
    page.get_by_role("button", name="Reactie versturen").click()
    page.wait_for_url(re.compile(r"/reacties/\d+$"))
    expect(page.get_by_role("status").get_by_text("Je reactie is verstuurd.")).to_be_visible()
    expect(page.get_by_text(MOTIVATION)).to_be_visible()
    expect(page.get_by_text("Verstuurd", exact=True)).to_be_visible()
    axe_audit(page, "confirmation")
    page.screenshot(path=screenshots / "06-bevestiging.png", full_page=True)

    # --- the job's line manager at Harderwijk (another person: a new browser context) ---------
    manager = new_page()
    _log_in(manager, meer.harderwijk.lead)
    manager.goto(f"/klussen/{api_id('job', job_id)}")
    manager.get_by_role("link", name="Reacties op deze klus").click()
    manager.wait_for_url(f"**/klussen/{api_id('job', job_id)}/reacties")
    expect(manager.get_by_role("heading", level=1)).to_have_text(
        "Reacties op „Notulist voor de raadscommissie”"
    )
    row = manager.get_by_role("row").filter(has_text="Emp Ermelo")
    expect(row.get_by_role("cell", name="Gemeente Ermelo")).to_be_visible()
    expect(row.get_by_role("cell", name="Verstuurd")).to_be_visible()
    _assert_skip_link_first(manager)
    axe_audit(manager, "manager: responses to the job")
    manager.screenshot(path=screenshots / "07-reacties.png", full_page=True)

    row.get_by_role("link", name="Emp Ermelo").click()
    manager.wait_for_url(re.compile(r"/reacties/\d+$"))
    expect(manager.get_by_text(MOTIVATION)).to_be_visible()
    expect(manager.get_by_role("heading", name="Jouw antwoord")).to_be_visible()
    axe_audit(manager, "manager: the response")
    manager.screenshot(path=screenshots / "08-reactie-leidinggevende.png", full_page=True)

    print(f"screenshots in {screenshots}; axe checked: {', '.join(axe_audit.pages)}")
    axe_audit.assert_clean()
