"""The acceptance crawl of the look (issue 13, "Look: NL Design System"), in headless Chromium over
the real app with the demo loaded: each demo role (HR, line manager, employee, coordinator) of both
arrangements logs in through the form and, in Dutch and then in English, opens every page its menu
and its start page link to (same-origin GETs; no logout, no downloads). On every page:

- axe-core finds no WCAG 2.1 A/AA violation, at 375 px (the menu folded) — and at 1280 px on the
  start page with a menu group opened;
- at 375 px the page is no wider than the viewport (``scrollWidth <= innerWidth``);
- the visible text holds no ISO timestamp or raw code (the checker of
  tests/privacy_audit/test_readable_pages.py);
- in English, no Dutch text from the message catalog (a missing translation), and in both
  languages no page says "missing" translations through an untranslated ``lang``;
- the menu has at most seven top items.

It prints the pages crawled and the time taken.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import WCAG_TAGS, format_violations
from tests.privacy_audit.test_readable_pages import CODES, ISO_TIMESTAMP, ROLE_CODES

pytestmark = pytest.mark.browser

ROLES = ("hr", "teamleider", "medewerker", "coordinator")
ARRANGEMENTS = {"meerinzicht": "ermelo", "dewolden-hoogeveen": "hoogeveen"}
SKIP = re.compile(r"/logout|/uitloggen|/api/|\.(pdf|csv|json|xlsx|zip)(\?|$)|/export|/download")
# The innermost elements that reach past the viewport's right edge (to say what to fix).
WIDEST = """() => Array.from(document.querySelectorAll('body *'))
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .filter(e => !Array.from(e.children)
    .some(c => c.getBoundingClientRect().right > window.innerWidth + 1))
  .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ' '
    + Math.round(e.getBoundingClientRect().right) + 'px: ' + e.outerHTML.slice(0, 120))"""
PO = Path(__file__).parents[2] / "app/translations/en/LC_MESSAGES/messages.po"


def _dutch_catalog_texts() -> list[str]:
    """Dutch message texts (or their longest fixed part) that English must never show: long
    enough to be unambiguous, and translated differently."""
    from babel.messages.pofile import read_po

    with PO.open("rb") as handle:
        catalog = read_po(handle)
    texts = set()
    for message in catalog:
        if not message.id or isinstance(message.id, tuple) or not message.string:
            continue
        if message.string == message.id:
            continue
        longest = max(re.split(r"%\(\w+\)[sd]|%[sd]|\{[^}]*\}|<[^>]+>|\n", message.id), key=len)
        longest = longest.strip()
        if len(longest) >= 20 and longest not in message.string:
            texts.add(longest)
    return sorted(texts)


def _demo_users(arrangement: str) -> list[str]:
    """One user per role of the arrangement (CONTRACT.md)."""
    org = ARRANGEMENTS[arrangement]
    return [
        f"coordinator@{arrangement}.example" if role == "coordinator" else f"{role}@{org}.example"
        for role in ROLES
    ]


def _links(page, base: str, selector: str) -> list[str]:
    hrefs = page.eval_on_selector_all(selector, "els => els.map(e => e.href)")
    out = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != base or SKIP.search(parts.path):
            continue
        url = parts.path + (f"?{parts.query}" if parts.query else "")
        if url not in out:
            out.append(url)
    return out


@pytest.fixture
def demo(app):
    from app.demo import load_demo
    from app.extensions import db

    with app.app_context():
        load_demo()
        db.session.commit()


def test_every_menu_and_start_page_link_is_accessible_narrow_and_readable(
    demo, browser, live_server
):
    """Meerinzicht's roles (De Wolden Hoogeveen's: test_crawl_dewolden_hoogeveen.py, a module of
    its own so that pytest-xdist's --dist loadfile runs the two side by side)."""
    crawl("meerinzicht", browser, live_server)


