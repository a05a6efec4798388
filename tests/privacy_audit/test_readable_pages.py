"""Every page a person reads shows words and local dates, never the codes and timestamps the
data holds: no ISO timestamp (``2026-12-02T17:09``), no raw code (``match_proposed``,
``line_manager``, ``in_conversation``) in the visible text of any page, for each role, in
Dutch and English (issue 13, point 8). Uses the lived-in scene and the URL walk of the
privacy audit, so a new page is covered without being listed here."""

from __future__ import annotations

import re

import pytest

from tests.privacy_audit import scene as scenes
from tests.privacy_audit.snapshot import reachable_gets

ISO_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
# Codes with an underscore, and the one-word codes that are no word in either language; not
# inside an e-mail address or a URL.
CODES = re.compile(
    r"(?<![\w@./-])(match_[a-z_]+|application_(new|decision)|offer_(registered|ended)"
    r"|settings_changed|line_manager|in_conversation|hr_coordinators|reintegration)(?![\w@.-])"
)
ROLE_CODES = re.compile(r"(Rollen|Roles) (employee|line_manager|hr|coordinator)\b")
HIDDEN = re.compile(r"<(script|style|head)\b.*?</\1>|<[^>]+>", re.S)


def visible_text(html: str) -> str:
    return re.sub(r"\s+", " ", HIDDEN.sub(" ", html))


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_no_page_shows_a_raw_code_or_timestamp(
    locale, make_world, app, in_arrangement, api_token, login
):
    """Employee, line manager, HR and coordinator walk every page (not the API or
    downloads)."""
    world = make_world()
    meer = world.meer
    scenes.build(app, in_arrangement, world, api_token)
    pages = [
        url
        for url in reachable_gets(app, in_arrangement, world)
        if not url.startswith("/api/")
        and not re.search(r"\.(json|csv|xlsx|pdf)(\?|$)", url)
        and "/logout" not in url
    ]
    problems = []
    # (Ermelo's emp2 was proposed in the scene: their notifications hold match codes)
    for person in (meer.ermelo.emp2, meer.ermelo.lead, meer.harderwijk.hr, meer.coordinator):
        client = app.test_client()
        login(client, person)
        client.post("/taal", data={"locale": locale, "next": "/start"})
        for url in pages:
            response = client.get(url)
            if response.status_code != 200 or not response.mimetype.startswith("text/html"):
                continue
            text = visible_text(response.get_data(as_text=True))
            for pattern in (ISO_TIMESTAMP, CODES, ROLE_CODES):
                found = pattern.search(text)
                if found:
                    start = max(found.start() - 40, 0)
                    problems.append((person.email, url, text[start : found.end() + 40]))
    assert problems == []
