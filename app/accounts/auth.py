"""How a request becomes a user: the browser session cookie or a bearer token.

Both end in :func:`app.accounts.operations.enter_user_arrangement`, which sets the arrangement
for the rest of the request.
"""

from __future__ import annotations

import functools

from flask import abort, g, request, session
from flask_login import current_user

from app.accounts import operations
from app.accounts.models import User
from app.extensions import login_manager

login_manager.login_view = "accounts.login"
login_manager.login_message = "Log in om verder te gaan."
login_manager.session_protection = None  # our server-side sessions do this job


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    row = operations.live_session(session.get("sid"), "web")
    if row is None or str(row.user_id) != user_id:
        return None
    user = operations.enter_user_arrangement(row)
    g.user = user
    return user


def bearer_user() -> User | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    row = operations.live_session(token.strip(), "api")
    if row is None:
        return None
    user = operations.enter_user_arrangement(row)
    g.user = user
    return user


def api_auth(func):
    """API endpoints: a valid bearer token or 401 (CONTRACT.md)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        user = bearer_user()
        if user is None:
            abort(401, description="Een geldig token is nodig / a valid token is required")
        return func(user, *args, **kwargs)

    return wrapper


def web_user() -> User:
    """The logged-in browser user (views use @login_required first)."""
    return current_user._get_current_object()
