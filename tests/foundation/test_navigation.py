"""The main menu is grouped (issue 13): at most seven top items for every role, a group with
several pages is a disclosure (``<details>``, usable without JavaScript), and the page being shown
is marked in it. (tests/browser/test_crawl.py checks the menu in a browser, at 375 and 1280 px.)"""

from __future__ import annotations

from html.parser import HTMLParser


class _Menu(HTMLParser):
    """Top items of ``<ul class="nav">`` (depth-1 ``<li>``), the summaries and current links."""

    def __init__(self):
        super().__init__()
        self.depth = 0  # depth of <ul> inside the menu (0: outside)
        self.top = 0
        self.groups = 0
        self.current: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "ul" and (self.depth or attrs.get("class") == "nav"):
            self.depth += 1
        elif tag == "li" and self.depth == 1:
            self.top += 1
        elif tag == "details" and self.depth:
            self.groups += 1
        elif tag == "a" and self.depth and "aria-current" in attrs:
            self.current.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "ul" and self.depth:
            self.depth -= 1


def _menu(client, url: str) -> _Menu:
    menu = _Menu()
    menu.feed(client.get(url).get_data(as_text=True))
    return menu


def test_every_role_has_at_most_seven_top_items(app, world, login):
    meer = world.meer
    for person in (meer.ermelo.emp, meer.ermelo.lead, meer.ermelo.hr, meer.coordinator):
        client = app.test_client()
        login(client, person)
        for locale in ("nl", "en"):
            client.post("/taal", data={"locale": locale, "next": "/start"})
            menu = _menu(client, "/start")
            assert 3 <= menu.top <= 7, (person.email, locale, menu.top)
            assert menu.groups >= 1, person.email  # e.g. "Werk": Klussen, Voor jou
            assert menu.current == ["/start"]
    hr = app.test_client()
    login(hr, meer.ermelo.hr)
    assert _menu(hr, "/klussen").current == ["/klussen"]


def test_the_menu_is_registered_per_app_by_the_domains_not_at_import():
    """Issue 9: the menu and the start-page cards are data in the view modules, registered by
    each domain's ``init_app`` on its own app. A second app in the same process (every worker,
    every test) has the same items, each once: nothing accumulates in a module-level list."""
    from app import create_app
    from app.web import navigation

    first = create_app({"TESTING": True}).extensions["navigation"]
    second = create_app({"TESTING": True}).extensions["navigation"]
    endpoints = [item.endpoint for item in second.items]
    assert endpoints == [item.endpoint for item in first.items]
    assert len(endpoints) == len(set(endpoints))
    assert {"web.home", "pool.jobs_list", "matches.index", "reports.overview"} <= set(endpoints)

    def card(link):
        return str(link.section), link.endpoint, str(link.label), link.order

    cards = [card(link) for link in second.home_links]
    assert cards == [card(link) for link in first.home_links]
    assert len(cards) == len(set(cards))
    assert [item.order for item in second.items] == sorted(item.order for item in second.items)
    # No module-level registry the import of a view module could add to.
    assert not hasattr(navigation, "add") and not hasattr(navigation, "add_home_link")
    assert not hasattr(navigation, "ITEMS")


def test_importing_a_module_registers_nothing():
    """Issue 9's explicit wiring, checked in a fresh interpreter: importing every module of
    ``app`` leaves the registries empty (no outbox handler, no schedule, no match notification
    kind); ``create_app`` fills them through each domain's ``init_app``."""
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent(
        """
        import importlib, pkgutil
        import app
        for module in pkgutil.walk_packages(app.__path__, "app."):
            importlib.import_module(module.name)
        from app.outbox import delivery, schedules
        from app.pool.notifications.operations import KINDS
        before = (len(delivery.HANDLERS), len(schedules.SCHEDULES), "match_proposed" in KINDS)
        app.create_app({"TESTING": True})
        after = (len(delivery.HANDLERS), len(schedules.SCHEDULES), "match_proposed" in KINDS)
        print(before, after)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    ).stdout.split("\n")[-2]
    before, after = out.split(") (")
    assert before == "(0, 0, False", out
    handlers, schedules, kinds = after.rstrip(")").split(", ")
    assert int(handlers) > 0 and int(schedules) > 0 and kinds == "True", out
