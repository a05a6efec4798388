"""Sign-in through the organisation's own OpenID provider, against a real provider (issue 12)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts.models import User
from tests.sso.conftest import configure, new_key, through_provider

pytestmark = pytest.mark.sqlite


def person(sub: str, email: str, name: str = "Nieuwe Collega") -> dict:
    return {sub: {"email": email, "email_verified": True, "name": name}}


def start(client, email: str):
    response = client.post("/login/werkaccount", data={"work-email": email})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return response


def users_with(in_arrangement, arrangement_id, email):
    with in_arrangement(arrangement_id) as session:
        return [
            (u.organisation_id, u.sso_issuer, u.sso_subject)
            for u in session.scalars(select(User).where(User.email == email))
        ]


def test_first_sign_in_creates_the_account_in_the_providers_organisation(
    app, world, in_arrangement, oidc_provider
):
    """A person unknown to Deelkracht signs in through Ermelo's provider: an account is made in
    Ermelo (just in time), keyed by (issuer, sub), and they land on the start page, logged in."""
    provider = oidc_provider(person("abc-123", "nieuw@ermelo.test"))
    org = world.meer.ermelo.org
    configure(in_arrangement, org, provider)
    client = app.test_client()
    response = through_provider(client, start(client, "nieuw@ermelo.test"), "abc-123")
    assert response.status_code == 302 and response.headers["Location"] == "/start"
    assert users_with(in_arrangement, org.arrangement_id, "nieuw@ermelo.test") == [
        (org.id, provider.issuer, "abc-123")
    ]
    assert client.get("/api/v1/me").status_code == 401  # the browser session is not a token
    home = client.get("/start")
    assert home.status_code == 200 and "Nieuwe Collega" in home.get_data(as_text=True)
    # A second sign-in finds the same account by (issuer, sub).
    client2 = app.test_client()
    assert (
        through_provider(client2, start(client2, "nieuw@ermelo.test"), "abc-123").status_code == 302
    )
    assert len(users_with(in_arrangement, org.arrangement_id, "nieuw@ermelo.test")) == 1


def test_an_existing_account_of_the_organisation_is_linked_once(
    app, world, in_arrangement, oidc_provider
):
    """The provider's verified e-mail matches an Ermelo account: linked to (issuer, sub), once;
    a second identity with the same address cannot take it over."""
    emp = world.meer.ermelo.emp
    provider = oidc_provider({**person("emp-sub", emp.email), **person("other-sub", emp.email)})
    configure(in_arrangement, world.meer.ermelo.org, provider)
    client = app.test_client()
    assert through_provider(client, start(client, emp.email), "emp-sub").status_code == 302
    with in_arrangement(emp.arrangement_id) as session:
        linked = session.get(User, emp.id)
        assert (linked.sso_issuer, linked.sso_subject) == (provider.issuer, "emp-sub")
    client2 = app.test_client()
    refused = through_provider(client2, start(client2, emp.email), "other-sub")
    assert refused.status_code == 403
    assert client2.get("/start").status_code == 302  # not logged in


def test_a_provider_cannot_sign_anyone_into_another_organisation(
    app, world, in_arrangement, oidc_provider
):
    """Harderwijk's provider asserts the address of an Ermelo employee: the person gets (or
    is) an account of Harderwijk, never Ermelo's; Ermelo's account stays unlinked."""
    emp = world.meer.ermelo.emp
    provider = oidc_provider(person("h-1", emp.email))
    harderwijk = world.meer.harderwijk.org
    configure(in_arrangement, harderwijk, provider, domains="harderwijk.test")
    client = app.test_client()
    response = through_provider(client, start(client, "iemand@harderwijk.test"), "h-1")
    assert response.status_code == 302
    rows = users_with(in_arrangement, emp.arrangement_id, emp.email)
    assert sorted(rows) == sorted(
        [(emp.organisation_id, None, None), (harderwijk.id, provider.issuer, "h-1")]
    )
    me = client.get("/start").get_data(as_text=True)
    assert "Gemeente Harderwijk" in me


def test_same_issuer_for_two_organisations_does_not_cross(
    app, world, in_arrangement, oidc_provider
):
    """Two organisations share one provider (a GR's tenant): a person linked in Ermelo who comes
    in through Harderwijk's configuration gets the 'other organisation' page, not a session."""
    emp = world.meer.ermelo.emp
    provider = oidc_provider(person("shared-1", emp.email))
    configure(in_arrangement, world.meer.ermelo.org, provider)
    configure(in_arrangement, world.meer.harderwijk.org, provider, domains="harderwijk.test")
    client = app.test_client()
    assert through_provider(client, start(client, emp.email), "shared-1").status_code == 302
    other = app.test_client()
    response = through_provider(other, start(other, "x@harderwijk.test"), "shared-1")
    assert response.status_code == 403
    assert "andere organisatie" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "mode", ["wrong-audience", "expired", "bad-signature", "wrong-nonce", "wrong-issuer"]
)
def test_a_faulty_id_token_is_refused_with_a_clear_page(
    mode, app, world, in_arrangement, oidc_provider
):
    """The provider hands out an ID token with the wrong audience, expired, with a broken
    signature, another nonce or another issuer: no session, a page that says why, no 500."""
    provider = oidc_provider(person("t-1", "t@ermelo.test"))
    configure(in_arrangement, world.meer.ermelo.org, provider)
    client = app.test_client()
    redirect = start(client, "t@ermelo.test")
    provider.tamper(mode)
    response = through_provider(client, redirect, "t-1")
    assert response.status_code == 400
    assert "niet worden gecontroleerd" in response.get_data(as_text=True)
    assert client.get("/start").status_code == 302
    assert users_with(in_arrangement, world.meer.arrangement.id, "t@ermelo.test") == []


