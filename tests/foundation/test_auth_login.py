"""Logging in: throttling per account and per address, one answer for unknown and wrong, a new
session on login, and the session cookie's flags."""

from __future__ import annotations

import difflib
import hashlib
import re
import time
import uuid

import pytest

from app.accounts.throttle import KEY_PREFIX, throttle
from app.config import from_environment
from tests.support.world import PASSWORD

SMALL_LIMITS = {
    "LOGIN_FAILURES_PER_ACCOUNT_ADDRESS": "3 per 15 minutes",
    "LOGIN_FAILURES_PER_ACCOUNT": "6 per 15 minutes",
    "LOGIN_FAILURES_PER_ADDRESS": "8 per 15 minutes",
}
TOWN_HALL = {"REMOTE_ADDR": "10.1.2.3"}
ELSEWHERE = {"REMOTE_ADDR": "10.9.9.9"}


def web_login(client, email, password=PASSWORD, environ=TOWN_HALL):
    return client.post("/login", data={"email": email, "password": password}, environ_base=environ)


def api_login(client, email, password=PASSWORD, environ=TOWN_HALL):
    return client.post(
        "/api/v1/auth/token", json={"email": email, "password": password}, environ_base=environ
    )


def test_failed_logins_throttle_the_account_at_that_address(make_app, world):
    """After N failed logins from one address the account answers 429 there, on the web form and
    the API, even when the right password is given; from another address the owner still gets
    in (no lock-out: issue 10, finding 6, tests/hardening/accounts/test_login_throttle.py)."""
    app = make_app(**SMALL_LIMITS)
    client = app.test_client()
    hr = world.meer.ermelo.hr
    for _ in range(3):
        assert web_login(client, hr.email, "verkeerd-wachtwoord").status_code == 401
    locked = web_login(client, hr.email)
    assert locked.status_code == 429
    assert "Te veel mislukte pogingen" in locked.get_data(as_text=True)
    api = api_login(client, hr.email)
    assert api.status_code == 429
    assert api.get_json()["code"] == "too_many_requests"
    assert {"type", "title", "status", "detail", "instance", "code"} <= set(api.get_json())
    assert client.get("/start").status_code == 302  # not logged in
    assert web_login(app.test_client(), hr.email, environ=ELSEWHERE).status_code == 302


def test_the_town_hall_does_not_lock_itself_out(make_app, world):
    """Colleagues behind the same address still log in while one account is locked, until the
    much higher per-address limit is reached; other addresses are not affected by it."""
    app = make_app(**SMALL_LIMITS)
    client = app.test_client()
    ermelo = world.meer.ermelo
    for _ in range(3):
        web_login(client, ermelo.hr.email, "verkeerd-wachtwoord")
    assert web_login(client, ermelo.hr.email).status_code == 429

    assert web_login(app.test_client(), ermelo.emp.email).status_code == 302
    assert api_login(app.test_client(), ermelo.emp2.email).status_code == 200

    # Five more failures (unknown addresses count too) reach the address limit of 8.
    for n in range(5):
        assert web_login(client, f"onbekend{n}@ermelo.test", "x").status_code == 401
    assert web_login(app.test_client(), ermelo.lead.email).status_code == 429
    assert api_login(app.test_client(), ermelo.lead.email).status_code == 429
    assert web_login(app.test_client(), ermelo.lead.email, environ=ELSEWHERE).status_code == 302


def test_successful_logins_do_not_count_towards_any_limit(make_app, world):
    """Only failures are counted: a busy town hall logging in correctly is never throttled."""
    app = make_app(**SMALL_LIMITS)
    for _ in range(10):
        assert web_login(app.test_client(), world.meer.ermelo.emp.email).status_code == 302


def _normalised(page: str, email: str) -> str:
    """The page without the address typed in and without the CSRF tokens' values (signed with
    the current second, so two answers a second apart differ there and nowhere else)."""
    page = re.sub(r'(name="csrf_token"[^>]*value=")[^"]*"', r'\1TOKEN"', page)
    return page.replace(email, "EMAIL")


def test_unknown_email_and_wrong_password_get_the_same_answer(client, world, in_arrangement):
    """The API body and status are byte-identical, and so is the web page (apart from the
    address typed in), for an unknown e-mail, a wrong password, an account without a password
    yet and a deactivated account."""
    from app.accounts import operations

    ermelo = world.meer.ermelo
    with in_arrangement(world.meer.arrangement) as session:
        operations.create_user(
            organisation_id=ermelo.org.id, email="uitgenodigd@ermelo.test", name="Nog Geen"
        )
        operations.deactivate(session.get(operations.User, ermelo.emp2.id))
        session.commit()
    cases = [
        ("niemand@ermelo.test", PASSWORD),
        (ermelo.emp.email, "verkeerd-wachtwoord"),
        ("uitgenodigd@ermelo.test", "iets"),
        (ermelo.emp2.email, PASSWORD),
    ]
    api_answers = set()
    web_answers = set()
    for email, password in cases:
        api = client.post("/api/v1/auth/token", json={"email": email, "password": password})
        api_answers.add((api.status_code, api.data))
        web = client.post("/login", data={"email": email, "password": password})
        web_answers.add((web.status_code, _normalised(web.get_data(as_text=True), email)))
    assert len(api_answers) == 1, api_answers
    status, body = api_answers.pop()
    assert status == 401
    assert b"wrong e-mail or password" in body
    assert len(web_answers) == 1, "\n".join(
        difflib.unified_diff(*(page.splitlines() for _, page in list(web_answers)[:2]))
    )
    status, page = web_answers.pop()
    assert status == 401
    assert "Dit e-mailadres en wachtwoord horen niet bij elkaar." in page


