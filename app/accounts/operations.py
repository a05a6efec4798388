"""Account use cases: log in, sessions and tokens, password reset, invitations.

Operations flush; the request commits (:func:`app.transaction.commit`).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update
from werkzeug.security import check_password_hash, generate_password_hash

from app.accounts.devices import known_device
from app.accounts.models import (
    AuthSession,
    LoginIdentity,
    SignInProvider,
    User,
    normalise_email,
)
from app.accounts.passwords import check_password
from app.accounts.throttle import throttle
from app.errors import Conflict, DomainError, Forbidden, InvalidInput
from app.extensions import db
from app.metrics import LOGIN_FAILURES
from app.outbox.operations import record
from app.policy import allowed
from tenants.context import set_arrangement, use_arrangement
from tenants.models import Department, utcnow

# Verified against when the e-mail is unknown, so both answers take the same time.
_DUMMY_HASH: dict[str, str] = {}
TOUCH_INTERVAL = timedelta(minutes=1)


class Throttled(DomainError):
    """Too many failed logins for this account or address; ``retry_after`` in seconds."""

    status = 429

    def __init__(self, retry_after: int = 0):
        super().__init__()
        self.retry_after = retry_after


class InvalidCredentials(DomainError):
    """Unknown e-mail or wrong password: one answer for both."""

    status = 401


class PasswordLoginOff(Forbidden):
    """Right password, but the organisation has its staff sign in through its own provider.

    Raised only after the password checked out, so it tells nothing to someone guessing.
    """


def token_hash(token: str) -> str:
    """Sessions and tokens are stored as this digest only; the raw value is never kept."""
    return hashlib.sha256(token.encode()).hexdigest()


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def _dummy_hash() -> str:
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _DUMMY_HASH:
        _DUMMY_HASH[method] = generate_password_hash(secrets.token_hex(8), method=method)
    return _DUMMY_HASH[method]


def find_identity(email: str) -> LoginIdentity | None:
    return db.session.get(LoginIdentity, normalise_email(email))


def enter_user_arrangement(identity_or_session) -> User | None:
    """Set the request's arrangement from an authenticated pointer and load the user."""
    set_arrangement(identity_or_session.arrangement_id)
    user = db.session.get(User, identity_or_session.user_id)
    if user is None or not user.active:
        set_arrangement(None)
        return None
    return user


def password_login_refused(user: User) -> bool:
    """Staff of an organisation with ``password_login = false`` sign in through its provider."""
    provider = db.session.scalar(
        select(SignInProvider).where(SignInProvider.organisation_id == user.organisation_id)
    )
    return provider is not None and not provider.password_login


def authenticate(email: str, password: str, address: str, device_cookie: str | None = None) -> User:
    """The user whose e-mail and password these are; :class:`Throttled` or
    :class:`InvalidCredentials` otherwise (one answer for an unknown e-mail and a wrong password).

    A login with a valid device cookie of the account (``device_cookie``, app/accounts/devices.py)
    is held only to that device's own failure counter, never to the account's or the address's:
    an attacker elsewhere cannot lock the owner out of their own browser (app/accounts/throttle.py).
    """

    limiter = throttle()
    email = normalise_email(email)
    device = known_device(device_cookie, email)
    if device is not None and not limiter.device_allowed(device.nonce):
        device = None  # a cookie used for too many failures counts as none
    if device is None and not limiter.allowed(email, address):
        LOGIN_FAILURES.labels("throttled").inc()
        raise Throttled(limiter.retry_after(email, address))
    identity = find_identity(email)
    user = enter_user_arrangement(identity) if identity else None
    stored = user.password_hash if user and user.password_hash else _dummy_hash()
    if not check_password_hash(stored, password) or user is None:
        set_arrangement(None)
        if device is not None:
            limiter.device_failed(device.nonce)
        else:
            limiter.failed(email, address)
        LOGIN_FAILURES.labels("invalid").inc()
        raise InvalidCredentials()
    limiter.succeeded(email, address)

    if password_login_refused(user):
        set_arrangement(None)
        raise PasswordLoginOff()
    return user


# --- sessions and tokens -------------------------------------------------------------------


@dataclass
class IssuedToken:
    token: str
    expires_at: datetime


def start_session(user: User, kind: str = "web", lifetime: timedelta | None = None) -> IssuedToken:
    token = secrets.token_urlsafe(32)
    lifetime = (
        lifetime
        or current_app.config["SESSION_ABSOLUTE_TIMEOUT" if kind == "web" else "API_TOKEN_LIFETIME"]
    )
    now = utcnow()
    row = AuthSession(
        token_hash=token_hash(token),
        kind=kind,
        user_id=user.id,
        arrangement_id=user.arrangement_id,
        created_at=now,
        last_seen_at=now,
        expires_at=now + lifetime,
    )
    db.session.add(row)
    db.session.flush()
    return IssuedToken(token, row.expires_at)


def live_session(token: str | None, kind: str) -> AuthSession | None:
    """The session or token row if it is still valid (not ended, not idle, not expired).

    A browser session also ends ``SESSION_ABSOLUTE_TIMEOUT`` after it started, whatever its
    ``expires_at`` says, so shortening the setting takes effect for sessions already open.
    """
    if not token:
        return None
    row = db.session.get(AuthSession, token_hash(token))
    return row if row is not None and is_live(row, kind) else None


def is_live(row: AuthSession, kind: str) -> bool:
    """Whether a session or token row of ``kind`` is still valid (see :func:`live_session`)."""
    now = utcnow()
    if row.kind != kind or row.ended_at is not None or row.expires_at <= now:
        return False
    if kind == "web":
        config = current_app.config
        if row.created_at + config["SESSION_ABSOLUTE_TIMEOUT"] <= now:
            return False
        if row.last_seen_at + config["SESSION_IDLE_TIMEOUT"] <= now:
            return False
    return True


