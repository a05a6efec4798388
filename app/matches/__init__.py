"""Matches: proposals, approvals, agreements (PDF), placements and their lifecycle."""

from app.outbox.delivery import register_handlers
from app.outbox.schedules import register_schedules
from app.wiring import register_blueprints


def init_app(app) -> None:
    """Register the matches' pages, API, e-mails, schedules and demo content (called by
    ``create_app``, after the pool: the demo matches are made from the pool's demo)."""
    # deferred: domain package: a submodule import runs this package first, and the views
    # import the other domains; init_app loads them once the app is being built.
    from app import demo as app_demo
    from app.matches import api, demo, emails, notices, tasks, views
    from app.pool.notifications.operations import register_kinds
    from app.web import navigation

    register_blueprints(app, views.bp, api.blp)
    register_kinds(notices.NOTIFICATION_KINDS)
    navigation.register(app, views)
    register_handlers(emails.HANDLERS)
    register_schedules(tasks.SCHEDULES)
    app_demo.add_content(demo.demo_matches)
