"""Deelkracht: the klussenbank of a shared-service arrangement."""

from __future__ import annotations

import importlib
import logging
import os

from flask import Flask, current_app, g, has_request_context, request, session
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix

from app import (
    accounts,
    cleaning,
    errors,
    ids,
    logs,
    matches,
    metrics,
    pool,
    reports,
    scim,
    sso,
    web,
    workspace,
)
from app import config as config_module
from app.api import api
from app.extensions import babel, csrf, db, login_manager, mail, migrate
from tenants import pg_connection
from tenants.context import set_arrangement

#: Modules that define tables, imported by :func:`register_models` so the metadata is complete
#: without an app (migrations, create_all, the test schema).
MODEL_MODULES = (
    "tenants.scoping",  # the scoping listeners
    "app.outbox.models",
    "app.accounts.models",
    "app.pool.models",
    "app.pool.saved_searches",
    "app.pool.vocabulary",
    "app.matches.models",
    "app.matches.followup",
    "app.workspace.models",
)


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
        app.config["MAIL_BACKEND"] = "app.outbox.mail.LogEmailBackend"
    proxies = int(os.environ.get("PROXY_FIX_X_FOR", "0"))
    if proxies:
        # The proxies trusted for the client's address are trusted for its scheme too: behind
        # a TLS-terminating proxy the request is HTTPS (HSTS, secure cookies, external URLs).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"))

    logs.init_app(app)
    # fontTools logs every step of every font subset at INFO (~120 KB before the demo's banner,
    # from WeasyPrint and the agreement fonts): only its warnings and errors are of use.
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    # WeasyPrint logs each rendering step ("Step 2 - Fetching and parsing CSS") at INFO too.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    register_extensions(app)
    register_models()
    register_api(app)
    register_domains(app)
    register_errorhandlers(app)
    register_request_hooks(app)

    metrics.init_app(app)
    return app


def _select_locale() -> str:
    """The language chosen in this session (at login: the user's saved choice), else Dutch.
    The API has no session: there ``Accept-Language`` chooses (Dutch unless English is asked).

    Reads only the session: the error page for a database outage must render without it.
    """

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
    else:
        with app.app_context():
            pg_connection.install(db.engine)  # BEGIN + arrangement in one round trip


def _tune_sqlite(app: Flask) -> None:

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
    """Import every module that defines tables, so the metadata is complete."""
    for name in MODEL_MODULES:
        importlib.import_module(name)


def register_api(app: Flask) -> None:
    ids.register(app)  # before the rules are made: every <int:KIND_id> is a public id
    api.init_app(app)
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})


def register_domains(app: Flask) -> None:
    """Each domain registers its pages, API, outbox handlers, schedules and demo content, in
    this order (the matches' demo builds on the pool's)."""
    for domain in (accounts, web, pool, matches, reports, workspace, sso, scim):
        domain.init_app(app)


def register_errorhandlers(app: Flask) -> None:

    errors.register(app)


def register_request_hooks(app: Flask) -> None:

    cleaning.register(app)  # NUL, lone surrogates, non-strict JSON: a 400 before any view

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
            # Set, not defaulted: send_file marks a download "no-cache" (stored, revalidated),
            # and an agreement PDF holds personal data that no cache may keep (issue 10, 8).
            response.headers["Cache-Control"] = "no-store"
        # Over HTTPS only (RFC 6797 7.2; behind a proxy: PROXY_FIX_X_FOR or gunicorn's
        # FORWARDED_ALLOW_IPS makes its X-Forwarded-Proto count): a browser that saw it never
        # tries plain HTTP again.
        max_age = current_app.config.get("HSTS_MAX_AGE") or 0
        if request.is_secure and max_age > 0:
            value = f"max-age={int(max_age)}"
            if current_app.config.get("HSTS_INCLUDE_SUBDOMAINS"):
                value += "; includeSubDomains"
            response.headers.setdefault("Strict-Transport-Security", value)
        return response
