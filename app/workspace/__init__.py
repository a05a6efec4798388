"""The HR workspace: staff, departments and line managers, the staff import, organisation details
and logo, overviews of the organisation's placements and its staff's offers and responses, and the
data subject rights (export, erasure, retention)."""

from app.outbox.schedules import register_schedules
from app.wiring import register_blueprints


def init_app(app) -> None:
    """Register the workspace's pages and the daily retention run (called by ``create_app``)."""
    # deferred: domain package: a submodule import runs this package first, and the views
    # import the other domains; init_app loads them once the app is being built.
    from app.web import navigation
    from app.workspace import (
        department_views,
        import_views,
        organisation_views,
        rights_views,
        tasks,
        views,
    )

    register_blueprints(app, views.bp)
    navigation.register(
        app, views, rights_views, department_views, import_views, organisation_views
    )
    register_schedules(tasks.SCHEDULES)
