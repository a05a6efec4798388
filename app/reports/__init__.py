"""Reports: placements, participation, finance and the coordinators' summary."""

from app.outbox.delivery import register_handlers
from app.outbox.schedules import register_schedules
from app.wiring import register_blueprints


def init_app(app) -> None:
    """Register the reports' pages, API, e-mail and schedule (called by ``create_app``)."""
    # deferred: domain package: a submodule import runs this package first, and the views
    # import the other domains; init_app loads them once the app is being built.
    from app.reports import api, emails, tasks, views
    from app.web import navigation

    register_blueprints(app, views.bp, api.blp)
    navigation.register(app, views)
    register_handlers(emails.HANDLERS)
    register_schedules(tasks.SCHEDULES)