def test_a_replayed_callback_is_refused(app, world, in_arrangement, oidc_provider):
    """The provider's redirect (code and state) used a second time: refused, clear page."""
    provider = oidc_provider(person("r-1", "r@ermelo.test"))
    configure(in_arrangement, world.meer.ermelo.org, provider)
    client = app.test_client()
    redirect = start(client, "r@ermelo.test")
    seen = {}
    original = client.get

    def remember(url, *args, **kwargs):
        seen.setdefault("url", url)
        return original(url, *args, **kwargs)

    client.get = remember
    assert through_provider(client, redirect, "r-1").status_code == 302
    client.get = original
    # The same browser (state gone from its session) and another one (no state at all).
    assert client.get(seen["url"]).status_code == 400
    assert app.test_client().get(seen["url"]).status_code == 400


def test_a_replayed_code_is_refused_by_the_provider(app, world, in_arrangement, oidc_provider):
    """A code already exchanged is refused at the token endpoint: clear page, no session."""
    provider = oidc_provider(person("c-1", "c@ermelo.test"))
    configure(in_arrangement, world.meer.ermelo.org, provider)
    client = app.test_client()
    first = start(client, "c@ermelo.test")
    with client.session_transaction() as saved:
        state = dict(saved)
    captured = {}
    original = client.get

    def capture(url, *args, **kwargs):
        captured["url"] = url
        return original(url, *args, **kwargs)

    client.get = capture
    assert through_provider(client, first, "c-1").status_code == 302
    client.get = original
    attacker = app.test_client()
    with attacker.session_transaction() as stolen:
        stolen.update(state)
    response = attacker.get(captured["url"])
    assert response.status_code == 400
    assert attacker.get("/start").status_code == 302


def test_key_rotation_at_the_provider(app, world, in_arrangement, oidc_provider):
    """The provider signs with a new key after a sign-in (the app holds the old key set): the
    next sign-in fetches the key set again and succeeds."""
    provider = oidc_provider(person("k-1", "k@ermelo.test"))
    configure(in_arrangement, world.meer.ermelo.org, provider)
    client = app.test_client()
    assert through_provider(client, start(client, "k@ermelo.test"), "k-1").status_code == 302
    provider.restart(keys=[new_key("key-2")])
    client2 = app.test_client()
    response = through_provider(client2, start(client2, "k@ermelo.test"), "k-1")
    assert response.status_code == 302 and response.headers["Location"] == "/start"


