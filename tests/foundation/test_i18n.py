"""Dutch UI with English available: the language switch, a complete English catalog, and
dates and numbers in the reader's language.

Dutch is the source language (the msgids). ``scripts/translations.sh`` extracts the messages,
updates app/translations/en/LC_MESSAGES/messages.po and compiles the .mo. The catalog tests
fail while a message in the code or templates is missing from the .po, untranslated, fuzzy or has
different placeholders, or while the committed .mo is not the compiled .po: run the script and
translate what it lists.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from tests.foundation.test_web_shell import Page

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "app" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "_l": None,
    "lazy_gettext": None,
    "lazy_ngettext": (1, 2),
}


def _catalog():
    with PO.open("rb") as f:
        return read_po(f)


def _extracted_msgids() -> set[str]:
    with (ROOT / "babel.cfg").open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_message_in_code_and_templates_is_in_the_english_catalog():
    """No msgid used in app/, tenants/, worker/ or templates/ is missing from the .po."""
    extracted = _extracted_msgids()
    assert len(extracted) > 100
    catalog_ids = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog() if m.id}
    missing = sorted(extracted - catalog_ids)
    assert missing == [], (
        f"{len(missing)} message(s) not in {PO.relative_to(ROOT)}; run scripts/translations.sh "
        f"and translate them: {missing[:20]}"
    )


def test_every_message_is_translated_and_placeholders_match():
    """Every entry has an English text, none is fuzzy, and the placeholders are the same."""
    catalog = _catalog()
    untranslated = [
        m.id
        for m in catalog
        if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple) else [m.string]))
    ]
    assert untranslated == [], f"{len(untranslated)} untranslated or fuzzy: {untranslated[:20]}"
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check()]
    assert problems == []


def _messages(catalog) -> dict:
    """Every translated message of a catalog as {(context, msgid): msgstr}, without the header.
    Compares what a reader gets, not the bytes: the .mo header names the Babel version that
    compiled it, so a byte comparison would fail on any other Babel release. (Babel before 2.17
    reads a message context from a .mo as bytes, later releases as text.)"""
    return {
        (m.context.decode() if isinstance(m.context, bytes) else m.context, m.id): m.string
        for m in catalog
        if m.id and not m.fuzzy and (m.string if isinstance(m.string, str) else all(m.string))
    }


def test_the_compiled_catalog_is_up_to_date():
    """The committed .mo holds exactly the messages of the committed .po (any Babel version)."""
    with MO.open("rb") as f:
        compiled = read_mo(f)
    assert _messages(compiled) == _messages(_catalog()), "run scripts/translations.sh"


def test_the_catalog_check_sees_a_stale_mo():
    """Control: a .mo compiled from a .po with one message changed differs from the .po."""
    catalog = _catalog()
    message = next(m for m in catalog if m.id and isinstance(m.string, str))
    message.string = message.string + " (oud)"
    stale = io.BytesIO()
    write_mo(stale, catalog)
    stale.seek(0)
    assert _messages(read_mo(stale)) != _messages(_catalog())


def _lang_and_heading(client, url: str) -> tuple[str, str]:
    page = Page(client.get(url).get_data(as_text=True))
    return page.find("html").attrs["lang"], page.find("h1").text.strip()


def test_the_language_switch_changes_the_page_to_english_and_back(client):
    """POST /taal switches the interface to English (lang="en", English texts) and back."""
    assert _lang_and_heading(client, "/login") == ("nl", "Inloggen")
    response = client.post("/taal", data={"locale": "en", "next": "/login"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert _lang_and_heading(client, "/login") == ("en", "Log in")
    html = client.get("/login").get_data(as_text=True)
    assert "Skip to content" in html and "Email address" in html and "Password" in html
    assert "Nederlands" in html  # the way back, labelled in its own language
    client.post("/taal", data={"locale": "nl", "next": "/login"})
    assert _lang_and_heading(client, "/login") == ("nl", "Inloggen")


def test_the_language_choice_survives_login_and_shows_on_the_role_page(client, world, login):
    """Chosen before logging in, English stays for the session, on every page."""
    client.post("/taal", data={"locale": "en", "next": "/"})
    client.post(
        "/login", data={"email": world.meer.ermelo.hr.email, "password": "geheim-wachtwoord-1"}
    )
    html = client.get("/start").get_data(as_text=True)
    page = Page(html)
    assert page.find("html").attrs["lang"] == "en"
    assert f"Welcome, {world.meer.ermelo.hr.name}" in html
    assert "You are an HR adviser of" in html
    assert "Invite an employee" in html


def test_an_unknown_language_is_ignored(client):
    """Only the offered languages can be chosen; anything else leaves Dutch."""
    client.post("/taal", data={"locale": "xx", "next": "/login"})
    assert _lang_and_heading(client, "/login")[0] == "nl"


def test_the_language_switch_redirects_only_inside_the_site(client):
    """`next` cannot send the user to another site."""
    for target in ("https://elders.example/", "//elders.example/", "javascript:alert(1)"):
        response = client.post("/taal", data={"locale": "en", "next": target})
        assert response.status_code == 302
        assert response.headers["Location"] in ("/", "http://deelkracht.test/")


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("nl", ["22 nov 2026", "22 november 2026", "1.234,5", "€ 62,50", "22 nov 2026, 17:30"]),
        ("en", ["Nov 22, 2026", "November 22, 2026", "1,234.5", "€62.50", "Nov 22, 2026, 5:30"]),
    ],
)
def test_dates_and_numbers_follow_the_language(app, locale, expected):
    """The template filters date, datetime, number and money format for the reader's language
    (and show stored UTC times in Dutch time)."""
    from flask import render_template_string
    from flask_babel import force_locale

    template = "{{ d|date }}|{{ d|date('long') }}|{{ n|number }}|{{ m|money }}|{{ t|datetime }}"
    with app.test_request_context("/"), force_locale(locale):
        out = render_template_string(
            template,
            d=date(2026, 11, 22),
            n=Decimal("1234.5"),
            m=Decimal("62.50"),
            t=datetime(2026, 11, 22, 16, 30),  # UTC, as stored
        )
    parts = [p.replace("\u202f", " ").replace("\xa0", " ") for p in out.split("|")]
    for part, want in zip(parts, expected, strict=True):
        assert part.startswith(want), (part, want)
