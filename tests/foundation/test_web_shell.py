"""The web shell: error pages in the site's style, JSON errors under /api/, accessible markup.

Markup is checked with the standard library's html.parser: the language attribute, a skip link to
the main content as the first link, the landmarks, one h1, and a label for every form field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from flask import abort

from tests.api_helpers import problem_fields


@dataclass
class Element:
    tag: str
    attrs: dict
    text: str = ""
    parents: list = field(default_factory=list)


class Page(HTMLParser):
    """A small DOM-ish view of a page: elements with attributes, parents and their text."""

    VOID = {"meta", "link", "input", "br", "img", "hr", "source", "area", "base", "col", "wbr"}

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs), parents=[e.tag for e in self._open])
        self.elements.append(element)
        if tag not in self.VOID:
            self._open.append(element)

    def handle_endtag(self, tag):
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i].tag == tag:
                del self._open[i:]
                break

    def handle_data(self, data):
        for element in self._open:
            element.text += data

    def find_all(self, tag: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag]

    def find(self, tag: str) -> Element | None:
        found = self.find_all(tag)
        return found[0] if found else None


def assert_accessible_shell(html: str, *, logged_in: bool, lang: str = "nl") -> Page:
    page = Page(html)
    root = page.find("html")
    assert root is not None and root.attrs.get("lang") == lang
    assert page.find("title") is not None and page.find("title").text.strip()
    # Skip link: the first link of the body, to the main landmark.
    links = page.find_all("a")
    assert links and links[0].attrs.get("href") == "#main", "the skip link comes first"
    assert links[0].text.strip()
    mains = page.find_all("main")
    assert len(mains) == 1 and mains[0].attrs.get("id") == "main"
    assert len(page.find_all("header")) >= 1
    assert len(page.find_all("footer")) >= 1
    navs = page.find_all("nav")
    if logged_in:
        assert navs and all(n.attrs.get("aria-label") for n in navs)
    assert len(page.find_all("h1")) == 1
    assert all("main" in h.parents for h in page.find_all("h1"))
    # Every form field has a label (for=id), or is labelled another way.
    labels = {e.attrs.get("for") for e in page.find_all("label")}
    for control in page.find_all("input") + page.find_all("select") + page.find_all("textarea"):
        if control.attrs.get("type") in {"hidden", "submit", "button"}:
            continue
        labelled = (
            control.attrs.get("id") in labels
            or control.attrs.get("aria-label")
            or control.attrs.get("aria-labelledby")
            or "label" in control.parents
        )
        assert labelled, f"unlabelled form field: {control.attrs}"
    for button in page.find_all("button"):
        assert button.text.strip() or button.attrs.get("aria-label"), button.attrs
    # Works without JavaScript and within the CSP: no inline scripts or styles.
    for script in page.find_all("script"):
        assert script.attrs.get("src") and not script.text.strip()
    assert not page.find_all("style")
    assert not [e for e in page.elements if "style" in e.attrs]
    return page


def test_login_page_is_accessible(client):
    """/login: lang, skip link, landmarks, one h1, labelled fields, no inline script or style."""
    response = client.get("/login")
    assert response.status_code == 200
    page = assert_accessible_shell(response.get_data(as_text=True), logged_in=False)
    names = {i.attrs.get("name") for i in page.find_all("input")}
    assert {"email", "password"} <= names


def test_start_page_is_accessible_with_navigation(client, world, login):
    """/start for a logged-in user: the same, plus the labelled main navigation."""
    login(client, world.meer.ermelo.hr)
    response = client.get("/start")
    assert response.status_code == 200
    page = assert_accessible_shell(response.get_data(as_text=True), logged_in=True)
    current = [a for a in page.find_all("a") if a.attrs.get("aria-current") == "page"]
    assert current and "nav" in current[0].parents


def test_a_form_with_errors_stays_accessible(client, world):
    """A failed login re-renders with the error summary and fields tied to their messages."""
    response = client.post("/login", data={"email": "", "password": ""})
    assert response.status_code == 400
    page = assert_accessible_shell(response.get_data(as_text=True), logged_in=False)
    summary = [d for d in page.find_all("div") if "error-summary" in d.attrs.get("class", "")]
    assert summary and summary[0].attrs.get("role") == "alert"
    email = next(i for i in page.find_all("input") if i.attrs.get("name") == "email")
    assert email.attrs.get("aria-invalid") == "true"
    assert email.attrs.get("aria-describedby")


def test_404_page_in_the_sites_style(client):
    """An unknown page is a 404 in the site's layout, not a bare error."""
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    page = assert_accessible_shell(html, logged_in=False)
    assert "Niet gevonden" in page.find("h1").text
    assert 'href="/static/style.css' in html