def test_a_provider_that_is_down_blocks_only_its_own_organisation(
    app, world, in_arrangement, oidc_provider
):
    """Zeewolde's provider does not answer: a clear page (502) for Zeewolde's staff, while
    Ermelo's staff sign in through theirs and password users log in as before."""
    provider = oidc_provider(person("e-1", "e@ermelo.test"))
    configure(in_arrangement, world.meer.ermelo.org, provider)
    configure(in_arrangement, world.meer.zeewolde.org, None, domains="zeewolde.test")
    client = app.test_client()
    down = client.post("/login/werkaccount", data={"work-email": "x@zeewolde.test"})
    assert down.status_code == 502
    assert "niet bereikbaar" in down.get_data(as_text=True)
    assert through_provider(client, start(client, "e@ermelo.test"), "e-1").status_code == 302
    other = app.test_client()
    login = other.post(
        "/login", data={"email": world.meer.harderwijk.emp.email, "password": "geheim-wachtwoord-1"}
    )
    assert login.status_code == 302


def test_cancelled_at_the_provider(app, world, in_arrangement, oidc_provider):
    """The person cancels at the provider (access_denied): a page saying so, no session."""
    provider = oidc_provider(person("x-1", "x@ermelo.test"))
    configure(in_arrangement, world.meer.ermelo.org, provider)
    client = app.test_client()
    redirect = start(client, "x@ermelo.test")
    with client.session_transaction() as saved:
        state_key = next(k for k in saved if k.startswith("_state_"))
    state = state_key.rsplit("_", 1)[1]
    response = client.get(f"/login/werkaccount/terug?error=access_denied&state={state}")
    assert response.status_code == 400
    assert "afgebroken" in response.get_data(as_text=True)
    assert redirect.status_code == 302


def test_deactivated_account_cannot_sign_in(app, world, in_arrangement, oidc_provider):
    """A deactivated account stays out, even with a valid sign-in at the provider."""
    emp = world.meer.ermelo.emp
    provider = oidc_provider(person("d-1", emp.email))
    configure(in_arrangement, world.meer.ermelo.org, provider)
    with in_arrangement(emp.arrangement_id) as session:
        session.get(User, emp.id).active = False
        session.commit()
    client = app.test_client()
    response = through_provider(client, start(client, emp.email), "d-1")
    assert response.status_code == 403
    assert "niet meer actief" in response.get_data(as_text=True)


def test_password_login_off_sends_staff_to_their_provider(
    app, world, in_arrangement, oidc_provider, login
):
    """With password_login = false, the right password is refused (403, both on the page and
    the API) with a pointer to the work-account button; a wrong one gets the usual answer."""
    emp = world.meer.ermelo.emp
    configure(in_arrangement, world.meer.ermelo.org, None, password_login=False)
    client = app.test_client()
    page = client.post("/login", data={"email": emp.email, "password": "geheim-wachtwoord-1"})
    assert page.status_code == 403 and "werkaccount" in page.get_data(as_text=True)
    wrong = client.post("/login", data={"email": emp.email, "password": "fout-wachtwoord-99"})
    assert wrong.status_code == 401
    api = client.post(
        "/api/v1/auth/token", json={"email": emp.email, "password": "geheim-wachtwoord-1"}
    )
    assert api.status_code == 403


def test_logout_ends_the_providers_session_too(app, world, in_arrangement, oidc_provider):
    """Logout ends the local session and sends the browser to the provider's
    end_session_endpoint with the ID token as hint."""
    provider = oidc_provider(person("l-1", "l@ermelo.test"))
    configure(in_arrangement, world.meer.ermelo.org, provider)
    client = app.test_client()
    assert through_provider(client, start(client, "l@ermelo.test"), "l-1").status_code == 302
    response = client.post("/logout")
    assert response.status_code == 302
    assert response.headers["Location"].startswith(f"{provider.issuer}/session/end")
    assert "id_token_hint=" in response.headers["Location"]
    assert client.get("/start").status_code == 302
