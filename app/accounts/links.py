"""E-mailed links (password reset, invitation): signed, expiring, and dead once used.

A link embeds a digest of the account's current password hash, so setting the password through
it (or any password change) ends every link sent before.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.accounts.models import User
from app.extensions import db
from tenants.context import set_arrangement

#: Lifetimes of e-mailed links in seconds; ``PASSWORD_RESET_MAX_AGE`` and
#: ``INVITATION_MAX_AGE`` in the app config override them.
RESET_MAX_AGE = 3600
INVITE_MAX_AGE = 14 * 24 * 3600


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"deelkracht-{purpose}")


def _fingerprint(user: User) -> str:
    # The link dies when the password changes (it embeds a digest of the current hash), so it
    # works once: setting the password through it changes the hash.
    return hashlib.sha256((user.password_hash or "-").encode()).hexdigest()[:16]


def make_link_token(user: User, purpose: str) -> str:
    return _serializer(purpose).dumps(
        {"u": user.id, "a": user.arrangement_id, "f": _fingerprint(user)}
    )


def link_max_age(purpose: str) -> int:
    if purpose == "reset":
        return int(current_app.config.get("PASSWORD_RESET_MAX_AGE", RESET_MAX_AGE))
    return int(current_app.config.get("INVITATION_MAX_AGE", INVITE_MAX_AGE))


def user_from_link_token(token: str, purpose: str) -> User | None:
    """The user a valid, unused, unexpired link of this purpose is for; sets their arrangement."""
    try:
        data = _serializer(purpose).loads(token, max_age=link_max_age(purpose))
        user_id, arrangement_id, fingerprint = int(data["u"]), int(data["a"]), str(data["f"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    set_arrangement(arrangement_id)
    user = db.session.get(User, user_id)
    if user is None or not user.active or not hmac.compare_digest(_fingerprint(user), fingerprint):
        set_arrangement(None)
        return None
    return user
