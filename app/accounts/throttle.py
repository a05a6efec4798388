"""Throttling of failed logins, per account and per address (the `limits` library).

An account is locked after a few failures; an address only after many, because a whole town
hall sits behind one address and must not lock itself out. Unknown e-mails count like known ones,
so the answer never tells whether an account exists. Counters live in Redis when it is configured
(shared by every web process) and fall back to memory when it is unreachable.
"""

from __future__ import annotations

import hashlib
import logging

from flask import current_app
from limits import parse
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

log = logging.getLogger(__name__)


def _key(value: str) -> str:
    # Hashed, so counters in Redis hold no e-mail addresses.
    return hashlib.sha256(value.encode()).hexdigest()[:32]


class LoginThrottle:
    def __init__(self, app) -> None:
        url = app.config.get("REDIS_URL")
        self._memory = MovingWindowRateLimiter(MemoryStorage())
        self._shared = None
        if url:
            self._shared = MovingWindowRateLimiter(
                storage_from_string(url, socket_connect_timeout=1, socket_timeout=1)
            )
        self.per_account = parse(app.config["LOGIN_FAILURES_PER_ACCOUNT"])
        self.per_address = parse(app.config["LOGIN_FAILURES_PER_ADDRESS"])

    def _call(self, method: str, *args):
        if self._shared is not None:
            try:
                return getattr(self._shared, method)(*args)
            except Exception as exc:  # Redis down: keep throttling in this process
                log.warning("login throttle falls back to memory: %r", exc)
        return getattr(self._memory, method)(*args)

    def allowed(self, email: str, address: str) -> bool:
        return bool(
            self._call("test", self.per_account, "account", _key(email))
            and self._call("test", self.per_address, "address", _key(address))
        )

    def failed(self, email: str, address: str) -> None:
        self._call("hit", self.per_account, "account", _key(email))
        self._call("hit", self.per_address, "address", _key(address))

    def succeeded(self, email: str) -> None:
        self._call("clear", self.per_account, "account", _key(email))


def throttle() -> LoginThrottle:
    app = current_app._get_current_object()
    existing = app.extensions.get("deelkracht_login_throttle")
    if existing is None:
        existing = app.extensions["deelkracht_login_throttle"] = LoginThrottle(app)
    return existing