@pytest.fixture
def failing_app(make_app, app):
    """The app with routes that fail in each way, as production runs it (no propagation)."""
    failing = make_app(PROPAGATE_EXCEPTIONS=False)

    def boom():
        raise RuntimeError("geheime details uit de stacktrace")

    def forbidden():
        abort(403)

    failing.add_url_rule("/_test/boom", "test_boom", boom)
    failing.add_url_rule("/_test/verboden", "test_forbidden", forbidden)
    failing.add_url_rule("/api/v1/_test/boom", "test_api_boom", boom)
    failing.add_url_rule("/api/v1/_test/verboden", "test_api_forbidden", forbidden)
    return failing


def test_an_exception_is_a_500_page_not_a_traceback(failing_app):
    """A route that raises answers with the 500 page in the site's style; nothing of the
    exception reaches the browser."""
    response = failing_app.test_client().get("/_test/boom")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "geheime details" not in html and "Traceback" not in html
    page = assert_accessible_shell(html, logged_in=False)
    assert "Er ging iets mis" in page.find("h1").text


def test_403_page_in_the_sites_style(failing_app):
    """A refusal is a 403 page in the same layout."""
    response = failing_app.test_client().get("/_test/verboden")
    assert response.status_code == 403
    page = assert_accessible_shell(response.get_data(as_text=True), logged_in=False)
    assert "Geen toegang" in page.find("h1").text


@pytest.mark.parametrize(
    ("url", "method", "status", "code"),
    [
        ("/api/v1/bestaat-niet", "GET", 404, "not_found"),
        ("/api/v1/_test/verboden", "GET", 403, "forbidden"),
        ("/api/v1/_test/boom", "GET", 500, "internal"),
        ("/api/v1/_test/boom", "DELETE", 405, "method_not_allowed"),
    ],
)
def test_api_errors_are_json_in_the_contract_format(failing_app, url, method, status, code):
    """Under /api/ every error is {"error": {"code", "message", "fields"}}, also a 500."""
    response = failing_app.test_client().open(url, method=method)
    assert response.status_code == status
    assert response.is_json
    error = response.get_json()
    assert error["code"] == code
    assert isinstance(error["detail"], str)
    assert problem_fields(error) == {}
    assert "geheime details" not in response.get_data(as_text=True)


def test_an_expired_form_is_a_400_page_not_a_crash(make_app, app):
    """With CSRF on, a form posted without a valid token gets the styled 400 page."""
    strict = make_app(WTF_CSRF_ENABLED=True)
    response = strict.test_client().post("/taal", data={"locale": "en"})
    assert response.status_code == 400
    page = assert_accessible_shell(response.get_data(as_text=True), logged_in=False)
    assert "Formulier verlopen" in page.find("h1").text


def test_pages_work_without_javascript(client, world, login):
    """No page of the shell needs a script: forms post, links link."""
    login(client, world.meer.ermelo.emp)
    for url in ("/", "/start", "/privacy", "/login"):
        html = client.get(url, follow_redirects=True).get_data(as_text=True)
        assert "<script" not in html, url


def test_a_500_for_a_logged_in_user_keeps_the_layout(failing_app, world, login):
    """The 500 page for a logged-in user still has the navigation and their name."""
    client = failing_app.test_client()
    login(client, world.meer.ermelo.emp)
    response = client.get("/_test/boom")
    assert response.status_code == 500
    page = assert_accessible_shell(response.get_data(as_text=True), logged_in=True)
    assert "Er ging iets mis" in page.find("h1").text


def test_database_down_is_a_500_page_not_a_traceback(make_app, app, world, login, tmp_path):
    """With the database unreachable, a logged-in page is still an error page in the site's
    layout (the plain fallback when the layout itself needs the database)."""
    client = app.test_client()
    login(client, world.meer.ermelo.emp)
    cookie = client.get_cookie("deelkracht_session", domain="deelkracht.test")
    down = make_app(
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'weg' / 'nergens.db'}",
        PROPAGATE_EXCEPTIONS=False,
    )
    other = down.test_client()
    other.set_cookie(cookie.key, cookie.value, domain=cookie.domain)
    for url in ("/start", "/login"):
        response = other.get(url)
        assert response.status_code == 500, url
        html = response.get_data(as_text=True)
        assert "Traceback" not in html and "OperationalError" not in html
        page = Page(html)
        assert page.find("main") is not None and page.find("h1") is not None
        assert page.find("html").attrs.get("lang")
