"""Every page of the HR workspace renders for HR (and my data for everyone), in Dutch and
English, with the navigation and home cards that lead there."""

from __future__ import annotations

import pytest

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
        f"/medewerkers/{ermelo.emp.id}",
        f"/medewerkers/{ermelo.emp.id}/gegevens-wissen",
        f"/afdelingen/{ermelo.team.id}",
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
