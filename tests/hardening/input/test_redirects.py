"""Issue 10, finding 1: after logging in (``/login?next=``) and switching the language
(``/taal``, field ``next``) the browser goes only to a path of this site. Targets that a browser
reads as another host (a tab or newline removed, a backslash read as ``/``) and targets with
CR/LF go to the start page instead, and never make a 500 after the session was made."""

from __future__ import annotations

import pytest

from app.redirects import is_safe_local
from tests.support.world import PASSWORD

#: Each of these leads a browser off the site, or cannot go into a header, once "followed".
HOSTILE = [
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r/evil.example",
    "/\\evil.example",
    "/\\/evil.example",
    "//evil.example",
    "///evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    " /\t/evil.example",
    "/start\r\nSet-Cookie: stolen=1",
    "/\u3000/evil.example",
    "evil.example",
]


def _location_is_local(location: str) -> bool:
    """What a browser does with the header (WHATWG): drop tabs/newlines, read ``\\`` as ``/``."""
    cleaned = "".join(ch for ch in location if ch not in "\t\n\r").replace("\\", "/").strip()
    return cleaned.startswith("/") and not cleaned.startswith("//")


@pytest.mark.parametrize("target", HOSTILE)
def test_login_next_never_leaves_the_site(client, world, target):
    """A hostile ``next`` on the login form: logged in (302), sent to the start page."""
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": world.meer.ermelo.emp.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/start"
    assert _location_is_local(response.headers["Location"])
    assert client.get("/start").status_code == 200  # the session works


@pytest.mark.parametrize("target", HOSTILE)
def test_language_switch_next_never_leaves_the_site(client, target):
    """The language switch's ``next`` falls back to the welcome page for the same targets."""
    response = client.post("/taal", data={"locale": "en", "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", ["/start\x00", "/\x0b/evil.example"])
def test_a_target_with_unusable_characters_is_refused_before_login(client, world, target):
    """A NUL or vertical tab in ``next`` is refused at the edge (400) like in any other field:
    no session is made, no redirect anywhere."""
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": world.meer.ermelo.emp.email, "password": PASSWORD},
    )
    assert response.status_code == 400
    assert "Location" not in response.headers
    assert client.get("/start").status_code == 302  # not logged in
    assert not is_safe_local(target)


@pytest.mark.parametrize(
    "target", ["/start", "/klussen?q=tuin&page=2", "/klussen?q=caf%C3%A9", "/klussen/12"]
)
def test_local_targets_are_kept(client, world, target):
    """A plain path of the site, with its query, is where the login leads."""
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": world.meer.ermelo.emp.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == target


def test_a_search_with_other_letters_is_kept_encoded(client):
    """The language switch keeps a search for "café" (percent-encoded for the header)."""
    response = client.post("/taal", data={"locale": "en", "next": "/klussen?q=café"})
    assert response.headers["Location"] == "/klussen?q=caf%C3%A9"


def test_every_hostile_target_is_refused_by_the_helper():
    """The one helper both pages use says no to every hostile target."""
    assert not any(is_safe_local(t) for t in HOSTILE)
