"""Test fixtures: an app on SQLite or PostgreSQL, and an arrangement world to test rules in.

Backend: ``DEELKRACHT_TEST_BACKEND=sqlite`` (default) or ``postgresql``. On PostgreSQL the app
connects as ``deelkracht_app`` (no owner, no BYPASSRLS) so row-level security applies, while the
schema is created and cleaned with the owner's connection. Tests marked ``postgres`` or ``redis``
skip, saying why, when those servers are absent, and tests marked ``browser`` when Debian's
Chromium is absent, except under CI, where they fail.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from app import create_app
from app.extensions import db

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


# --- which tests run on which backend -------------------------------------------------------
# PostgreSQL is production (row-level security, the `dutch` search configuration): every test
# runs there. On SQLite, the embedded default of the demo and a small pilot, the tests of what
# depends on the dialect run as well: full-text search (FTS5), the schema and its migrations, the
# demo, the arrangement scoping (on SQLite it is the only wall, there is no RLS behind it), the
# route x other-arrangement test, the privacy rule tables, locking under concurrency and the
# in-process outbox. DEELKRACHT_TEST_ALL=1 runs the whole suite on SQLite too.
SQLITE_TOO = (
    "tests/test_routes_cross_arrangement.py",
    "tests/test_smoke.py",
    "tests/foundation/test_demo.py",
    "tests/foundation/test_demo_serves.py",
    "tests/foundation/test_migrations.py",
    "tests/foundation/test_tenancy_scoping.py",
    "tests/foundation/test_outbox.py",
    "tests/pool/test_search.py",
    "tests/pool/test_jobs_pages.py",
    "tests/pool/test_jobs_for_you.py",
    "tests/pool/test_skills.py",
    "tests/pool/test_privacy_rules.py",
    "tests/matches/test_concurrency.py",
    "tests/matches/test_suggestions.py",
)
RUN_ALL_ON_SQLITE = os.environ.get("DEELKRACHT_TEST_ALL", "").lower() in {"1", "true", "yes"}
# Tests that never touch the test database: they run `deelkracht demo` in a subprocess over an
# embedded SQLite database of their own, whatever the backend. They run in the SQLite run only
# (`make test` runs both; DEELKRACHT_TEST_ALL=1 runs them on PostgreSQL too): the PostgreSQL run
# would repeat exactly the same thing.
SQLITE_ONLY = (
    "tests/foundation/test_demo.py",
    "tests/foundation/test_demo_serves.py",
)
# The modules that take longest (seconds of one process on PostgreSQL, roughly in this order).
# pytest-xdist's --dist loadfile hands out whole modules in collection order
# (--no-loadscope-reorder, scripts/run_tests.sh): the longest first, so that no process starts
# a long module when the other is almost done; then the rest, most tests first (xdist's own
# order).
SLOW_FIRST = (
    # measured on PostgreSQL under load, one process's seconds: 617, 393, 379, 294, 246, 215, 206
    "tests/privacy_audit/test_line_manager_snapshot.py",
    "tests/browser/test_crawl.py",
    "tests/browser/test_crawl_dewolden_hoogeveen.py",
    "tests/deploy/test_processes.py",
    "tests/pool/test_privacy_rules.py",
    "tests/privacy_audit/test_others_snapshot.py",
    "tests/privacy_audit/test_readable_pages.py",
    # 196, 139, 116, 112, then 40-80
    "tests/foundation/test_migrations.py",
    "tests/api/test_schemathesis.py",
    "tests/deploy/test_metrics.py",
    "tests/hardening/accounts/test_proposal_migration.py",
    "tests/scim/test_privacy_provisioned.py",
    "tests/test_routes_cross_arrangement.py",
    "tests/foundation/test_rls.py",
    "tests/reports/test_browser.py",
    "tests/privacy_audit/test_match_leaks.py",
    "tests/deploy/test_scale_out.py",
    "tests/matches/test_flow_api.py",
    "tests/browser/test_journey.py",
)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "sqlite: also runs on SQLite (the dialect matters); see SQLITE_TOO"
    )


def pytest_collection_modifyitems(config, items):
    """On SQLite keep the tests in SQLITE_TOO and those marked ``sqlite``; the rest run on
    PostgreSQL only (listed as deselected in pytest's summary)."""
    if BACKEND == "sqlite" and not RUN_ALL_ON_SQLITE:
        kept, dropped = [], []
        for item in items:
            path = item.nodeid.split("::", 1)[0]
            if item.get_closest_marker("sqlite") or path.startswith(SQLITE_TOO):
                kept.append(item)
            else:
                dropped.append(item)
        if dropped:
            config.hook.pytest_deselected(items=dropped)
            items[:] = kept
    elif BACKEND != "sqlite" and not RUN_ALL_ON_SQLITE:
        dropped = [item for item in items if item.nodeid.startswith(SQLITE_ONLY)]
        if dropped:
            config.hook.pytest_deselected(items=dropped)
            items[:] = [item for item in items if not item.nodeid.startswith(SQLITE_ONLY)]
    if os.environ.get("PYTEST_XDIST_WORKER"):
        _slowest_modules_first(items)


def _slowest_modules_first(items) -> None:
    """The modules of SLOW_FIRST first, in that order, then the others by number of tests
    (most first); a module's tests stay together and in their order (a stable sort)."""
    from collections import Counter

    def module(item) -> str:
        return item.nodeid.split("::", 1)[0]

    sizes = Counter(module(item) for item in items)
    rank = {path: i for i, path in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: (rank.get(module(item), len(rank)), -sizes[module(item)]))


def pytest_runtest_setup(item):
    """A test marked with a missing server skips, saying why; under CI it fails instead.
    (Checked at setup: a ``usefixtures`` mark added after collection would never run, and an
    xfail that does not run passes the run.)"""
    for marker, missing in REQUIREMENTS:
        if item.get_closest_marker(marker) and missing:
            if IN_CI:
                pytest.fail(f"required under CI: {missing}", pytrace=False)
            pytest.skip(missing)


def pytest_report_header(config):
    return [
        f"deelkracht backend: {BACKEND}",
        f"postgresql: {PG_MISSING if PG_MISSING else 'available'}",
        f"redis: {REDIS_MISSING if REDIS_MISSING else 'available'}",
        f"chromium: {CHROMIUM_MISSING if CHROMIUM_MISSING else CHROMIUM_PATH}",
    ]


# --- databases ----------------------------------------------------------------------------


def pg_url(database: str, user: str = "postgres") -> str:
    base = sa.engine.make_url(PG_ADMIN_URL)
    return base.set(database=database, username=user, password=None).render_as_string(
        hide_password=False
    )


def create_pg_database(name: str) -> None:
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        # A test database outlives no crash: commits need not wait for the WAL to reach the
        # disk (~5 ms a commit here, and the tests commit thousands of times).
        conn.execute(sa.text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
        exists = conn.execute(
            sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": APP_ROLE}
        ).scalar()
        if not exists:
            # Another test run may create it at the same moment.
            with contextlib.suppress(sa.exc.ProgrammingError, sa.exc.IntegrityError):
                conn.execute(sa.text(f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS"))
    admin.dispose()


def drop_pg_database(name: str, wait: bool = True) -> None:
    """Drop a test database. ``wait=False`` leaves the drop to a detached process: DROP DATABASE
    waits for a checkpoint (seconds, up to a minute on a busy machine), which the end of a test
    run need not wait for when the name is never used again."""
    statement = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    if not wait:
        import subprocess
        import sys

        code = (
            "import sqlalchemy as sa, sys\n"
            "e = sa.create_engine(sys.argv[1], isolation_level='AUTOCOMMIT')\n"
            "with e.connect() as c: c.execute(sa.text(sys.argv[2]))\n"
        )
        subprocess.Popen(
            [sys.executable, "-c", code, PG_ADMIN_URL, statement],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        return
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(statement))
    admin.dispose()


@dataclass
class Database:
    app_url: str
    owner_url: str
    backend: str
    owner_engine: sa.Engine = field(init=False)

    def __post_init__(self):
        self.owner_engine = sa.create_engine(self.owner_url)


@pytest.fixture(scope="session")
def database(tmp_path_factory):
    if BACKEND == "postgresql":
        if PG_MISSING:
            pytest.fail(PG_MISSING) if IN_CI else pytest.skip(PG_MISSING)
        name = f"deelkracht_test_{SUFFIX}"
        create_pg_database(name)
        database = Database(pg_url(name, APP_ROLE), pg_url(name), "postgresql")
        yield database
        database.owner_engine.dispose()
        # A name made of this process's id is not used again, so nobody waits for its drop; a
        # name given by DEELKRACHT_TEST_DB_SUFFIX may be, by the next run at once.
        drop_pg_database(name, wait=bool(os.environ.get("DEELKRACHT_TEST_DB_SUFFIX")))
    else:
        path = tmp_path_factory.mktemp("db") / "test.db"
        yield Database(f"sqlite:///{path}", f"sqlite:///{path}", "sqlite")


def base_config(database: Database, **extra) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database.app_url,
        "MIGRATE_DATABASE_URL": database.owner_url,
        "PASSWORD_HASH_METHOD": FAST_HASH,
        "MAIL_BACKEND": "locmem",
        "SERVER_NAME": "deelkracht.test",
        "BASE_URL": "http://deelkracht.test",
        "SESSION_COOKIE_SECURE": False,
        "REDIS_URL": None,
        # Forms are posted without tokens in most tests; tests/test_accounts.py checks CSRF.
        "WTF_CSRF_ENABLED": False,
    }
    config.update(extra)
    return config


@pytest.fixture(scope="session")
def schema(database):
    """Create the schema once (as owner) and, on PostgreSQL, install row-level security."""
    from app import register_models
    from tenants import rls

    register_models()
    from app.schema import install_search

    with database.owner_engine.begin() as conn:
        db.metadata.create_all(conn)
        install_search(conn)  # DDL create_all cannot express (app/schema.py), as the migration
        if database.backend == "postgresql":
            rls.install(conn, APP_ROLE)
    return database


def _clean(database: Database) -> None:
    """Empty every table, and on PostgreSQL start every id sequence at 1 again (as ``TRUNCATE
    ... RESTART IDENTITY`` would). DELETE, not TRUNCATE: the tables of a test hold a few rows,
    and TRUNCATE of 30-odd tables gives each table and index a new file (0.3-1.5 s a test on
    this machine, against ~20 ms for the DELETEs), which was the largest cost of the suite on
    PostgreSQL. The DELETEs run children first; the sequence reset is one statement."""
    with database.owner_engine.begin() as conn:
        if database.backend == "postgresql":
            statements = [f'DELETE FROM "{t.name}"' for t in reversed(db.metadata.sorted_tables)]
            statements.append(
                "SELECT setval(c.oid::regclass, 1, false) FROM pg_class c "
                "WHERE c.relkind = 'S' AND c.relnamespace = 'public'::regnamespace"
            )
            # One round trip (no parameters, so psycopg sends it as one simple query).
            conn.exec_driver_sql("; ".join(statements))
        else:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture(scope="session")
def shared_app(schema):
    """One app for the whole pytest process: creating an app costs 65-90 ms, and most tests do
    not change its configuration. ``reset_app_state`` empties its per-process state (caches,
    throttle counters, sent e-mails) before each test, so no test sees another's."""
    app = create_app(base_config(schema))
    app.extensions["deelkracht_test_baseline"] = {*app.extensions, "deelkracht_test_baseline"}
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def reset_app_state(app) -> None:
    """Forget what earlier tests left in the app's per-process state."""
    baseline = app.extensions["deelkracht_test_baseline"]
    for key in set(app.extensions) - baseline:
        del app.extensions[key]
    app.extensions["mailman"].outbox = []
    from tenants.scoping import _criteria

    _criteria.cache_clear()


@pytest.fixture
def make_app(schema, shared_app):
    """Factory: an app over the test database. Without overrides it is the process's shared
    app; with config overrides a new app (disposed after the test)."""
    apps = []

    def factory(**overrides):
        if not overrides:
            return shared_app
        app = create_app(base_config(schema, **overrides))
        apps.append(app)
        return app

    yield factory
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app, schema, shared_app):
    """The app over an empty database. No app context is held open during the test, so
    each request gets its own context and session, as in production; use ``in_arrangement``
    to read or write the database from the test itself."""
    _clean(schema)
    reset_app_state(shared_app)
    yield make_app()
    from tenants.context import _current

    _current.set(None)


@pytest.fixture
def in_arrangement(app):
    """Context manager: an app context with one arrangement set (or none), for test code."""
    from contextlib import contextmanager

    from tenants.context import use_arrangement

    @contextmanager
    def enter(arrangement_id):
        arrangement_id = getattr(arrangement_id, "id", arrangement_id)
        with app.app_context():
            with use_arrangement(arrangement_id):
                try:
                    yield db.session
                finally:
                    db.session.rollback()
            db.session.remove()

    return enter


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def mail_outbox(app):
    """E-mails sent so far (Flask-Mailman's in-memory backend keeps them on the extension)."""
    mailman = app.extensions["mailman"]
    mailman.outbox = []
    return mailman.outbox


# --- the arrangement world -----------------------------------------------------------------

PASSWORD = "geheim-wachtwoord-1"


class World(SimpleNamespace):
    """Two arrangements with organisations, departments and people in every role."""


def _build_org(arrangement, slug: str, **settings):
    from app.accounts.operations import create_user
    from tenants.models import Department, DepartmentManager, Organisation

    org = Organisation(
        slug=slug,
        name=f"Gemeente {slug.title()}",
        legal_name=f"Gemeente {slug.title()}",
        address=f"Raadhuisplein 1, {slug.title()}",
        signatory_name=f"Directeur {slug.title()}",
        signatory_role="gemeentesecretaris",
        signatory_mandate="Mandaatbesluit 2025",
        **settings,
    )
    db.session.add(org)
    db.session.flush()
    team = Department(organisation_id=org.id, slug="team", name="Team Uitvoering")
    other = Department(organisation_id=org.id, slug="other", name="Team Beleid")
    db.session.add_all([team, other])
    db.session.flush()

    def user(role: str, dept=None, **kw):
        return create_user(
            organisation_id=org.id,
            email=f"{role}@{slug}.test",
            name=f"{role.title()} {slug.title()}",
            password=PASSWORD,
            department_id=dept.id if dept else None,
            **kw,
        )

    people = SimpleNamespace(
        org=org,
        team=team,
        other=other,
        hr=user("hr", is_hr=True),
        lead=user("lead", team),
        lead_other=user("leadother", other),
        emp=user("emp", team),
        emp2=user("emp2", team),
        emp_other=user("empother", other),
    )
    db.session.add_all(
        [
            DepartmentManager(department_id=team.id, user_id=people.lead.id),
            DepartmentManager(department_id=other.id, user_id=people.lead_other.id),
        ]
    )
    db.session.flush()
    return people


def _snapshot(value):
    """Plain copies of the ORM objects, usable after the session is gone."""
    from sqlalchemy import inspect as sa_inspect

    if isinstance(value, SimpleNamespace):
        return type(value)(**{k: _snapshot(v) for k, v in vars(value).items()})
    if hasattr(value, "__table__"):
        mapper = sa_inspect(value).mapper
        data = {c.key: getattr(value, c.key) for c in mapper.column_attrs if not c.deferred}
        return SimpleNamespace(**data)
    return value


# Worlds built in this process, by settings: the rows of every table and the World object. A
# world is built through the real operations once per settings and process; later tests get the
# same rows written straight into the empty tables (a few ms instead of 70-260 ms).
_WORLD_SNAPSHOTS: dict[str, tuple[dict[str, list[dict]], World]] = {}


def _world_key(settings: dict) -> str:
    import json

    return json.dumps(settings, sort_keys=True, default=str)


def _read_tables(database: Database) -> dict[str, list[dict]]:
    with database.owner_engine.connect() as conn:
        return {
            table.name: [dict(row._mapping) for row in conn.execute(sa.select(table))]
            for table in db.metadata.sorted_tables
        }


def _write_tables(database: Database, rows: dict[str, list[dict]]) -> None:
    """Insert the rows as the owner (on PostgreSQL a superuser, beyond row-level security) and
    move each id sequence past them, as building the world through the operations would."""
    with database.owner_engine.begin() as conn:
        for table in db.metadata.sorted_tables:
            if rows.get(table.name):
                conn.execute(table.insert(), rows[table.name])
        if database.backend == "postgresql":
            for table in db.metadata.sorted_tables:
                if rows.get(table.name) and "id" in table.c and table.c.id.autoincrement:
                    conn.execute(
                        sa.text(
                            "SELECT setval(pg_get_serial_sequence(:t, 'id'), "
                            f'(SELECT max(id) FROM "{table.name}"))'
                        ),
                        {"t": table.name},
                    )


def _tables_empty(database: Database) -> bool:
    """True when no table holds a row (one query for all tables)."""
    with database.owner_engine.connect() as conn:
        return not conn.execute(
            sa.select(
                sa.or_(
                    *(
                        sa.exists(sa.select(sa.literal(1)).select_from(table))
                        for table in db.metadata.sorted_tables
                    )
                )
            )
        ).scalar()


@pytest.fixture
def make_world(app, schema):
    """Factory fixture: build the standard world, with per-organisation settings overrides."""
    from tenants.context import set_arrangement
    from tenants.models import Arrangement

    def factory(settings: dict | None = None) -> World:
        import copy

        settings = settings or {}
        key = _world_key(settings)
        snapshot = _WORLD_SNAPSHOTS.get(key)
        if snapshot is not None and _tables_empty(schema):
            rows, world = snapshot
            _write_tables(schema, rows)
            return copy.deepcopy(world)
        fresh = _tables_empty(schema)
        with app.app_context():
            world = build(settings)
        if fresh:
            _WORLD_SNAPSHOTS[key] = (_read_tables(schema), copy.deepcopy(world))
        return world

    def build(settings: dict) -> World:
        world = World()
        for arr_slug, org_slugs in (
            ("meer", ("ermelo", "harderwijk", "zeewolde")),
            ("elders", ("andere",)),
        ):
            arrangement = Arrangement(slug=arr_slug, name=arr_slug.title())
            db.session.add(arrangement)
            db.session.flush()
            set_arrangement(arrangement.id)
            orgs = {
                slug: _build_org(arrangement, slug, **settings.get(slug, {})) for slug in org_slugs
            }
            from app.accounts.operations import create_user

            coordinator = create_user(
                organisation_id=next(iter(orgs.values())).org.id,
                email=f"coordinator@{arr_slug}.test",
                name=f"Coördinator {arr_slug.title()}",
                password=PASSWORD,
                is_coordinator=True,
            )
            setattr(
                world,
                arr_slug,
                SimpleNamespace(arrangement=arrangement, coordinator=coordinator, **orgs),
            )
        db.session.flush()
        world = _snapshot(world)
        db.session.commit()
        set_arrangement(None)
        db.session.remove()
        return world

    return factory


_SCENE_SNAPSHOTS: dict[object, tuple[dict, dict, list, object]] = {}


@pytest.fixture
def saved_scene(app, schema):
    """``saved_scene(key, build)``: ``build()``'s result, with the database and the e-mails sent
    as ``build`` left them. The first test of a process that asks for ``key`` runs ``build``
    through the real operations; a later one that starts from the same database content gets
    the same rows written into the emptied tables and the same e-mails, for tests that share one
    scene and each look at it as another person or do one thing to it. ``build`` must depend on
    nothing but ``key`` and the database it starts from."""
    import copy

    mailman = app.extensions["mailman"]

    def get(key, build):
        before = _read_tables(schema)
        snapshot = _SCENE_SNAPSHOTS.get(key)
        if snapshot is not None and snapshot[0] == before:
            _, rows, mails, result = snapshot
            _clean(schema)
            _write_tables(schema, rows)
            # In place: the test's ``mail_outbox`` fixture holds this very list.
            if getattr(mailman, "outbox", None) is None:
                mailman.outbox = []
            mailman.outbox[:] = mails
            return copy.deepcopy(result)
        mails_before = len(getattr(mailman, "outbox", []))
        result = build()
        if mails_before == 0:
            mails = list(getattr(mailman, "outbox", []))
            _SCENE_SNAPSHOTS[key] = (before, _read_tables(schema), mails, copy.deepcopy(result))
        return result

    return get


@pytest.fixture
def world(make_world):
    return make_world()


@pytest.fixture
def login():
    """Log a test client in through the real login form."""

    def do_login(client, user_or_email, password: str = PASSWORD):
        email = getattr(user_or_email, "email", user_or_email)
        client.get("/logout")
        response = client.post(
            "/login", data={"email": email, "password": password}, follow_redirects=False
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    return do_login


@pytest.fixture
def count_queries(app):
    """Count the SQL statements the app sends while a block runs:
    ``with count_queries() as statements: ...``."""

    @contextlib.contextmanager
    def counting():
        statements: list[str] = []

        def listener(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        with app.app_context():
            engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", listener)
        try:
            yield statements
        finally:
            sa.event.remove(engine, "before_cursor_execute", listener)

    return counting


@pytest.fixture
def api_token(client):
    """A bearer token for a user, through POST /api/v1/auth/token."""

    def issue(user_or_email, password: str = PASSWORD) -> dict:
        email = getattr(user_or_email, "email", user_or_email)
        response = client.post("/api/v1/auth/token", json={"email": email, "password": password})
        assert response.status_code == 200, response.get_json()
        return {"Authorization": f"Bearer {response.get_json()['token']}"}

    return issue


@pytest.fixture
def redis_url():
    if REDIS_MISSING:
        pytest.fail(REDIS_MISSING) if IN_CI else pytest.skip(REDIS_MISSING)
    import redis

    connection = redis.Redis.from_url(REDIS_TEST_URL)
    yield REDIS_TEST_URL
    connection.close()


@pytest.fixture
def unique_queue():
    return f"deelkracht-test-{uuid.uuid4().hex[:8]}"
