"""The test databases: PostgreSQL databases created and dropped per test process, the app's
configuration over one, and reading, writing and emptying all its tables (as the owner)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

import sqlalchemy as sa

from app.extensions import db
from tests.support.environment import APP_ROLE, FAST_HASH, PG_ADMIN_URL


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


def clean_tables(database: Database) -> None:
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


def read_tables(database: Database) -> dict[str, list[dict]]:
    with database.owner_engine.connect() as conn:
        return {
            table.name: [dict(row._mapping) for row in conn.execute(sa.select(table))]
            for table in db.metadata.sorted_tables
        }


def write_tables(database: Database, rows: dict[str, list[dict]]) -> None:
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


def tables_empty(database: Database) -> bool:
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
