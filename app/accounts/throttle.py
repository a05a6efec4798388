"""Throttling of failed logins, per account and per address (the `limits` library).

An account is locked after a few failures; an address only after many, because a whole town
hall sits behind one address and must not lock itself out. Unknown e-mails count like known ones,
so the answer never tells whether an account exists. Counter keys are HMACs (keyed with the
secret key), so Redis holds no e-mail addresses and no IP addresses.

Counters live in Redis when it is configured (shared by every web process). When Redis does not
answer, this process counts in memory and leaves Redis alone for a while, so a login never waits
on a dead Redis more than once per :data:`REDIS_PAUSE` seconds.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
import time

from flask import current_app
from limits import parse
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
        self.per_account = parse(app.config["LOGIN_FAILURES_PER_ACCOUNT"])
        self.per_address = parse(app.config["LOGIN_FAILURES_PER_ADDRESS"])
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

    def allowed(self, email: str, address: str) -> bool:
        return bool(
            self._call("test", self.per_account, "account", self.key("account", email))
            and self._call("test", self.per_address, "address", self.key("address", address))
        )

    def failed(self, email: str, address: str) -> None:
        self._call("hit", self.per_account, "account", self.key("account", email))
        self._call("hit", self.per_address, "address", self.key("address", address))

    def succeeded(self, email: str) -> None:
        self._call("clear", self.per_account, "account", self.key("account", email))

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
