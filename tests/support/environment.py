"""The environment the tests run in: the backend, the servers they may need (PostgreSQL,
Redis, Debian's Chromium) and whether those answer, and the names of each process's databases.

Backend: ``DEELKRACHT_TEST_BACKEND=sqlite`` (default) or ``postgresql``. Tests marked ``postgres``
or ``redis`` skip, saying why, when those servers are absent, and tests marked ``browser`` when
Debian's Chromium is absent, except under CI, where they fail (tests/conftest.py).
scripts/run_tests.sh reads ``PG_MISSING`` from here.
"""

from __future__ import annotations

import os

import sqlalchemy as sa

BACKEND = os.environ.get("DEELKRACHT_TEST_BACKEND", "sqlite")
PG_ADMIN_URL = os.environ.get(
    "TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
# RQ job ids and dedupe keys are global in a Redis database, and every test database starts
# its ids at 1: each xdist worker gets a database of its own (gw0: 15, gw1: 14, ...).
_WORKER_NUMBER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0")[2:] or 0)
REDIS_TEST_URL = os.environ.get("TEST_REDIS_URL") or (
    f"redis://127.0.0.1:6379/{15 - _WORKER_NUMBER % 12}"
)
APP_ROLE = "deelkracht_app"
# One database per pytest process: with pytest-xdist each worker (gw0, gw1, ...) has its own.
SUFFIX = "_".join(
    part
    for part in (
        os.environ.get("DEELKRACHT_TEST_DB_SUFFIX", "") or str(os.getpid()),
        os.environ.get("PYTEST_XDIST_WORKER", ""),
    )
    if part
)
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
FAST_HASH = "pbkdf2:sha256:1000"
CHROMIUM_PATH = os.environ.get("DEELKRACHT_CHROMIUM", "/usr/bin/chromium")


def _pg_available() -> str | None:
    try:
        engine = sa.create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 2})
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:
        return f"PostgreSQL not reachable at {PG_ADMIN_URL}: {type(exc).__name__}"


def _redis_available() -> str | None:
    try:
        import redis

        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1).ping()
        return None
    except Exception as exc:
        return f"Redis not reachable at {REDIS_TEST_URL}: {type(exc).__name__}"


def _chromium_available() -> str | None:
    if os.access(CHROMIUM_PATH, os.X_OK):
        return None
    return f"Chromium not found at {CHROMIUM_PATH} (apt-get install chromium)"


PG_MISSING = _pg_available()
REDIS_MISSING = _redis_available()
CHROMIUM_MISSING = _chromium_available()
REQUIREMENTS = (
    ("postgres", PG_MISSING),
    ("redis", REDIS_MISSING),
    ("browser", CHROMIUM_MISSING),
)
