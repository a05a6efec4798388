"""The acceptance crawl of tests/browser/test_crawl.py for the roles of De Wolden Hoogeveen (a
module of its own, so pytest-xdist runs it next to Meerinzicht's)."""

from __future__ import annotations

import pytest

from tests.browser.test_crawl import crawl, demo  # noqa: F401  (demo: the fixture)

pytestmark = pytest.mark.browser


def test_every_menu_and_start_page_link_is_accessible_narrow_and_readable(
    demo,  # noqa: F811
    browser,
    live_server,
):
    crawl("dewolden-hoogeveen", browser, live_server)
