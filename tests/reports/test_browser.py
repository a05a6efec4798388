"""The report pages in headless Chromium (tests/browser): no axe-core violations of WCAG 2.1
A/AA, charts and tables readable at 320 CSS pixels without sideways scrolling of the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import conftest as browser_fixtures
from tests.browser.test_journey import _assert_reflows, _log_in
from tests.ids import api_id
from tests.reports.seed import seed

pytestmark = pytest.mark.browser

# The browser fixtures of tests/browser, made available here.
axe_audit = browser_fixtures.axe_audit
browser = browser_fixtures.browser
live_server = browser_fixtures.live_server
new_page = browser_fixtures.new_page
screenshots = browser_fixtures.screenshots


def _follow(page, name: str) -> None:
    """Click the first link called ``name`` as a person would: the menu groups and the start
    page's "Alle onderdelen" fold links inside a disclosure (<details>), opened first."""
    link = page.get_by_role("link", name=name, include_hidden=True).first
    if not link.is_visible():
        link.evaluate(
            "a => { for (let d = a.closest('details'); d; d = d.parentElement?.closest('details'))"
            " d.open = true; }"
        )
    link.click()


def test_report_pages_pass_axe_and_reflow(
    world,
    in_arrangement,
    new_page,
    axe_audit,
    screenshots,
):
    """Coordinator and HR: the figures page and the participation page have no axe violations
    and reflow at 320 pixels (wide tables scroll inside their own region)."""
    seed(world, in_arrangement)
    for who, person in (("coordinator", world.meer.coordinator), ("hr", world.meer.ermelo.hr)):
        page = new_page()
        _log_in(page, person)
        _follow(page, "Rapportages")
        page.get_by_label("Van", exact=True).fill("2023-03-01")
        page.get_by_label("Tot en met", exact=True).fill("2023-06-30")
        page.get_by_role("button", name="Toon cijfers").click()
        expect(
            page.get_by_role(
                "img", name="Saldo per organisatie: uren uitgeleend min uren ingeleend"
            )
        ).to_be_visible()
        axe_audit(page, f"{who}: figures")
        page.screenshot(path=screenshots / f"reports-{who}.png", full_page=True)
        _assert_reflows(page, screenshots / f"reports-{who}-320.png")
        page.get_by_role(
            "link", name="Deelname: aanbod en reacties per organisatie en afdeling"
        ).click()
        axe_audit(page, f"{who}: participation")
        _assert_reflows(page, screenshots / f"participation-{who}-320.png")
    print(f"screenshots in {screenshots}")
    axe_audit.assert_clean()


def test_finance_trends_and_hours_pages_pass_axe_and_reflow(
    world, in_arrangement, new_page, axe_audit, screenshots
):
    """Issue 14: the finance statement, the trends and the realised-hours form have no axe
    violations and reflow at 320 pixels."""
    from tests.reports.test_finance import seed_finance

    ids = seed_finance(world, in_arrangement)
    page = new_page()
    _log_in(page, world.meer.coordinator)
    _follow(page, "Financieel overzicht")
    page.get_by_label("Maand", exact=True).fill("2023-03")
    page.get_by_role("button", name="Toon overzicht").click()
    expect(page.get_by_text("Totalen per organisatiepaar", exact=True)).to_be_visible()
    axe_audit(page, "coordinator: finance")
    _assert_reflows(page, screenshots / "finance-coordinator-320.png")
    page.goto("/rapportages/trends?van=2023-01-01&tot=2023-06-30")
    expect(page.get_by_role("img", name="Uren per maand")).to_be_visible()
    axe_audit(page, "coordinator: trends")
    _assert_reflows(page, screenshots / "trends-coordinator-320.png")

    page = new_page()
    _log_in(page, world.meer.harderwijk.hr)  # the borrowing side of P2
    page.goto(f"/detacheringen/{api_id('match', ids['p2'])}/uren")
    page.get_by_label("Gewerkte uren in 2023-03").fill("19,25")
    page.get_by_label("Gewerkte uren in 2023-03").press("Enter")
    expect(page.get_by_text("De gewerkte uren zijn bevestigd.")).to_be_visible()
    axe_audit(page, "hr: realised hours")
    _assert_reflows(page, screenshots / "hours-hr-320.png")
    axe_audit.assert_clean()
