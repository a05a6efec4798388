"""The report pages in headless Chromium (tests/browser): no axe-core violations of WCAG 2.1
A/AA, charts and tables readable at 320 CSS pixels without sideways scrolling of the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import conftest as browser_fixtures
from tests.browser.test_journey import _assert_reflows, _log_in
from tests.reports.seed import seed

pytestmark = pytest.mark.browser

# The browser fixtures of tests/browser, made available here.
axe_audit = browser_fixtures.axe_audit
browser = browser_fixtures.browser
live_server = browser_fixtures.live_server
new_page = browser_fixtures.new_page
screenshots = browser_fixtures.screenshots


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
        page.get_by_role("link", name="Rapportages").first.click()
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
