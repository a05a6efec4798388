"""How a request becomes a user: the browser session cookie or a bearer token.

The signed cookie carries a random session id (``sid``) whose hash is a row in
``auth_sessions``; the row, not the cookie, decides: logging out, a password change or a
deactivation ends the row, and a cookie copied earlier is refused from then on. Both ways end in
:func:`app.accounts.operations.enter_user_arrangement`, which sets the arrangement for the rest of
the request.
"""

from __future__ import annotations

import functools
import logging

from flask import abort, g, request, session
from flask.views import MethodView
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user
from sqlalchemy import and_, bindparam, select

from app.accounts import operations
from app.accounts.models import AuthSession, User
from app.extensions import db, login_manager
from tenants.context import set_arrangement

log = logging.getLogger(__name__)

login_manager.login_view = "accounts.login"
login_manager.login_message = _l("Log in om verder te gaan.")
login_manager.localize_callback = str  # the lazy text, in the request's language, into the flash
login_manager.session_protection = None  # our server-side sessions do this job

#: The session's arrangement, kept in the (signed) cookie at login so that the session row and
#: its user come in one query; the row must name the same arrangement, or the session is refused.
ARRANGEMENT_KEY = "arrangement"
#: Session keys that make a browser "logged in"; dropped together when the session row is dead.
AUTH_KEYS = ("sid", ARRANGEMENT_KEY, "_user_id", "_fresh", "_id")

#: A browser session's row and its user (the organisation joined, as always) in one statement,
#: kept, so its scoped form and cache key are made once (tenants.scoping).
_SESSION_AND_USER = (
    select(AuthSession, User)
    .join(
        User,
        and_(User.id == AuthSession.user_id, User.arrangement_id == AuthSession.arrangement_id),
    )
    .where(AuthSession.token_hash == bindparam("token_hash"))
)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    found = live_web_session(session.get("sid"))
    if found is None or str(found[0].user_id) != user_id:
        set_arrangement(None)
        forget_session()
        return None
    row, user = found
    if operations.needs_touch(row):
        g.deelkracht_touch_session = row.token_hash
    g.user = user
    return user


def live_web_session(token: str | None) -> tuple[AuthSession, User] | None:
    """The browser session ``token`` and its active user, with the request's arrangement set to
    theirs; None, and no arrangement, when the row is missing, ended, idle or expired (every
    request reads the row: a revoked session is refused at once) or the user is inactive.

    One query: the arrangement comes from the signed cookie and the row must name it. A cookie
    from before it was kept there takes the two steps (the row, then the user) and keeps it."""
    if not token:
        return None
    arrangement_id = session.get(ARRANGEMENT_KEY)
    if type(arrangement_id) is not int:
        row = operations.live_session(token, "web")
        user = operations.enter_user_arrangement(row) if row is not None else None
        if user is None:
            return None
        session[ARRANGEMENT_KEY] = row.arrangement_id
        return row, user
    set_arrangement(arrangement_id)
    found = db.session.execute(
        _SESSION_AND_USER, {"token_hash": operations.token_hash(token)}
    ).first()
    if found is None:
        set_arrangement(None)
        return None
    row, user = found
    if (
        row.arrangement_id != arrangement_id
        or not operations.is_live(row, "web")
        or not user.active
    ):
        set_arrangement(None)
        return None
    return row, user


def begin_web_session(user: User, **extra) -> None:
    """Log ``user`` in to this browser, however they proved who they are (password or work
    account): the session they had ends, a new one starts with nothing from before but the
    language chosen before logging in (else the one the user saved), and ``extra`` keys.
    The caller commits."""
    operations.end_session(session.get("sid"))  # a login on top of another one
    locale = session.get("locale") or user.locale
    session.clear()  # a new session on login: nothing from before carries over
    if locale:
        session["locale"] = locale
    session["sid"] = operations.start_session(user, "web").token
    session[ARRANGEMENT_KEY] = user.arrangement_id
    session.update(extra)
    login_user(user)


def forget_session() -> None:
    """Drop the login from the cookie (the server-side row is already dead)."""
    for key in AUTH_KEYS:
        session.pop(key, None)


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


def api_auth(func=None, *, before=None):
    """API endpoints: a valid bearer token or 401 (CONTRACT.md).

    The user is passed as the first argument (after ``self`` on a ``MethodView`` method).
    ``before(user, **path_values)``, when given, runs next: the permission check that needs no
    input (403, or 404 where existence must not leak). Put ``@api_auth(before=...)`` *above*
    ``@blp.arguments`` so it runs before the body or query is read: who may not do something
    learns nothing about whether their input was valid (API Design Rules; issue 11). A PATCH
    without a body is a 400 (after those checks).
    """
    if func is None:
        return functools.partial(api_auth, before=before)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        user = bearer_user()
        if user is None:
            abort(401, description="Een geldig token is nodig / a valid token is required")
        if before is not None:
            before(user, **kwargs)
        if request.method == "PATCH" and not request.get_data(cache=True).strip():
            # A change without a body changes nothing: say so rather than answer 200.
            abort(400, description=str(_l("Stuur een JSON-object met de wijzigingen.")))
        if args and isinstance(args[0], MethodView):
            return func(args[0], user, *args[1:], **kwargs)
        return func(user, *args, **kwargs)

    return wrapper


def web_user() -> User:
    """The logged-in browser user (views use @login_required first)."""
    return current_user._get_current_object()


# --- request hooks (registered by app/accounts/views.py) ------------------------------------


def forget_cached_user() -> None:
    """Before each request: decide the user afresh.

    Flask-Login caches the user in ``g._login_user``; ``g`` belongs to the app context, which a
    request shares when one is already pushed (the worker, scripts, tests). A cached user would
    survive a logout or deactivation.
    """
    g.pop("_login_user", None)
    g.pop("user", None)


def touch_session_after_request(exc: BaseException | None) -> None:
    """After the request: record activity for the idle timeout, outside its unit of work.

    Whatever the request left uncommitted is discarded here (as the session's removal would),
    so the touch commits nothing else.
    """
    hashed = g.pop("deelkracht_touch_session", None)
    if hashed is None:
        return
    try:
        db.session.rollback()
        operations.touch_session(hashed)
        db.session.commit()
    except Exception as error:  # activity is best effort: never fail a request over it
        db.session.rollback()
        log.warning("could not record session activity: %r", error)
