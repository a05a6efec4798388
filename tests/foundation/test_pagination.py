"""The one pagination (issue 9): ``templates/_pagination.html`` renders the links of every paged
page, accessibly, from ``page`` and ``pages`` alone (db.paginate's Pagination, a JobPage)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


class Links(HTMLParser):
    """The nav's label, its links (attributes and text) and the hidden gaps."""

    def __init__(self, html: str):
        super().__init__()
        self.nav_label: str | None = None
        self.links: list[dict] = []
        self.gaps: list[str] = []
        self._in: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav":
            self.nav_label = attrs.get("aria-label")
        elif tag == "a":
            self.links.append({**attrs, "text": ""})
            self._in = "a"
        elif tag == "li" and attrs.get("aria-hidden") == "true":
            self.gaps.append("")
            self._in = "gap"

    def handle_endtag(self, tag):
        if tag in ("a", "li"):
            self._in = None

    def handle_data(self, data):
        if self._in == "a":
            self.links[-1]["text"] += data
        elif self._in == "gap":
            self.gaps[-1] += data


def _render(app, page: int, pages: int, args: dict | None = None) -> Links:
    with app.test_request_context("/"):
        macro = app.jinja_env.get_template("_pagination.html").module.pagination
        html = str(macro(SimpleNamespace(page=page, pages=pages), "pool.offers_list", args or {}))
    return Links(html)


@pytest.mark.sqlite
def test_links_around_the_current_page_with_first_last_previous_and_next(app):
    """Page 7 of 20: previous (6), 1, …, 4-10, …, 20, next (8); the current page is marked with
    aria-current and named "Pagina 7" for screen readers; the filters stay, None values go."""
    nav = _render(app, 7, 20, {"q": "tuin", "skill": None})
    assert nav.nav_label == "Paginering"
    first, *numbered, last = nav.links
    assert first["rel"] == "prev" and first["href"] == "/krachten?q=tuin&page=6"
    assert last["rel"] == "next" and last["href"] == "/krachten?q=tuin&page=8"
    assert [int(a["text"].split()[-1]) for a in numbered] == [1, 4, 5, 6, 7, 8, 9, 10, 20]
    current = [a for a in nav.links if a.get("aria-current") == "page"]
    assert len(current) == 1 and " ".join(current[0]["text"].split()) == "Pagina 7"
    assert nav.gaps == ["…", "…"]
    assert all("skill" not in a["href"] for a in nav.links)


@pytest.mark.sqlite
def test_first_and_last_page_have_no_link_past_the_end(app):
    """Page 1 has no "Vorige", the last page no "Volgende", one page no navigation at all, and
    a page past the end offers the last page as its previous."""
    rels = lambda nav: {a.get("rel"): a["href"] for a in nav.links if a.get("rel")}  # noqa: E731
    assert rels(_render(app, 1, 3)) == {"next": "/krachten?page=2"}
    assert rels(_render(app, 3, 3)) == {"prev": "/krachten?page=2"}
    assert _render(app, 1, 1).nav_label is None and _render(app, 1, 1).links == []
    assert rels(_render(app, 10_000, 3)) == {"prev": "/krachten?page=3"}


@pytest.mark.sqlite
def test_each_link_is_the_url_of_its_page_with_the_filters_and_the_anchor(app):
    """The links are made from one URL of the list (app.pagination.page_links): each is exactly
    what url_for makes for its page, with the filters (quoted; None left out; a ``page`` among
    them replaced) and the anchor, as the macro renders them."""
    from flask import url_for

    args = {"q": "tuin & hek/é?", "skill": None, "organisation": "ermelo", "page": "9"}
    with app.test_request_context("/"):
        macro = app.jinja_env.get_template("_pagination.html").module.pagination
        html = str(macro(SimpleNamespace(page=7, pages=20), "pool.offers_list", args, 3, "tab 2"))
        nav = Links(html)
        rest = {k: v for k, v in args.items() if k != "page"}
        expected = {n: url_for("pool.offers_list", _anchor="tab 2", **rest, page=n)
                    for n in (1, 4, 5, 6, 7, 8, 9, 10, 20)}  # fmt: skip
        plain = Links(str(macro(SimpleNamespace(page=2, pages=3), "workspace.staff", {})))
    assert "q=tuin+%26+hek/%C3%A9?&organisation=ermelo&page=6#tab%202" in expected[6]
    first, *numbered, last = nav.links
    assert first["href"] == expected[6] and last["href"] == expected[8]
    assert {int(a["text"].split()[-1]): a["href"] for a in numbered} == expected
    assert [a["href"] for a in plain.links] == [f"/medewerkers?page={n}" for n in (1, 1, 2, 3, 3)]


