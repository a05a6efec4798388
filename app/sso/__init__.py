"""Single sign-on (OpenID Connect) for organisations that configure it."""

from app.wiring import register_blueprints


def init_app(app) -> None:
    """Register the sign-on pages (called by ``create_app``)."""
    # deferred: domain package: a submodule import runs this package first, and the views
    # import the other domains; init_app loads them once the app is being built.
    from app.sso import views

    register_blueprints(app, views.bp)
