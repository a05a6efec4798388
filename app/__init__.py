"""Deelkracht: the klussenbank of a shared-service arrangement."""

from __future__ import annotations

import logging
import os

from flask import Flask, g, request, session
from werkzeug.middleware.proxy_fix import ProxyFix

from app import config as config_module
from app.extensions import babel, csrf, db, login_manager, mail, migrate

#: Domain packages: each may have models, views (blueprint `bp`), api (smorest blueprint `blp`),
#: emails (outbox handlers) and jobs. Listed once, registered in order.
DOMAINS = ("accounts", "web", "pool", "matches", "reports", "workspace")


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=os.environ.get("DEELKRACHT_INSTANCE", None)
        or os.path.join(config_module.ROOT, "instance"),
        template_folder=str(config_module.ROOT / "templates"),
        static_folder=str(config_module.ROOT / "app" / "static"),
    )
    app.config.update(config_module.from_environment(app.instance_path))
    if overrides:
        app.config.update(overrides)
    if app.config["MAIL_BACKEND"] == "console":
        app.config["MAIL_BACKEND"] = "worker.mail.LogEmailBackend"
    if int(os.environ.get("PROXY_FIX_X_FOR", "0")):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=int(os.environ["PROXY_FIX_X_FOR"]))
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"))
    # fontTools logs every step of every font subset at INFO (~120 KB before the demo's banner,
    # from WeasyPrint and the agreement fonts): only its warnings and errors are of use.
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    register_extensions(app)
    register_models()
    register_blueprints(app)
    register_errorhandlers(app)
    register_request_hooks(app)
    return app


def _select_locale() -> str:
    """The language chosen in this session (at login: the user's saved choice), else Dutch.
    The API has no session: there ``Accept-Language`` chooses (Dutch unless English is asked).

    Reads only the session: the error page for a database outage must render without it.
    """
    from flask import has_request_context

    if not has_request_context():
        return "nl"
    if request.path.startswith("/api/"):
        return request.accept_languages.best_match(("nl", "en")) or "nl"
    choice = session.get("locale")
    return choice if choice in ("nl", "en") else "nl"


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(config_module.ROOT / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    mail.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        _tune_sqlite(app)


def _tune_sqlite(app: Flask) -> None:
    from sqlalchemy import event

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, connection_record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        # Read through a memory map and keep more pages per connection: the job list and the
        # full-text search read many small rows of a large file (bench/job_pages.py).
        cursor.execute("PRAGMA mmap_size=268435456")
        cursor.execute("PRAGMA cache_size=-32000")
        cursor.close()


def register_models() -> None:
    """Import every domain's models so the metadata is complete (migrations, create_all)."""
    import importlib

    import tenants.scoping  # noqa: F401  the scoping listeners
    from app.outbox import models as _outbox  # noqa: F401

    for domain in DOMAINS:
        for module in ("models", "emails", "jobs"):
            try:
                importlib.import_module(f"app.{domain}.{module}")
            except ModuleNotFoundError as exc:
                if exc.name not in (f"app.{domain}", f"app.{domain}.{module}"):
                    raise


def register_blueprints(app: Flask) -> None:
    import importlib

    from app.api import api

    api.init_app(app)
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    for domain in DOMAINS:
        for module, attr in (("views", "bp"), ("api", "blp")):
            try:
                mod = importlib.import_module(f"app.{domain}.{module}")
            except ModuleNotFoundError as exc:
                if exc.name in (f"app.{domain}", f"app.{domain}.{module}"):
                    continue
                raise
            blueprint = getattr(mod, attr, None)
            if blueprint is None:
                continue
            if attr == "blp":
                api.register_blueprint(blueprint)
                csrf.exempt(blueprint)  # bearer tokens only: no cookie, no CSRF
            else:
                app.register_blueprint(blueprint)


def register_errorhandlers(app: Flask) -> None:
    from app.errors import register

    register(app)


def register_request_hooks(app: Flask) -> None:
    from tenants.context import set_arrangement

    @app.before_request
    def _reset_tenant_context() -> None:
        # A thread serves many requests: never inherit the previous request's arrangement.
        set_arrangement(None)
        g.pop("user", None)

    @app.teardown_request
    def _clear_tenant_context(exc) -> None:
        set_arrangement(None)

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; "
            "script-src 'self'; frame-ancestors 'none'; form-action 'self'",
        )
        if request.path.startswith("/api/") or getattr(g, "user", None) is not None:
            response.headers.setdefault("Cache-Control", "no-store")
        return response
