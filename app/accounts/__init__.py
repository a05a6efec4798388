"""Accounts: users, sign-in, tokens, passwords, invitations and devices."""

from app.outbox.delivery import register_handlers
from app.wiring import register_blueprints


def init_app(app) -> None:
    """Register the accounts' pages, API and e-mails with the app (called by ``create_app``)."""
    # deferred: domain package: a submodule import runs this package first, and the views
    # import the other domains; init_app loads them once the app is being built.
    from app.accounts import api, emails, views

    register_blueprints(app, views.bp, api.blp)
    register_handlers(emails.HANDLERS)
