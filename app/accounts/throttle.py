"""Throttling of failed logins without a lock-out (the `limits` library).

Five wrong passwords used to lock an account for 15 minutes, for everyone: anyone who knew a
colleague's address could keep them out (issue 10, finding 6). Now failures are counted where
they come from, and the owner's own browser is recognised (OWASP's "device cookies"):

- **Per account and client address** (``LOGIN_FAILURES_PER_ACCOUNT_ADDRESS``, several windows,
  e.g. ``5 per minute; 10 per hour; 20 per day``): guessing one account's password from one
  address is slowed down step by step, a minute after the first few failures, up to an hour and
  a day after more; someone typing from another address is not affected at all.
- **Per client address** (``LOGIN_FAILURES_PER_ADDRESS``, high: a whole town hall sits behind
  one address): one address trying many accounts.
- **Per account from unknown browsers** (``LOGIN_FAILURES_PER_ACCOUNT``, higher than the
  per-address limit of one account, so one attacker's address cannot reach it): a password
  guessed from many addresses at once. Reaching it blocks only logins from browsers the
  account has not used before.
- **Known device**: a successful login in a browser sets a signed *device cookie* (a random
  nonce and a keyed hash of the account; see :mod:`app.accounts.devices`). A login that
  brings a valid device cookie of the account is never blocked by the counters above — an
  attacker elsewhere cannot keep the owner out of their own browser. It has its own counter
  (``LOGIN_FAILURES_PER_DEVICE``): a stolen cookie buys few guesses, after which it counts as
  unknown again.

Unknown e-mails count like known ones, so the answer never tells whether an account exists.
Counter keys are HMACs (keyed with the secret key), so Redis holds no e-mail addresses and no IP
addresses.

Counters live in Redis when it is configured (shared by every web process). When Redis does not
answer, this process counts in memory and leaves Redis alone for a while, so a login never waits
on a dead Redis more than once per :data:`REDIS_PAUSE` seconds.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import threading
import time

from flask import current_app
from limits import parse, parse_many
from limits.storage import MemoryStorage, RedisStorage
from limits.strategies import MovingWindowRateLimiter
from redis.backoff import NoBackoff
from redis.retry import Retry

log = logging.getLogger(__name__)

#: Seconds to count in memory only after Redis failed to answer.
REDIS_PAUSE = 30
KEY_PREFIX = "deelkracht-login"


class LoginThrottle:
    def __init__(self, app) -> None:
        self._secret = app.config["SECRET_KEY"].encode()
        self.memory_storage = MemoryStorage()
        self._memory = MovingWindowRateLimiter(self.memory_storage)
        self._shared = None
        self._paused_until = 0.0
        self._lock = threading.Lock()
        url = app.config.get("REDIS_URL")
        if url:
            storage = RedisStorage(
                url,
                key_prefix=KEY_PREFIX,
                socket_connect_timeout=0.25,
                socket_timeout=0.25,
                retry=Retry(NoBackoff(), 0),
            )
            self._shared = MovingWindowRateLimiter(storage)
        self.per_account_address = parse_many(app.config["LOGIN_FAILURES_PER_ACCOUNT_ADDRESS"])
        self.per_account = parse_many(app.config["LOGIN_FAILURES_PER_ACCOUNT"])
        self.per_address = parse_many(app.config["LOGIN_FAILURES_PER_ADDRESS"])
        self.per_device = parse_many(app.config["LOGIN_FAILURES_PER_DEVICE"])
        # Reset e-mails per address asked for: nobody can flood a colleague's inbox.
        self.resets = parse(app.config.get("PASSWORD_RESETS_PER_ACCOUNT", "3 per hour"))

    def key(self, kind: str, value: str) -> str:
        return hmac.new(self._secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:32]

    def _call(self, method: str, *args):
        if self._shared is not None and time.monotonic() >= self._paused_until:
            try:
                return getattr(self._shared, method)(*args)
            except Exception as exc:  # Redis down: keep throttling in this process
                with self._lock:
                    self._paused_until = time.monotonic() + REDIS_PAUSE
                log.warning("login throttle counts in memory for %ss: %r", REDIS_PAUSE, exc)
        return getattr(self._memory, method)(*args)

    def _counters(self, email: str, address: str):
        """(limits, kind, key) of the counters a login from an unknown browser is held to."""
        return (
            (
                self.per_account_address,
                "account-address",
                self.key("account-address", f"{email}\n{address}"),
            ),
            (self.per_address, "address", self.key("address", address)),
            (self.per_account, "account", self.key("account", email)),
        )

    def allowed(self, email: str, address: str) -> bool:
        """May a login from an unknown browser try this account from this address now?"""
        return all(
            self._call("test", item, kind, key)
            for items, kind, key in self._counters(email, address)
            for item in items
        )

    def retry_after(self, email: str, address: str) -> int:
        """Seconds until a login from an unknown browser may try again (0: now). Telling the
        wait says nothing new (the refusal already says the limit is reached) and spares
        people guessing: the windows make it a minute, an hour or a day."""
        now = time.time()
        waits = [0.0]
        for items, kind, key in self._counters(email, address):
            for item in items:
                stats = self._call("get_window_stats", item, kind, key)
                if stats is not None and stats.remaining <= 0:
                    waits.append(stats.reset_time - now)
        return max(0, math.ceil(max(waits)))

    def failed(self, email: str, address: str) -> None:
        for items, kind, key in self._counters(email, address):
            for item in items:
                self._call("hit", item, kind, key)

    def succeeded(self, email: str, address: str) -> None:
        """The owner got in from this address: its own counter starts afresh. The account-wide
        counter stays (clearing it would hand a distributed attack a new allowance)."""
        items, kind, key = self._counters(email, address)[0]
        for item in items:
            self._call("clear", item, kind, key)

    def device_allowed(self, nonce: str) -> bool:
        key = self.key("device", nonce)
        return all(self._call("test", item, "device", key) for item in self.per_device)

    def device_failed(self, nonce: str) -> None:
        key = self.key("device", nonce)
        for item in self.per_device:
            self._call("hit", item, "device", key)

    def collision_notice_allowed(self, email: str) -> bool:
        """Count a notice that someone tried to invite an address that has an account (the
        same few per hour as reset links, in this process: a notice is never worth a wait)."""
        return bool(self._memory.hit(self.resets, "collision", self.key("collision", email)))

    def reset_allowed(self, email: str) -> bool:
        """Count a password-reset request; False once the account has had its share.

        Counted in this process only: the reset page must never wait on Redis (its e-mail is
        the outbox's job), and a per-process limit still stops an inbox from being flooded.
        """
        return bool(self._memory.hit(self.resets, "reset", self.key("reset", email)))


def throttle() -> LoginThrottle:
    app = current_app._get_current_object()
    existing = app.extensions.get("deelkracht_login_throttle")
    if existing is None:
        existing = app.extensions["deelkracht_login_throttle"] = LoginThrottle(app)
    return existing
