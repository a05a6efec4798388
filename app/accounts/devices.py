"""Device cookies: a browser in which an account logged in successfully is recognised at its next
login, so failures elsewhere never keep the owner out of it (OWASP Authentication Cheat Sheet,
"device cookies"; the counters are in :mod:`app.accounts.throttle`).

The cookie is signed with the secret key and holds a random nonce and a keyed hash of the
account's e-mail address (no address, no user id), and expires after ``LOGIN_DEVICE_DAYS``. It
proves only that this browser once logged in to this account; it logs nobody in by itself. A
cookie of another account, a forged or expired one, or one used for too many failures
(``LOGIN_FAILURES_PER_DEVICE``) counts as no cookie. One cookie per browser: the account that
logged in last is the known one (a shared computer is an unknown device to the others).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.accounts.models import normalise_email
from app.accounts.throttle import throttle

COOKIE = "deelkracht_device"


@dataclass(frozen=True)
class Device:
    nonce: str


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="deelkracht-device")


def _max_age() -> int:
    return int(current_app.config.get("LOGIN_DEVICE_DAYS", 180)) * 24 * 3600


def known_device(cookie: str | None, email: str) -> Device | None:
    """The device if ``cookie`` is a valid device cookie of the account ``email`` (normalised)."""
    if not cookie or len(cookie) > 500:
        return None
    try:
        data = _serializer().loads(cookie, max_age=_max_age())
        account, nonce = str(data["a"]), str(data["n"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    if not secrets.compare_digest(account, throttle().key("device-account", email)):
        return None
    return Device(nonce)


def remember(response, email: str) -> None:
    """After a successful login: (re)issue this browser's device cookie for the account."""
    account = throttle().key("device-account", normalise_email(email))
    value = _serializer().dumps({"a": account, "n": secrets.token_urlsafe(16)})
    config = current_app.config
    response.set_cookie(
        COOKIE,
        value,
        max_age=_max_age(),
        httponly=True,
        secure=config.get("SESSION_COOKIE_SECURE", True),
        samesite="Lax",
        path="/login",
    )
