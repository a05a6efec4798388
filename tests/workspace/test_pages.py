"""Every page of the HR workspace renders for HR (and my data for everyone), in Dutch and
English, with the navigation and home cards that lead there."""

from __future__ import annotations

import pytest

from tests.ids import public_id

HR_PAGES = [
    "/medewerkers",
    "/afdelingen",
    "/medewerkers/importeren",
    "/organisatie/gegevens",
    "/organisatie/detacheringen",
    "/organisatie/aanbod-en-reacties",
    "/mijn-gegevens",
    "/mijn-gegevens.json",
]


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_every_hr_page_renders(client, world, login, locale):
    """HR opens every workspace page without an error, in either language."""
    ermelo = world.meer.ermelo
    login(client, ermelo.hr)
    client.post("/taal", data={"locale": locale, "next": "/"})
    for url in [
        *HR_PAGES,
        f"/medewerkers/{public_id('user', ermelo.emp.id)}",
        f"/medewerkers/{public_id('user', ermelo.emp.id)}/gegevens-wissen",
        f"/afdelingen/{public_id('department', ermelo.team.id)}",
    ]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)


def test_hr_finds_the_workspace_from_the_menu_and_home(client, world, login):
    """HR gets the "Medewerkers" menu item and cards; an employee gets only "my data"."""
    login(client, world.meer.ermelo.hr)
    home = client.get("/start").get_data(as_text=True)
    for url in ("/medewerkers", "/afdelingen", "/medewerkers/importeren", "/organisatie/gegevens"):
        assert f'href="{url}"' in home, url
    login(client, world.meer.ermelo.emp)
    home = client.get("/start").get_data(as_text=True)
    assert 'href="/mijn-gegevens"' in home
    assert 'href="/medewerkers"' not in home


def test_every_form_that_changes_something_carries_a_csrf_token(make_app, world):
    """With CSRF on: each POST form of the workspace pages has a token; a post without one is
    refused (400) and changes nothing, the same post with the page's token works."""
    import re

    token_re = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    ermelo = world.meer.ermelo
    token = token_re.search(client.get("/login").get_data(as_text=True)).group(1)
    client.post(
        "/login",
        data={"email": ermelo.hr.email, "password": "geheim-wachtwoord-1", "csrf_token": token},
    )
    for url in [
        "/medewerkers",
        "/afdelingen",
        "/medewerkers/importeren",
        "/organisatie/gegevens",
        f"/medewerkers/{public_id('user', ermelo.emp.id)}",
        f"/medewerkers/{public_id('user', ermelo.emp.id)}/gegevens-wissen",
        f"/afdelingen/{public_id('department', ermelo.team.id)}",
    ]:
        page = client.get(url).get_data(as_text=True)
        for form in re.findall(r"<form[^>]*method=\"post\".*?</form>", page, re.S):
            assert 'name="csrf_token"' in form, (url, form[:200])
    page = client.get(f"/medewerkers/{public_id('user', ermelo.emp.id)}").get_data(as_text=True)
    assert (
        client.post(f"/medewerkers/{public_id('user', ermelo.emp.id)}/deactiveren").status_code
        == 400
    )
    token = token_re.search(page).group(1)
    response = client.post(
        f"/medewerkers/{public_id('user', ermelo.emp.id)}/deactiveren", data={"csrf_token": token}
    )
    assert response.status_code == 302
