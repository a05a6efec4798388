"""The pool: jobs (klussen), capacity offers, applications, notifications and search."""

from app.outbox.delivery import register_handlers
from app.outbox.schedules import register_schedules
from app.wiring import register_blueprints


def init_app(app) -> None:
    """Register the pool's pages, API, e-mails, schedules and demo content (called by
    ``create_app``). The demo's jobs come before its offers and responses, which use them."""
    # Imported here: a submodule import (``app.pool.models``) runs this package first, and the
    # views import the other domains.
    from app import demo
    from app.pool import (
        api,
        pool_emails,
        saved_searches,
        tasks,
        views,
    )
    from app.pool.jobs import demo as jobs_demo
    from app.pool.jobs import emails as job_emails
    from app.pool.offers import demo as offers_demo

    register_blueprints(app, views.bp, api.blp)
    register_handlers(job_emails.HANDLERS | pool_emails.HANDLERS | saved_searches.HANDLERS)
    register_schedules(tasks.SCHEDULES)
    demo.add_content(jobs_demo.demo_jobs, offers_demo.demo_offers_and_responses)
