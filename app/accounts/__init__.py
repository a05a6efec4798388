"""Accounts: users, sign-in, tokens, passwords, invitations and devices."""

from app.outbox.delivery import register_handlers
from app.wiring import register_blueprints


def init_app(app) -> None:
    """Register the accounts' pages, API and e-mails with the app (called by ``create_app``)."""
    # Imported here: a submodule import (``app.accounts.models``) runs this package first, and
    # the views import the other domains.
    from app.accounts import api, emails, views

    register_blueprints(app, views.bp, api.blp)
    register_handlers(emails.HANDLERS)