def needs_touch(row: AuthSession) -> bool:
    """Activity is written at most once a minute per session."""
    return row.kind == "web" and utcnow() - row.last_seen_at > TOUCH_INTERVAL


def touch_session(hashed: str) -> None:
    """Record activity on a browser session (the idle timeout counts from here).

    Called at the end of the request, after the request's own unit of work is over, so a page
    that changes nothing still counts as activity and a request that fails does not undo it.
    """
    db.session.execute(
        update(AuthSession)
        .where(AuthSession.token_hash == hashed, AuthSession.ended_at.is_(None))
        .values(last_seen_at=utcnow())
    )


def end_session(token: str | None) -> None:
    if token:
        row = db.session.get(AuthSession, token_hash(token))
        if row is not None and row.ended_at is None:
            row.ended_at = utcnow()


def end_all_sessions(user_id: int) -> None:
    """Deactivation and password change: every browser session and token ends at once."""
    db.session.execute(
        update(AuthSession)
        .where(AuthSession.user_id == user_id, AuthSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


# --- password reset and invitations (the links themselves: app/accounts/links.py) ---------


def request_password_reset(email: str) -> None:
    """Send a reset link if the address is known; the caller shows the same text either way.

    A few links per account per hour at most, counted for unknown addresses too.
    """
    if not throttle().reset_allowed(normalise_email(email)):
        return
    identity = find_identity(email)
    if identity is None:
        return
    user = enter_user_arrangement(identity)
    if user is not None:
        record("accounts.password_reset", recipient_id=user.id)


def set_password(user: User, password: str) -> None:
    """Set a new password chosen by its owner; :class:`app.accounts.passwords.WeakPassword`
    when the one password rule (app/accounts/passwords.py) refuses it."""
    check_password(password, user)
    user.password_hash = hash_password(password)
    end_all_sessions(user.id)


def create_user(
    *,
    organisation_id: int,
    email: str,
    name: str,
    password: str | None = None,
    department_id: int | None = None,
    is_hr: bool = False,
    is_coordinator: bool = False,
    login_identity: bool = True,
    **extra,
) -> User:
    """A new account. ``login_identity=False`` for an address that already logs in to an
    account elsewhere (the new one then signs in through its organisation's provider only)."""
    email = normalise_email(email)
    user = User(
        organisation_id=organisation_id,
        department_id=department_id,
        email=email,
        name=name,
        password_hash=hash_password(password) if password else None,
        is_hr=is_hr,
        is_coordinator=is_coordinator,
        **extra,
    )
    db.session.add(user)
    db.session.flush()
    if login_identity:
        db.session.add(
            LoginIdentity(email=email, user_id=user.id, arrangement_id=user.arrangement_id)
        )
        db.session.flush()
    return user


class NotAllowed(Forbidden):
    """The policy refused the operation."""


class InvalidDepartment(InvalidInput):
    """The department is not one of the organisation's own."""


class AlreadyStaff(Conflict):
    """The address belongs to a member of the inviting organisation (HR sees them anyway)."""


def invite(by: User, *, email: str, name: str, department_id: int | None) -> User | None:
    """HR invites a member of its own organisation; the invitation e-mail sets a password.

    An address that already has an account *outside* HR's own organisation (another member of
    the arrangement, or another arrangement) is not revealed (issue 10, finding 2): HR gets the
    same answer as for a new address, no account is made, and the address's holder gets a
    notice instead of an invitation, telling them that someone tried to invite them while they
    already have an account, and what to do if they changed employer. That is how users know
    it from sign-up forms: the person it concerns hears of it, the one who typed the address
    does not. The holder gets a few such notices an hour at most, so inviting cannot flood an
    inbox, and probing addresses is not silent: each probe mails the person probed. (HR later
    sees that no new colleague appeared; learning it that way costs a notice to the person per
    address and days of waiting, not 5,000 answers a minute.)

    Returns the new user, or None when the address was taken (the caller answers as if sent).
    :class:`AlreadyStaff` for an address of HR's own staff, whom HR may see and should edit.
    """
    if not allowed(by, "staff.invite", by.organisation):
        raise NotAllowed()
    if department_id is not None:
        department = db.session.get(Department, department_id)
        if department is None or department.organisation_id != by.organisation_id:
            raise InvalidDepartment()
    identity = find_identity(email)
    if identity is not None:
        if identity.arrangement_id == by.arrangement_id:
            holder = db.session.get(User, identity.user_id)
            if holder is not None and holder.organisation_id == by.organisation_id:
                raise AlreadyStaff()
        tell_existing_holder(identity)
        return None
    user = create_user(
        organisation_id=by.organisation_id, email=email, name=name, department_id=department_id
    )
    record("accounts.invitation", recipient_id=user.id, invited_by=by.id)
    return user


def tell_existing_holder(identity: LoginIdentity) -> None:
    """Mail an account holder that their address was used for a new account elsewhere.

    The outbox row is written in the holder's own arrangement (it names only their user id),
    so the worker renders it there; the inviter's organisation is not named, since it may be
    of another arrangement.
    """
    if not throttle().collision_notice_allowed(identity.email):
        return
    with use_arrangement(identity.arrangement_id):
        record("accounts.address_in_use", recipient_id=identity.user_id)


def email_in_use(email: str) -> bool:
    return (
        db.session.scalar(
            select(LoginIdentity.email).where(LoginIdentity.email == normalise_email(email))
        )
        is not None
    )


def deactivate(user: User) -> None:
    user.active = False
    end_all_sessions(user.id)
