"""Browser sessions end for real: logout, idle and absolute timeouts, deactivation; and every
form that changes state needs its CSRF token."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select, update

from app.accounts import operations
from app.accounts.models import AuthSession, User
from app.transaction import commit
from tenants.models import utcnow
from tests.ids import key_of
from tests.support.world import PASSWORD

COOKIE = "deelkracht_session"
DOMAIN = "deelkracht.test"


def cookie_value(client) -> str:
    return client.get_cookie(COOKIE, domain=DOMAIN).value


def client_with_cookie(app, value: str):
    other = app.test_client()
    other.set_cookie(COOKIE, value, domain=DOMAIN)
    return other


def is_refused(response) -> bool:
    return response.status_code == 302 and "/login" in response.headers["Location"]


def web_sessions(in_arrangement, user_id: int) -> list[AuthSession]:
    with in_arrangement(None) as session:
        rows = session.scalars(
            select(AuthSession).where(
                AuthSession.user_id == key_of("user", user_id), AuthSession.kind == "web"
            )
        ).all()
        session.expunge_all()
        return rows


def change_sessions(in_arrangement, user_id: int, **values) -> None:
    with in_arrangement(None) as session:
        session.execute(
            update(AuthSession)
            .where(AuthSession.user_id == key_of("user", user_id))
            .values(**values)
        )
        session.commit()


def test_a_cookie_copied_before_logout_is_refused_after_it(
    app, client, world, login, in_arrangement
):
    """Logout ends the server-side session: a copy of the cookie taken before logging out no
    longer logs anyone in (Flask's cookie session alone would still accept it)."""
    emp = world.meer.ermelo.emp
    login(client, emp)
    copied = cookie_value(client)
    assert client_with_cookie(app, copied).get("/start").status_code == 200  # a working copy

    assert client.post("/logout").status_code == 302
    assert is_refused(client.get("/start"))
    assert is_refused(client_with_cookie(app, copied).get("/start"))
    assert all(row.ended_at is not None for row in web_sessions(in_arrangement, emp.id))


def test_a_cached_user_does_not_outlive_logout_in_a_shared_app_context(app, world, login):
    """Requests made while an app context is pushed share ``g``; Flask-Login's cached user
    must not carry over from one request to the next."""
    client = app.test_client()
    login(client, world.meer.ermelo.emp)
    copied = cookie_value(client)
    with app.app_context():
        assert client.get("/start").status_code == 200
        assert client.post("/logout").status_code == 302
        assert is_refused(client.get("/start"))
        assert is_refused(client_with_cookie(app, copied).get("/start"))


def test_logging_in_again_ends_the_previous_session(app, client, world, login, in_arrangement):
    """A login on top of an existing one ends the old session row."""
    login(client, world.meer.ermelo.emp)
    first = cookie_value(client)
    login(client, world.meer.ermelo.emp2)
    assert is_refused(client_with_cookie(app, first).get("/start"))
    assert client.get("/start").status_code == 200


def test_idle_sessions_end(app, client, world, login, in_arrangement):
    """A session unused for longer than SESSION_IDLE_TIMEOUT is refused."""
    emp = world.meer.ermelo.emp
    login(client, emp)
    idle = app.config["SESSION_IDLE_TIMEOUT"]
    change_sessions(in_arrangement, emp.id, last_seen_at=utcnow() - idle - timedelta(minutes=1))
    assert is_refused(client.get("/start"))


def test_activity_keeps_a_session_alive(app, client, world, login, in_arrangement):
    """A page view counts as activity even when it changes nothing: the idle clock restarts
    (it is written at most once a minute)."""
    emp = world.meer.ermelo.emp
    login(client, emp)
    idle = app.config["SESSION_IDLE_TIMEOUT"]
    change_sessions(in_arrangement, emp.id, last_seen_at=utcnow() - idle + timedelta(minutes=2))
    assert client.get("/start").status_code == 200
    (row,) = web_sessions(in_arrangement, emp.id)
    assert utcnow() - row.last_seen_at < timedelta(minutes=1)
    # Three more minutes later the original idle deadline has passed, the session lives on.
    change_sessions(in_arrangement, emp.id, last_seen_at=row.last_seen_at - timedelta(minutes=3))
    assert client.get("/start").status_code == 200


def test_sessions_end_after_the_absolute_timeout(app, client, world, login, in_arrangement):
    """However active, a session ends SESSION_ABSOLUTE_TIMEOUT after login."""
    emp = world.meer.ermelo.emp
    login(client, emp)
    started = utcnow() - app.config["SESSION_ABSOLUTE_TIMEOUT"] - timedelta(minutes=1)
    change_sessions(in_arrangement, emp.id, created_at=started, last_seen_at=utcnow())
    assert is_refused(client.get("/start"))


def test_sessions_end_at_their_expiry(app, client, world, login, in_arrangement):
    """The row's own expiry is honoured as well."""
    emp = world.meer.ermelo.emp
    login(client, emp)
    change_sessions(in_arrangement, emp.id, expires_at=utcnow() - timedelta(seconds=1))
    assert is_refused(client.get("/start"))


def test_deactivation_ends_open_sessions_and_tokens(
    app, client, world, login, api_token, in_arrangement
):
    """operations.deactivate: the user's open browser session and API token are refused on the
    very next request, and a new login is refused too."""
    emp = world.meer.ermelo.emp
    login(client, emp)
    headers = api_token(emp)
    assert client.get("/start").status_code == 200
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 200

    with in_arrangement(world.meer.arrangement) as session:
        operations.deactivate(session.get(User, emp.id))
        commit()

    assert is_refused(client.get("/start"))
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 401
    again = app.test_client().post("/login", data={"email": emp.email, "password": PASSWORD})
    assert again.status_code == 401


def test_the_session_and_its_user_come_in_one_query_and_a_revoked_one_is_refused(
    client, world, login, in_arrangement, count_queries
):
    """The login keeps the session's arrangement in the signed cookie, so each request reads
    the session row and its user in one statement: still every request, so a session ended
    elsewhere (logout on another device, an administrator) is refused on the next one."""
    emp = world.meer.ermelo.emp
    login(client, emp)
    with client.session_transaction() as session:
        assert session["arrangement"] == world.meer.arrangement.id
    assert client.get("/privacy").status_code == 200  # warm-up (menu cache)
    with count_queries() as sent:
        assert client.get("/privacy").status_code == 200
    reads = [s for s in sent if "auth_sessions" in s]
    assert len(reads) == 1 and "JOIN users" in reads[0], sent

    change_sessions(in_arrangement, emp.id, ended_at=utcnow())
    assert is_refused(client.get("/privacy"))
    with client.session_transaction() as session:
        assert "sid" not in session and "arrangement" not in session


def test_a_session_whose_cookie_names_another_arrangement_is_refused(app, client, world, login):
    """The row, not the cookie, decides: a cookie naming another arrangement than its session
    row (it is signed, so only a mistake could make one) logs no one in anywhere."""
    login(client, world.meer.ermelo.emp)
    with client.session_transaction() as session:
        session["arrangement"] = world.elders.arrangement.id
    assert is_refused(client.get("/start"))
    with client.session_transaction() as session:
        assert "sid" not in session and "_user_id" not in session


def test_a_cookie_from_before_the_arrangement_was_kept_still_works(app, client, world, login):
    """A session cookie made before the arrangement was kept in it (an upgrade with people
    logged in) still logs in, through the session row, and keeps the arrangement from then on."""
    login(client, world.meer.ermelo.emp)
    with client.session_transaction() as session:
        del session["arrangement"]
    assert client.get("/start").status_code == 200
    with client.session_transaction() as session:
        assert session["arrangement"] == world.meer.arrangement.id
    assert client.get("/start").status_code == 200


# --- CSRF ----------------------------------------------------------------------------------

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(page) -> str:
    match = TOKEN.search(page.get_data(as_text=True))
    assert match, "no CSRF token on the page"
    return match.group(1)


def assert_styled_400(response) -> None:
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Formulier verlopen" in page
    assert 'class="site-header"' in page and 'id="main"' in page  # the site's own layout


def test_forms_without_a_csrf_token_are_refused(make_app, world):
    """With CSRF on, POST /login, /logout and /taal without a token answer 400 with the styled
    error page, and do nothing; with the token from the form they work."""
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    emp = world.meer.ermelo.emp

    refused = client.post("/login", data={"email": emp.email, "password": PASSWORD})
    assert_styled_400(refused)
    assert is_refused(client.get("/start"))

    token = csrf_token(client.get("/login"))
    wrong = client.post(
        "/login", data={"email": emp.email, "password": PASSWORD, "csrf_token": "x" + token}
    )
    assert_styled_400(wrong)
    logged_in = client.post(
        "/login", data={"email": emp.email, "password": PASSWORD, "csrf_token": token}
    )
    assert logged_in.status_code == 302
    start = client.get("/start")
    assert start.status_code == 200

    assert_styled_400(client.post("/taal", data={"locale": "en", "next": "/start"}))
    with client.session_transaction() as session:
        assert "locale" not in session
    assert_styled_400(client.post("/logout"))
    assert client.get("/start").status_code == 200  # still logged in

    token = csrf_token(start)
    switched = client.post("/taal", data={"locale": "en", "next": "/start", "csrf_token": token})
    assert switched.status_code == 302
    with client.session_transaction() as session:
        assert session["locale"] == "en"
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert is_refused(client.get("/start"))


def test_the_api_needs_no_csrf_token_but_ignores_cookies(make_app, world, login):
    """The API is CSRF-exempt because it only accepts bearer tokens: a browser's session cookie
    does not authenticate it."""
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    emp = world.meer.ermelo.emp
    token = csrf_token(client.get("/login"))
    client.post("/login", data={"email": emp.email, "password": PASSWORD, "csrf_token": token})
    assert client.get("/start").status_code == 200
    assert client.get("/api/v1/me").status_code == 401
    issued = client.post("/api/v1/auth/token", json={"email": emp.email, "password": PASSWORD})
    assert issued.status_code == 200
