"""The web shell: start page, navigation, shared form and choice helpers."""

from app.wiring import register_blueprints


def init_app(app) -> None:
    """Register the start page and the shared pages (called by ``create_app``)."""
    # deferred: domain package: a submodule import runs this package first, and the views
    # import the other domains; init_app loads them once the app is being built.
    from app.web import navigation, views

    register_blueprints(app, views.bp)
    navigation.register(app, navigation)
