"""Every job page, in headless Chromium, has no axe-core violations of WCAG 2.1 A/AA: the list
with bad filters, search results, a job as its owner sees it, the job form empty and with errors,
renewing, "my jobs" and "for you"."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_audit, browser, live_server, new_page  # noqa: F401
from tests.ids import api_id
from tests.pool.jobs_factory import make_job
from tests.pool.test_jobs_visibility import give_offer

pytestmark = pytest.mark.browser


def _log_in(page, user) -> None:
    page.goto("/login")
    page.get_by_label("E-mailadres", exact=True).fill(user.email)
    page.get_by_label("Wachtwoord").fill("geheim-wachtwoord-1")
    page.get_by_role("button", name="Inloggen", exact=True).click()
    expect(page.get_by_role("banner").get_by_text(f"{user.name} · ")).to_be_visible()


def test_job_pages_have_no_axe_violations(world, in_arrangement, new_page, axe_audit):  # noqa: F811
    """The pages of finding and posting work pass axe (WCAG 2.1 A/AA), errors shown too."""
    lead = world.meer.ermelo.lead
    job_id = make_job(in_arrangement, lead, title="Notulist <raad>", description="**Vet** tekst")
    for n in range(30):
        make_job(in_arrangement, world.meer.zeewolde.lead, title=f"Groenonderhoud {n}")
    give_offer(in_arrangement, world.meer.ermelo.emp)

    page = new_page()
    _log_in(page, world.meer.ermelo.emp)
    for name, url in (
        ("list", "/klussen"),
        ("list page 2", "/klussen?page=2"),
        ("search", "/klussen?q=notulist"),
        ("bad filters", "/klussen?hours_min=0&from=gisteren"),
        ("for you", "/voor-jou"),
        ("detail as employee", f"/klussen/{api_id('job', job_id)}"),
    ):
        page.goto(url)
        axe_audit(page, name)

    page = new_page()
    _log_in(page, lead)
    for name, url in (
        ("detail as owner", f"/klussen/{api_id('job', job_id)}"),
        ("new job form", "/klussen/nieuw"),
        ("edit form", f"/klussen/{api_id('job', job_id)}/bewerken"),
        ("renew", f"/klussen/{api_id('job', job_id)}/verlengen"),
        ("my jobs", "/klussen/mijn"),
        ("for you without offer", "/voor-jou"),
    ):
        page.goto(url)
        axe_audit(page, name)
    page.goto("/klussen/nieuw")
    page.get_by_label("Titel").fill("Te veel uren")
    page.get_by_label("Uren per week").fill("41")
    page.get_by_role("button", name="Publiceren").click()
    expect(page.locator(".error-summary")).to_be_visible()
    axe_audit(page, "new job form with errors")
    axe_audit.assert_clean()
