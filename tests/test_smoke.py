"""First checks that the world builds and people can log in."""


def test_every_role_logs_in_and_lands_on_start(client, world, login):
    """Each role in the world can log in through the form and sees its landing page."""
    for user in (
        world.meer.ermelo.hr,
        world.meer.ermelo.lead,
        world.meer.ermelo.emp,
        world.meer.coordinator,
    ):
        login(client, user)
        page = client.get("/start")
        assert page.status_code == 200
        assert user.name in page.get_data(as_text=True)
