"""Outbox handlers for account e-mails. They render at delivery time from ids."""

from __future__ import annotations

from flask import current_app

from app.accounts.links import make_link_token
from app.accounts.models import User
from app.extensions import db
from app.outbox.mail import send_mail


def _link(endpoint_path: str) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + endpoint_path


def _to_active_user(message, template: str, path, **context) -> bool:
    """Send ``template`` to the message's recipient while their account is active (a removed or
    deactivated account gets nothing); ``path(user)`` is the link's path."""
    user = db.session.get(User, message.recipient_id)
    if user is None or not user.active:
        return False
    send_mail(
        user.email, template, locale=user.locale, user=user, link=_link(path(user)), **context
    )
    return True


def password_reset(message) -> bool:
    return _to_active_user(
        message,
        "password_reset",
        lambda user: f"/wachtwoord-herstellen/{make_link_token(user, 'reset')}",
    )


def invitation(message) -> bool:
    return _to_active_user(
        message,
        "invitation",
        lambda user: f"/uitnodiging/{make_link_token(user, 'invite')}",
        inviter=db.session.get(User, message.refs.get("invited_by")),
    )


def address_in_use(message) -> bool:
    """Someone tried to invite this address, which already has an account (operations.invite)."""
    return _to_active_user(message, "address_in_use", lambda user: "/wachtwoord-vergeten")


#: The outbox kinds this module sends (registered by the domain's ``init_app``).
HANDLERS = {
    "accounts.password_reset": password_reset,
    "accounts.invitation": invitation,
    "accounts.address_in_use": address_in_use,
}
