"""Configuration from the environment (12-factor).

No variable set means the embedded default: SQLite in the instance folder and side effects
delivered in-process after commit. Production sets ``DATABASE_URL`` (PostgreSQL, connecting as the
application role that is neither table owner nor BYPASSRLS), ``REDIS_URL`` and ``SECRET_KEY``.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _instance_secret(instance: Path) -> str:
    """A per-installation secret for the embedded default, kept in the instance folder."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _driver_url(url: str) -> str:
    """postgres:// and postgresql:// URLs use psycopg 3 (the driver we install)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def engine_options(transaction_pooling: bool = False) -> dict:
    """SQLAlchemy engine options. Behind a transaction-pooling PgBouncer
    (``DATABASE_TRANSACTION_POOLING=true``) consecutive transactions of one client connection
    may run on different server connections, so nothing may outlive a transaction: psycopg's
    automatic server-side prepared statements are switched off (``prepare_threshold=None``).
    The arrangement setting of row-level security is transaction-local already
    (``SET LOCAL`` with the transaction's ``BEGIN``, tenants/pg_connection.py). The pool does
    not ping every checkout: tenants/pg_connection.py pings a connection that sat idle."""
    options: dict = {"pool_pre_ping": False}
    if transaction_pooling:
        options["connect_args"] = {"prepare_threshold": None}
    return options


def from_environment(instance_path: str) -> dict:
    instance = Path(instance_path)
    database_url = _driver_url(
        os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'deelkracht.db'}"
    )
    embedded = database_url.startswith("sqlite")
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY") or _instance_secret(instance),
        # The key of the public ids (app/ids.py). Unset: derived from SECRET_KEY (the demo).
        # Production sets it, the same in every process and never changed.
        "ID_KEY": os.environ.get("ID_KEY") or None,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(
            not embedded and _bool("DATABASE_TRANSACTION_POOLING", False)
        ),
        # Owner credentials for `deelkracht db upgrade`; the web and worker processes use
        # DATABASE_URL, whose role row-level security applies to.
        "MIGRATE_DATABASE_URL": _driver_url(os.environ.get("MIGRATE_DATABASE_URL") or database_url),
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        "BASE_URL": os.environ.get("BASE_URL", "http://127.0.0.1:5000"),
        # Cookies: HttpOnly and SameSite always; Secure except for the plain-HTTP embedded demo.
        "SESSION_COOKIE_NAME": "deelkracht_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", not embedded),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "SESSION_IDLE_TIMEOUT": timedelta(minutes=_int("SESSION_IDLE_MINUTES", 60)),
        "SESSION_ABSOLUTE_TIMEOUT": timedelta(hours=_int("SESSION_ABSOLUTE_HOURS", 10)),
        "API_TOKEN_LIFETIME": timedelta(hours=_int("API_TOKEN_HOURS", 12)),
        "PERSONAL_API_TOKEN_LIFETIME": timedelta(days=_int("PERSONAL_API_TOKEN_DAYS", 90)),
        "PASSWORD_HASH_METHOD": os.environ.get("PASSWORD_HASH_METHOD", "scrypt"),
        # Login throttling without a lock-out: app/accounts/throttle.py explains the counters.
        "LOGIN_FAILURES_PER_ACCOUNT_ADDRESS": os.environ.get(
            "LOGIN_FAILURES_PER_ACCOUNT_ADDRESS", "5 per minute; 10 per hour; 20 per day"
        ),
        # Far above one address's allowance for an account: one attacker never reaches it.
        "LOGIN_FAILURES_PER_ACCOUNT": os.environ.get(
            "LOGIN_FAILURES_PER_ACCOUNT", "50 per hour; 100 per day"
        ),
        "LOGIN_FAILURES_PER_DEVICE": os.environ.get("LOGIN_FAILURES_PER_DEVICE", "10 per hour"),
        "LOGIN_DEVICE_DAYS": _int("LOGIN_DEVICE_DAYS", 180),
        # An address is shared by a whole town hall: its limit is far higher than an account's.
        "LOGIN_FAILURES_PER_ADDRESS": os.environ.get(
            "LOGIN_FAILURES_PER_ADDRESS", "200 per 15 minutes"
        ),
        "MAX_CONTENT_LENGTH": _int("MAX_CONTENT_LENGTH", 1024 * 1024),
        # Every answer to a password-reset request takes this long (app/accounts/views.py).
        "RESET_REQUEST_SECONDS": float(os.environ.get("RESET_REQUEST_SECONDS") or 0.25),
        # Strict-Transport-Security on every HTTPS answer: a year; 0 leaves the header out.
        "HSTS_MAX_AGE": _int("HSTS_MAX_AGE", 365 * 24 * 3600),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER") or None,
        "MAIL_PORT": _int("MAIL_PORT", 25),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD"),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS", False),
        "MAIL_USE_SSL": _bool("MAIL_USE_SSL", False),
        "MAIL_DEFAULT_SENDER": os.environ.get(
            "MAIL_DEFAULT_SENDER", "Deelkracht <noreply@deelkracht.example>"
        ),
        "MAIL_BACKEND": "smtp" if os.environ.get("MAIL_SERVER") else "console",
        "MAIL_TIMEOUT": 10,
        "BABEL_DEFAULT_LOCALE": "nl",
        # Times are stored in UTC and shown in the users' time zone.
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("TIMEZONE", "Europe/Amsterdam"),
        "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "app" / "translations"),
        "LANGUAGES": ["nl", "en"],
        "WTF_CSRF_TIME_LIMIT": None,
        "RQ_QUEUE": os.environ.get("RQ_QUEUE", "deelkracht"),
        # /metrics for a Prometheus server holding this token; unset: no /metrics (404).
        "METRICS_TOKEN": os.environ.get("METRICS_TOKEN") or None,
        # /.well-known/security.txt (RFC 9116); no contact or expiry: no file.
        "SECURITY_CONTACT": os.environ.get("SECURITY_CONTACT") or None,
        "SECURITY_EXPIRES": os.environ.get("SECURITY_EXPIRES") or None,
        "SECURITY_POLICY": os.environ.get("SECURITY_POLICY") or None,
        # Strict-Transport-Security on answers over HTTPS (0: none).
        "HSTS_INCLUDE_SUBDOMAINS": _bool("HSTS_INCLUDE_SUBDOMAINS", False),
        # "json": one JSON object per log line (request id, arrangement id, no personal data).
        "LOG_FORMAT": os.environ.get("LOG_FORMAT", "text"),
        "PREFERRED_URL_SCHEME": "https" if not embedded else "http",
        "API_TITLE": "Deelkracht API",
        "API_VERSION": "1.1.0",  # app.api.API_VERSION is the one the API reports
        # info.contact of the OpenAPI document (API Design Rules: name, e-mail and URL of the
        # installation's API owner).
        "API_CONTACT_NAME": os.environ.get("API_CONTACT_NAME", "Deelkracht"),
        "API_CONTACT_EMAIL": os.environ.get("API_CONTACT_EMAIL", "api@deelkracht.example"),
        "API_CONTACT_URL": os.environ.get(
            "API_CONTACT_URL", os.environ.get("BASE_URL", "http://127.0.0.1:5000")
        ),
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
    }
