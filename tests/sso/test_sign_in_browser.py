"""The sign-in through the organisation's provider in Chromium: the login page, the provider's
own form, back on the start page (issue 12)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import browser, live_server, new_page  # noqa: F401  fixtures
from tests.sso.conftest import configure

pytestmark = pytest.mark.browser


def test_sign_in_with_the_work_account_in_chromium(
    world,
    in_arrangement,
    oidc_provider,
    live_server,  # noqa: F811  the fixture imported above
    new_page,  # noqa: F811
):
    """A new colleague types their work address, signs in on Ermelo's provider and lands on
    Deelkracht's start page, logged in, with an account of Ermelo; logging out ends it."""
    provider = oidc_provider(
        {"nina-1": {"email": "nina@ermelo.test", "email_verified": True, "name": "Nina Bakker"}},
        app_url=live_server,
    )
    configure(in_arrangement, world.meer.ermelo.org, provider)
    page = new_page()
    page.goto("/login")
    page.get_by_label("E-mailadres van je werk").fill("nina@ermelo.test")
    page.get_by_role("button", name="Inloggen met je werkaccount").click()
    page.wait_for_url(f"{provider.issuer}/**")
    page.fill("input[name=login]", "nina-1")
    page.fill("input[name=password]", "whatever")
    page.get_by_role("button", name="Sign-in").click()
    page.wait_for_url(f"{live_server}/start")
    body = page.content()
    assert "Nina Bakker" in body and "Gemeente Ermelo" in body
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(f"{provider.issuer}/**")
