"""SCIM 2.0 provisioning of users and groups (``/scim/v2``)."""

from app.wiring import register_blueprints


def init_app(app) -> None:
    """Register the SCIM endpoints (called by ``create_app``)."""
    # deferred: domain package: a submodule import runs this package first, and the views
    # import the other domains; init_app loads them once the app is being built.
    from app.scim import group_views, views  # noqa: F401  group_views: its routes on views.bp

    register_blueprints(app, views.bp)
