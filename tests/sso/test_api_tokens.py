"""Personal API tokens from a page: for people who sign in through their organisation's
provider and have no password (issue 12)."""

from __future__ import annotations

import re

import pytest

from tests.sso.conftest import configure, through_provider

pytestmark = pytest.mark.sqlite


def make_token(client) -> str:
    page = client.post("/api-tokens")
    assert page.status_code == 200
    return re.search(r'<code id="new-token">([^<]+)</code>', page.get_data(as_text=True)).group(1)


def test_a_person_signed_in_through_the_provider_makes_uses_and_revokes_a_token(
    app, world, in_arrangement, oidc_provider
):
    """Shown once, works as a bearer token, listed by its hash only, revoked: 401 after."""
    provider = oidc_provider({"p-1": {"email": "p@ermelo.test", "email_verified": True}})
    configure(in_arrangement, world.meer.ermelo.org, provider, password_login=False)
    client = app.test_client()
    start = client.post("/login/werkaccount", data={"work-email": "p@ermelo.test"})
    assert through_provider(client, start, "p-1").status_code == 302
    token = make_token(client)
    bearer = {"Authorization": f"Bearer {token}"}
    api = app.test_client()
    me = api.get("/api/v1/me", headers=bearer)
    assert me.status_code == 200 and me.get_json()["email"] == "p@ermelo.test"
    listing = client.get("/api-tokens").get_data(as_text=True)
    assert token not in listing  # shown once
    token_id = re.search(r"/api-tokens/([0-9a-f]{12})/intrekken", listing).group(1)
    assert client.post(f"/api-tokens/{token_id}/intrekken").status_code == 302
    assert api.get("/api/v1/me", headers=bearer).status_code == 401


def test_nobody_revokes_another_persons_token(app, world, login):
    """A token id of someone else (even of the same organisation) is a 404 and stays valid."""
    owner, other = app.test_client(), app.test_client()
    login(owner, world.meer.ermelo.emp)
    login(other, world.meer.ermelo.emp2)
    token = make_token(owner)
    token_id = re.search(
        r"/api-tokens/([0-9a-f]{12})/intrekken", owner.get("/api-tokens").get_data(as_text=True)
    ).group(1)
    assert other.post(f"/api-tokens/{token_id}/intrekken").status_code == 404
    headers = {"Authorization": f"Bearer {token}"}
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 200