def crawl(arrangement: str, browser, live_server) -> None:
    from axe_playwright_python.sync_playwright import Axe

    from app.demo import DEMO_PASSWORD

    axe = Axe()
    dutch = _dutch_catalog_texts()
    problems: list[str] = []
    crawled: list[str] = []
    audited: set[tuple] = set()
    timings = {"axe": 0.0}
    started = time.monotonic()

    def audit(page, name: str) -> None:
        results = axe.run(
            page,
            options={
                "runOnly": {"type": "tag", "values": WCAG_TAGS},
                "resultTypes": ["violations"],
            },
        ).response
        if results["violations"]:
            problems.append(format_violations(name, results["violations"]))

    def check(page, name: str, locale: str, axe_key: tuple) -> None:
        crawled.append(name)
        # axe-core is the slow part: once per page, language and arrangement (the roles of an
        # arrangement share the templates); every role's every page gets the other checks.
        if axe_key not in audited:
            audited.add(axe_key)
            before = time.monotonic()
            audit(page, name)
            timings["axe"] += time.monotonic() - before
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if width[0] > width[1]:
            wide = page.evaluate(WIDEST)
            problems.append(f"{name}: {width[0]} px wide at a {width[1]} px viewport: {wide}")
        text = page.inner_text("body")
        for pattern in (ISO_TIMESTAMP, CODES, ROLE_CODES):
            found = pattern.search(text)
            if found:
                start = max(found.start() - 40, 0)
                problems.append(
                    f"{name}: raw code or timestamp: {text[start : found.end() + 40]!r}"
                )
        if page.evaluate("document.documentElement.lang") != locale:
            problems.append(f"{name}: html lang is not {locale}")
        if locale == "en":
            flat = re.sub(r"\s+", " ", text)
            missing = [d for d in dutch if d in flat]
            if missing:
                problems.append(f"{name}: missing translation(s): {missing[:5]}")

    only = os.environ.get("DEELKRACHT_CRAWL_USERS")  # e.g. hr@ermelo.example, while debugging
    for email in only.split(",") if only else _demo_users(arrangement):
        context = browser.new_context(
            base_url=live_server, locale="nl-NL", viewport={"width": 375, "height": 800}
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.goto("/login")
        page.fill("#email", email)
        page.fill("#password", DEMO_PASSWORD)
        page.locator("main form").first.locator("button[type=submit]").click()
        page.wait_for_load_state()
        assert "/login" not in page.url, f"{email} could not log in"
        for locale in ("nl", "en"):
            page.goto("/start")
            if page.evaluate("document.documentElement.lang") != locale:
                with page.expect_navigation():
                    page.locator(f"button[name=locale][value={locale}]").evaluate("b => b.click()")
            page.goto("/start")
            top = page.eval_on_selector_all("header nav .nav > li", "els => els.length")
            if top > 7:
                problems.append(f"{email} {locale}: {top} top menu items")
            urls = ["/start"]
            for url in _links(
                page, live_server, "header nav a[href], main a[href], footer a[href]"
            ):
                if url not in urls:
                    urls.append(url)
            for url in urls:
                page.goto(url)
                check(page, f"{email} {locale} {url}", locale, (arrangement, locale, url))
            # The desktop layout: the menu in one line, a group opened.
            page.set_viewport_size({"width": 1280, "height": 900})
            page.goto("/start")
            groups = page.locator("header .nav-group > summary")
            if groups.count():
                groups.first.click()
            nav_height = page.evaluate("document.querySelector('header nav .nav').offsetHeight")
            if nav_height > 60:
                problems.append(f"{email} {locale}: the menu wraps at 1280 px ({nav_height} px)")
            audit(page, f"{email} {locale} /start at 1280 px, a menu group open")
            page.set_viewport_size({"width": 375, "height": 800})
        context.close()
    seconds = time.monotonic() - started
    print(
        f"\ncrawled {len(crawled)} pages ({len(audited)} audited by axe-core in"
        f" {timings['axe']:.0f} s) in {seconds:.0f} s; problems: {len(problems)}"
    )
    report = os.environ.get("DEELKRACHT_CRAWL_REPORT")
    if report:
        Path(f"{report}.{arrangement}").write_text(
            "\n".join(crawled) + "\n\n" + "\n".join(problems) + "\n"
        )
    assert crawled
    assert not problems, "\n".join(problems)
