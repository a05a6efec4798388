"""The language a user chose follows them to a new browser."""


def test_a_saved_english_choice_applies_in_a_new_browser(app, world, login):
    """A user who switched to English gets English after logging in elsewhere."""
    first = app.test_client()
    login(first, world.meer.ermelo.emp)
    first.post("/taal", data={"locale": "en", "next": "/start"})
    second = app.test_client()
    login(second, world.meer.ermelo.emp)
    page = second.get("/start").get_data(as_text=True)
    assert 'lang="en"' in page
    other = app.test_client()
    login(other, world.meer.ermelo.emp2)
    assert 'lang="nl"' in other.get("/start").get_data(as_text=True)