def test_memory_counters_hold_no_plain_email_or_address(make_app, world):
    """Without Redis the counters are kept in memory, under keyed hashes only."""
    app = make_app(**SMALL_LIMITS)
    email = world.meer.ermelo.hr.email
    web_login(app.test_client(), email, "verkeerd-wachtwoord")
    with app.app_context():
        storage = throttle().memory_storage
    keys = " ".join(list(storage.events) + list(storage.storage))
    assert keys, "no counter was written"
    assert email not in keys and "ermelo" not in keys and "10.1.2.3" not in keys
    assert hashlib.sha256(email.encode()).hexdigest()[:32] not in keys


@pytest.mark.redis
def test_redis_counters_are_shared_and_hold_no_plain_email(make_app, world, redis_url):
    """With Redis every web process sees the same counters (a second app stands in for a second
    process), and Redis holds keyed hashes, never the e-mail or the address."""
    import redis

    secret = f"secret-{uuid.uuid4().hex}"  # keys of this test only, on a shared Redis
    config = dict(SMALL_LIMITS, REDIS_URL=redis_url, SECRET_KEY=secret)
    first, second = make_app(**config), make_app(**config)
    email = world.meer.ermelo.hr.email
    connection = redis.Redis.from_url(redis_url)
    try:
        for _ in range(3):
            assert web_login(first.test_client(), email, "verkeerd").status_code == 401
        assert web_login(second.test_client(), email).status_code == 429
        with first.app_context():
            account_key = throttle().key("account", email)
        keys = [k.decode() for k in connection.scan_iter(f"{KEY_PREFIX}*{account_key}*")]
        assert keys, "the account counter is not in Redis"
        everything = b" ".join(
            k + b" " + b" ".join(connection.lrange(k, 0, -1))
            for k in connection.scan_iter(f"{KEY_PREFIX}*")
            if connection.type(k) == b"list"
        )
        assert email.encode() not in everything and b"10.1.2.3" not in everything
    finally:
        with first.app_context():
            limiter = throttle()
            for key in (limiter.key("account", email), limiter.key("address", "10.1.2.3")):
                for k in connection.scan_iter(f"{KEY_PREFIX}*{key}*"):
                    connection.delete(k)
        connection.close()


def test_throttling_goes_on_in_memory_when_redis_is_down(make_app, world):
    """A dead Redis neither blocks the login nor switches the throttle off."""
    app = make_app(REDIS_URL="redis://127.0.0.1:1/0", **SMALL_LIMITS)
    client = app.test_client()
    email = world.meer.ermelo.hr.email
    started = time.monotonic()
    for _ in range(3):
        assert web_login(client, email, "verkeerd").status_code == 401
    assert web_login(client, email).status_code == 429
    assert web_login(client, world.meer.ermelo.emp.email).status_code == 302
    assert time.monotonic() - started < 3


def test_login_starts_a_new_session(client, world):
    """Session fixation: the cookie changes on login and nothing planted before survives,
    not even a session id chosen by an attacker."""
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
        session["sid"] = "attacker-chosen-id"
    before = client.get_cookie("deelkracht_session", domain="deelkracht.test").value
    response = web_login(client, world.meer.ermelo.emp.email)
    assert response.status_code == 302
    after = client.get_cookie("deelkracht_session", domain="deelkracht.test").value
    assert after != before
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["sid"] != "attacker-chosen-id"
    assert client.get("/start").status_code == 200


def test_session_cookie_is_httponly_samesite_and_secure_outside_the_demo(make_app, world):
    """The cookie is HttpOnly and SameSite=Lax always, and Secure when configured so."""
    plain = web_login(make_app().test_client(), world.meer.ermelo.emp.email)
    cookie = plain.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    secure = web_login(
        make_app(SESSION_COOKIE_SECURE=True).test_client(), world.meer.ermelo.emp.email
    )
    assert "; Secure" in secure.headers["Set-Cookie"]


@pytest.mark.parametrize(
    ("environment", "secure"),
    [
        ({}, False),  # the embedded default: SQLite in the instance folder, plain-HTTP demo
        ({"DATABASE_URL": "postgresql://deelkracht@db/deelkracht"}, True),
        ({"DATABASE_URL": "postgres://deelkracht@db/deelkracht"}, True),
        ({"SESSION_COOKIE_SECURE": "1"}, True),
        ({"DATABASE_URL": "postgresql://x@db/x", "SESSION_COOKIE_SECURE": "0"}, False),
    ],
)
def test_cookie_is_secure_by_default_except_on_the_embedded_default(
    monkeypatch, tmp_path, environment, secure
):
    """Configuration: Secure is off by default only for the embedded (SQLite) default."""
    for name in ("DATABASE_URL", "SESSION_COOKIE_SECURE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", "x")
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    config = from_environment(str(tmp_path))
    assert config["SESSION_COOKIE_SECURE"] is secure
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_a_throttled_login_says_how_long_to_wait(make_app, world):
    """The refusal names the wait (three failures in 15 minutes: "15 minuten", rounded by
    Babel) on the page, and both the page and the API send ``Retry-After`` in seconds."""
    app = make_app(**SMALL_LIMITS)
    client = app.test_client()
    hr = world.meer.ermelo.hr
    for _ in range(3):
        web_login(client, hr.email, "verkeerd-wachtwoord")
    locked = web_login(client, hr.email)
    assert locked.status_code == 429
    assert "Probeer het over 15 minuten opnieuw" in locked.get_data(as_text=True)
    assert 14 * 60 < int(locked.headers["Retry-After"]) <= 15 * 60
    api = api_login(client, hr.email)
    assert api.status_code == 429
    assert 14 * 60 < int(api.headers["Retry-After"]) <= 15 * 60
