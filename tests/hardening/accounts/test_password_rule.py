"""Issue 10, finding 7: a new password is checked against common and breached passwords
(offline, the list zxcvbn ships; OWASP ASVS V6.2), by one rule wherever a password is set."""

from __future__ import annotations

import re

import pytest

from app.accounts import operations
from app.accounts.models import User

LINK = re.compile(r"http://deelkracht\.test(/\S+)")
WEAK = ("wachtwoord123", "Wachtwoord123", "welkomwelkom", "P@ssw0rd123", "1234567890", "qwertyuiop")
STRONG = "fietsen-langs-de-randmeren"
DUTCH = "te makkelijk te raden"
ENGLISH = "too easy to guess"


def _set(client, path, password, **kwargs):
    return client.post(path, data={"password": password, "confirm": password}, **kwargs)


def _can_log_in(app, email, password) -> bool:
    response = app.test_client().post("/login", data={"email": email, "password": password})
    return response.status_code == 302


def _reset_link(client, mail_outbox, email) -> str:
    client.post("/wachtwoord-vergeten", data={"email": email})
    return LINK.search(mail_outbox[-1].body).group(1)


@pytest.mark.parametrize("weak", WEAK)
def test_the_reset_link_refuses_common_passwords(app, client, world, mail_outbox, weak):
    """A common password (long enough) is a form error with a clear message; it is not set and
    the link still works."""
    emp = world.meer.ermelo.emp
    path = _reset_link(client, mail_outbox, emp.email)
    response = _set(client, path, weak)
    assert response.status_code == 400
    assert DUTCH in response.get_data(as_text=True)
    assert not _can_log_in(app, emp.email, weak)
    assert _set(client, path, STRONG).status_code == 302
    assert _can_log_in(app, emp.email, STRONG)


def test_the_persons_own_name_and_organisation_count_as_easy(app, client, world, mail_outbox):
    """Words of the person's context (organisation, name) are tried first by an attacker."""
    emp = world.meer.ermelo.emp
    path = _reset_link(client, mail_outbox, emp.email)
    assert _set(client, path, "Ermelo2026!").status_code == 400


def test_the_invitation_refuses_common_passwords_in_english_too(
    app, client, world, login, mail_outbox
):
    """Accepting an invitation goes through the same rule; the message is translated."""
    login(client, world.meer.ermelo.hr)
    client.post(
        "/medewerkers/uitnodigen", data={"name": "Nieuwe Collega", "email": "n@ermelo.test"}
    )
    path = LINK.search(mail_outbox[-1].body).group(1)
    newcomer = app.test_client()
    with newcomer.session_transaction() as browser:
        browser["locale"] = "en"
    response = _set(newcomer, path, "wachtwoord123")
    assert response.status_code == 400
    assert ENGLISH in response.get_data(as_text=True)
    assert _set(newcomer, path, STRONG).status_code == 302
    assert _can_log_in(app, "n@ermelo.test", STRONG)


def test_the_operation_itself_refuses_a_common_password(app, world, in_arrangement):
    """Any other way to set a password (a later form, the API) ends in set_password, which
    applies the same rule."""
    from app.accounts.passwords import WeakPassword

    with in_arrangement(world.meer.arrangement) as session:
        user = session.get(User, world.meer.ermelo.emp.id)
        before = user.password_hash
        with app.test_request_context(), pytest.raises(WeakPassword):
            operations.set_password(user, "wachtwoord123")
        assert user.password_hash == before