@pytest.mark.parametrize(
    "query",
    ["endpoint=x", "_method=1", "_anchor=x", "_scheme=javascript", "_external=1&_scheme=ftp"],
)
def test_a_query_string_with_url_fors_own_names_is_neither_a_500_nor_in_the_links(
    client, world, login, monkeypatch, query
):
    """The staff list hands its query string to the page links. Names that url_for takes as
    its own made it raise (a 500: ``endpoint``, ``_method``) or every link point at page 1
    (``_anchor``); now the list passes on its filters only, and page_links drops such names
    whatever it is given (found in review)."""
    from app.pagination import page_links

    monkeypatch.setattr("app.workspace.views.PER_PAGE", 1)  # more than one page
    login(client, world.meer.ermelo.hr)
    response = client.get(f"/medewerkers?q=e&{query}")
    assert response.status_code == 200
    links = [a["href"] for a in Links(response.get_data(as_text=True)).links]
    paged = [href for href in links if "page=" in href]
    assert paged and all(href.startswith("/medewerkers?q=e&page=") for href in paged), links
    with client.application.test_request_context("/"):
        nav = page_links(2, 3, "workspace.staff", {"q": "e", "endpoint": "x", "_method": "1"})
    assert nav["next"] == "/medewerkers?q=e&page=3"


@pytest.mark.sqlite
def test_every_paged_page_uses_the_one_macro():
    """No template writes its own "Vorige"/"Volgende" links: each paged list calls the macro."""
    paged = sorted(
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if "{{ pagination(" in path.read_text(encoding="utf-8")
    )
    assert paged == [
        "matches/list.html",
        "pool/applications/list.html",
        "pool/jobs/list.html",
        "pool/jobs/mine.html",
        "pool/offers/list.html",
        "reports/_table.html",
        "workspace/staff/list.html",
    ]
    for path in TEMPLATES.rglob("*.html"):
        if path.name != "_pagination.html":
            assert "_('Volgende')" not in path.read_text(encoding="utf-8"), path


def test_a_db_paginated_page_sends_the_same_statements_for_more_rows(
    app, client, world, login, in_arrangement, count_queries
):
    """/medewerkers (db.paginate through app.pagination.page_of, 50 a page): the same number of
    SQL statements with 9 staff as with 69 (two pages), and no more on the second page: the
    page's rows and one count, never a statement per row."""
    from app.accounts.models import User

    ermelo = world.meer.ermelo
    login(client, ermelo.hr)

    def add_staff(first: int, n: int) -> None:
        with in_arrangement(world.meer.arrangement) as session:
            for i in range(first, first + n):
                session.add(
                    User(
                        organisation_id=ermelo.org.id,
                        department_id=ermelo.team.id,
                        email=f"staff{i}@ermelo.test",
                        name=f"Medewerker {i:03d}",
                    )
                )
            session.commit()

    def statements(url: str) -> int:
        client.get(url)  # warm-up (menu and catalogue caches)
        with count_queries() as sent:
            response = client.get(url)
        assert response.status_code == 200
        return len(sent)

    few = statements("/medewerkers")
    add_staff(0, 60)
    many = statements("/medewerkers")
    page = client.get("/medewerkers?page=2").get_data(as_text=True)
    assert 'aria-current="page"' in page and 'href="/medewerkers?page=1"' in page
    assert many == few, (few, many)
    # The second page's rows are of one department (the first page's of two): no more.
    assert statements("/medewerkers?page=2") <= many
