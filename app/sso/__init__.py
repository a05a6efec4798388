"""Single sign-on (OpenID Connect) for organisations that configure it."""

from app.wiring import register_blueprints


def init_app(app) -> None:
    """Register the sign-on pages (called by ``create_app``)."""
    # Imported here: a submodule import runs this package first, and the views import the
    # accounts domain.
    from app.sso import views

    register_blueprints(app, views.bp)
