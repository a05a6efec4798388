"""Outbox handlers for account e-mails. They render at delivery time from ids."""

from __future__ import annotations

from flask import current_app

from app.accounts.models import User
from app.accounts.operations import make_link_token
from app.extensions import db
from app.outbox.mail import send_mail


def _link(endpoint_path: str) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + endpoint_path


def password_reset(message) -> bool:
    user = db.session.get(User, message.recipient_id)
    if user is None or not user.active:
        return False
    token = make_link_token(user, "reset")
    send_mail(
        user.email,
        "password_reset",
        locale=user.locale,
        user=user,
        link=_link(f"/wachtwoord-herstellen/{token}"),
    )
    return True


def invitation(message) -> bool:
    user = db.session.get(User, message.recipient_id)
    if user is None or not user.active:
        return False
    inviter = db.session.get(User, message.refs.get("invited_by"))
    token = make_link_token(user, "invite")
    send_mail(
        user.email,
        "invitation",
        locale=user.locale,
        user=user,
        inviter=inviter,
        link=_link(f"/uitnodiging/{token}"),
    )
    return True


def address_in_use(message) -> bool:
    """Someone tried to invite this address, which already has an account (operations.invite)."""
    user = db.session.get(User, message.recipient_id)
    if user is None or not user.active:
        return False
    send_mail(
        user.email,
        "address_in_use",
        locale=user.locale,
        user=user,
        link=_link("/wachtwoord-vergeten"),
    )
    return True


#: The outbox kinds this module sends (registered by the domain's ``init_app``).
HANDLERS = {
    "accounts.password_reset": password_reset,
    "accounts.invitation": invitation,
    "accounts.address_in_use": address_in_use,
}
