"""Issue 10, finding 6: brute force is slowed down, but nobody can lock a colleague out.

Failures count per (account, client address) with a growing wait, per address, and per account
for unknown browsers only; a browser where the account logged in before carries a signed device
cookie and is never blocked by those counters (app/accounts/throttle.py). Each rule is checked
with the in-memory counters and with Redis (shared by every web process).
"""

from __future__ import annotations

import time
import uuid

import pytest

from app.accounts.devices import COOKIE
from tests.support.world import PASSWORD

OWNER_OFFICE = {"REMOTE_ADDR": "10.1.2.3"}
ATTACKER = {"REMOTE_ADDR": "203.0.113.66"}


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def counters(request):
    """App config for the counters: in this process, or in Redis (keys of this test only)."""
    secret = {"SECRET_KEY": f"secret-{uuid.uuid4().hex}"}
    if request.param == "memory":
        return dict(secret, REDIS_URL=None)
    return dict(secret, REDIS_URL=request.getfixturevalue("redis_url"))


def _login(client, email, password=PASSWORD, environ=OWNER_OFFICE):
    return client.post("/login", data={"email": email, "password": password}, environ_base=environ)


def _api_login(client, email, password=PASSWORD, environ=OWNER_OFFICE):
    return client.post(
        "/api/v1/auth/token", json={"email": email, "password": password}, environ_base=environ
    )


def test_an_attacker_elsewhere_cannot_lock_the_owner_out(make_app, world, counters):
    """Thirty wrong passwords from one address (the old lock-out took five): that address is
    throttled, while the owner, from their own office in a browser never used before, logs in
    on the web and through the API."""
    app = make_app(**counters)
    owner = world.meer.ermelo.hr
    attacker = app.test_client()
    answers = [_login(attacker, owner.email, "raden-123", ATTACKER).status_code for _ in range(30)]
    assert answers[:5] == [401] * 5 and set(answers[5:]) == {429}
    assert _login(attacker, owner.email, environ=ATTACKER).status_code == 429  # even if right
    assert _login(app.test_client(), owner.email).status_code == 302
    assert _api_login(app.test_client(), owner.email).status_code == 200


def test_the_owners_known_browser_gets_in_during_a_distributed_attack(make_app, world, counters):
    """A guess from each of 60 addresses reaches the account-wide limit for unknown browsers (the
    protection holds: further guesses and a new browser, even the owner's, get 429), yet the
    browser the owner logged in with before gets in. A device cookie of another account does
    not help."""
    app = make_app(**counters)
    owner, colleague = world.meer.ermelo.hr, world.meer.ermelo.emp
    known = app.test_client()
    first = _login(known, owner.email)
    assert first.status_code == 302
    (device_cookie,) = [c for c in first.headers.getlist("Set-Cookie") if c.startswith(COOKIE)]
    assert "HttpOnly" in device_cookie and "Path=/login" in device_cookie
    assert owner.email not in device_cookie and "ermelo" not in device_cookie
    known.post("/logout")
    other_account = app.test_client()
    assert _login(other_account, colleague.email).status_code == 302
    answers = [
        _login(app.test_client(), owner.email, "raden", {"REMOTE_ADDR": f"198.51.100.{n}"})
        for n in range(60)
    ]
    assert [a.status_code for a in answers] == [401] * 50 + [429] * 10  # 50 per hour
    assert _login(app.test_client(), owner.email).status_code == 429
    assert _login(other_account, owner.email).status_code == 429
    assert _login(known, owner.email).status_code == 302


def test_brute_force_from_one_address_waits_longer_and_longer(make_app, world, counters):
    """From one address the wait grows with the failures: after 3 a short pause (2 s here, a
    minute by default), after 5 the long window (an hour), also for the right password."""
    app = make_app(LOGIN_FAILURES_PER_ACCOUNT_ADDRESS="3 per 2 seconds; 5 per hour", **counters)
    email = world.meer.ermelo.lead.email
    client = app.test_client()
    assert [_login(client, email, "fout").status_code for _ in range(4)] == [401] * 3 + [429]
    time.sleep(2.2)
    assert [_login(client, email, "fout").status_code for _ in range(2)] == [401, 401]
    assert _login(client, email).status_code == 429
    time.sleep(2.2)
    assert _login(client, email).status_code == 429  # the hour window still holds
    assert _api_login(client, email).status_code == 429


def test_a_known_browser_has_its_own_small_allowance(make_app, world, counters):
    """A stolen device cookie buys few guesses: after LOGIN_FAILURES_PER_DEVICE failures it
    counts as an unknown browser again (and the account's other counters apply)."""
    app = make_app(
        LOGIN_FAILURES_PER_DEVICE="3 per hour",
        LOGIN_FAILURES_PER_ACCOUNT_ADDRESS="2 per hour",
        **counters,
    )
    email = world.meer.ermelo.lead.email
    known = app.test_client()
    assert _login(known, email).status_code == 302
    known.post("/logout")
    assert [_login(known, email, "fout").status_code for _ in range(3)] == [401] * 3
    # From here on it is an unknown browser: two more failures, then throttled.
    assert [_login(known, email, "fout").status_code for _ in range(3)] == [401, 401, 429]
