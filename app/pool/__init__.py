"""The pool: jobs (klussen), capacity offers, applications, notifications and search."""

from app.outbox.delivery import register_handlers
from app.outbox.schedules import register_schedules
from app.wiring import register_blueprints


def init_app(app) -> None:
    """Register the pool's pages, API, e-mails, schedules and demo content (called by
    ``create_app``). The demo's jobs come before its offers and responses, which use them."""
    # deferred: domain package: a submodule import runs this package first, and the views
    # import the other domains; init_app loads them once the app is being built.
    from app import demo
    from app.pool import (
        api,
        pool_emails,
        saved_search_views,
        saved_searches,
        tasks,
        views,
    )
    from app.pool.applications import views as application_views
    from app.pool.jobs import demo as jobs_demo
    from app.pool.jobs import emails as job_emails
    from app.pool.jobs import views as job_views
    from app.pool.notifications import views as notification_views
    from app.pool.offers import demo as offers_demo
    from app.pool.offers import views as offer_views
    from app.pool.settings import views as settings_views
    from app.web import navigation

    register_blueprints(app, views.bp, api.blp)
    navigation.register(
        app,
        job_views,
        offer_views,
        application_views,
        notification_views,
        settings_views,
        saved_search_views,
    )
    register_handlers(job_emails.HANDLERS | pool_emails.HANDLERS | saved_searches.HANDLERS)
    register_schedules(tasks.SCHEDULES)
    demo.add_content(jobs_demo.demo_jobs, offers_demo.demo_offers_and_responses)
