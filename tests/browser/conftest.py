"""Browser fixtures: the real app served over HTTP, Debian's Chromium driven by Playwright, and
axe-core (the copy bundled in the axe-playwright-python wheel) to check pages.

Nothing is downloaded: Playwright's driver ships in its wheel and the browser is /usr/bin/chromium
(never ``playwright install``). Chromium runs headless without network side channels.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.support.environment import CHROMIUM_PATH

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def live_server(app, make_app):
    """The app (over the test's database, CSRF on as in production) served on 127.0.0.1 with an
    ephemeral port in a background thread; yields the base URL."""
    server_app = make_app(SERVER_NAME=None, WTF_CSRF_ENABLED=True)
    server = make_server("127.0.0.1", 0, server_app, threaded=True)
    base_url = f"http://127.0.0.1:{server.server_port}"
    server_app.config["BASE_URL"] = base_url
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield base_url
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module (gone before other modules run, so Playwright's
    event loop never meets theirs); each user gets a fresh context (own cookies and
    storage, in Playwright's own temporary profile directory)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, live_server):
    """Factory: a page in a new browser context (a new person), Dutch, with the live server as
    base URL."""
    contexts = []

    def open_page():
        context = browser.new_context(
            base_url=live_server, locale="nl-NL", viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def screenshots(tmp_path):
    """Directory for PNG screenshots of the pages (DEELKRACHT_SCREENSHOTS keeps them elsewhere)."""
    directory = Path(os.environ.get("DEELKRACHT_SCREENSHOTS") or tmp_path / "screenshots")
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def format_violations(page_name: str, violations: list[dict]) -> str:
    lines = [f"{page_name}: {len(violations)} axe violation(s)"]
    for violation in violations:
        lines.append(
            f"  - {violation['id']} ({violation['impact']}): {violation['help']}"
            f" [{', '.join(t for t in violation['tags'] if t.startswith('wcag'))}]"
        )
        for node in violation["nodes"][:5]:
            lines.append(f"      at {' '.join(map(str, node['target']))}: {node['html'][:160]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"        {summary[:300]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"      … and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


@pytest.fixture
def axe_audit():
    """Runs axe-core (WCAG 2.1 A/AA rules) on a page; collects readable violation reports per
    page so one run shows every page's problems. ``audit.assert_clean()`` fails with all of them."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    class Audit:
        def __init__(self):
            self.pages: list[str] = []
            self.reports: list[str] = []

        def __call__(self, page, name: str) -> None:
            results = axe.run(
                page,
                options={
                    "runOnly": {"type": "tag", "values": WCAG_TAGS},
                    "resultTypes": ["violations"],
                },
            ).response
            self.pages.append(name)
            if results["violations"]:
                self.reports.append(format_violations(name, results["violations"]))

        def assert_clean(self) -> None:
            assert not self.reports, "\n\n".join(self.reports)

    return Audit()
