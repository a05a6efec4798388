"""PostgreSQL row-level security: the second wall, behind the ORM scoping.

These tests make their own PostgreSQL database (``deelkracht_rls_<suffix>``), whatever
``DEELKRACHT_TEST_BACKEND`` says, so the default SQLite run covers them too whenever PostgreSQL
answers; without PostgreSQL they are skipped (and fail under CI), see tests/conftest.py.

The application connects as ``deelkracht_app``: not superuser, not BYPASSRLS, owner of nothing.
What RLS protects against: the application's own bugs (a query that forgot the scoping, raw
SQL, a report joining the wrong way). What it does not protect against: arbitrary SQL from a
compromised application process, which can call ``set_config('deelkracht.arrangement_id', ...)``
itself (see ``test_rls_limit_the_app_role_can_choose_its_context``).
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy import text

from app.extensions import db
from tenants import rls
from tenants.context import RLS_SETTING, set_arrangement
from tests.support.databases import create_pg_database, drop_pg_database, pg_url
from tests.support.environment import APP_ROLE, FAST_HASH, SUFFIX

pytestmark = pytest.mark.postgres


def rls_problems(connection: sa.Connection, app_role: str) -> list[str]:
    """Everything wrong with the second wall in this database (empty when it holds)."""
    problems = []
    owned = set(rls.arrangement_owned_tables(connection))
    all_with_column = set(
        connection.scalars(
            text(
                "SELECT table_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND column_name = 'arrangement_id'"
            )
        )
    )
    if all_with_column - owned - rls.PLATFORM_TABLES:
        problems.append(f"tables left out: {sorted(all_with_column - owned - rls.PLATFORM_TABLES)}")
    if not owned:
        problems.append("no arrangement-owned tables found")
    rows = connection.execute(
        text(
            "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, "
            "  (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) AS policies, "
            "  pg_get_userbyid(c.relowner) AS owner "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')"
        )
    ).all()
    by_name = {row.relname: row for row in rows}
    for table in sorted(owned):
        row = by_name[table]
        if not row.relrowsecurity:
            problems.append(f"{table}: row level security not enabled")
        if not row.relforcerowsecurity:
            problems.append(f"{table}: row level security not forced")
        if row.policies < 1:
            problems.append(f"{table}: no policy")
    for row in rows:
        if row.owner == app_role:
            problems.append(f"{row.relname}: owned by the application role")
    role = connection.execute(
        text(
            "SELECT rolsuper, rolbypassrls, "
            "  pg_has_role(:r, (SELECT relowner FROM pg_class WHERE relname = 'users'), "
            "  'MEMBER') AS member_of_owner "
            "FROM pg_roles WHERE rolname = :r"
        ),
        {"r": app_role},
    ).one()
    if role.rolsuper:
        problems.append(f"{app_role} is superuser")
    if role.rolbypassrls:
        problems.append(f"{app_role} has BYPASSRLS")
    if role.member_of_owner:
        problems.append(f"{app_role} is a member of the table owner's role")
    return problems


@pytest.fixture(scope="module")
def rls_db():
    """A database of its own: schema made as the owner, RLS installed, two arrangements."""
    from app import create_app, register_models
    from app.schema import install_extras

    name = f"deelkracht_rls_{SUFFIX}"
    create_pg_database(name)
    owner_url, app_url = pg_url(name), pg_url(name, APP_ROLE)
    owner = sa.create_engine(owner_url)
    register_models()
    with owner.begin() as conn:
        db.metadata.create_all(conn)
        install_extras(conn, APP_ROLE)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": app_url,
            "MIGRATE_DATABASE_URL": owner_url,
            "PASSWORD_HASH_METHOD": FAST_HASH,
            "MAIL_BACKEND": "locmem",
            "REDIS_URL": None,
        }
    )
    ids = _populate(app)
    yield app, owner, ids
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    owner.dispose()
    drop_pg_database(name)


def _populate(app) -> dict:
    """Two arrangements with an organisation, a department and two people each, written by the
    application role through the ORM (each in its own arrangement's context)."""
    from app.accounts.operations import create_user
    from tenants.models import Arrangement, Department, Organisation

    ids = {}
    with app.app_context():
        for slug in ("a", "b"):
            arrangement = Arrangement(slug=slug, name=slug.upper())
            db.session.add(arrangement)
            db.session.flush()
            set_arrangement(arrangement.id)
            org = Organisation(slug=f"org-{slug}", name=f"Org {slug}")
            db.session.add(org)
            db.session.flush()
            department = Department(organisation_id=org.id, slug="team", name="Team")
            db.session.add(department)
            db.session.flush()
            for person in ("een", "twee"):
                create_user(
                    organisation_id=org.id,
                    email=f"{person}@{slug}.test",
                    name=f"{person} {slug}",
                    password="geheim-wachtwoord-1",
                    department_id=department.id,
                )
            ids[slug] = {"arrangement": arrangement.id, "org": org.id, "dept": department.id}
            set_arrangement(None)
        db.session.commit()
        db.session.remove()
    return ids


def test_the_app_connects_as_the_unprivileged_role(rls_db):
    """The app's engine is the application role, so the policies apply to it."""
    app, _, _ = rls_db
    with app.app_context():
        assert db.session.scalar(text("SELECT current_user")) == APP_ROLE


def test_catalogue_every_arrangement_owned_table_has_rls_enabled_forced_and_a_policy(rls_db):
    """Catalogue check: every table with arrangement_id (except the platform tables) has RLS
    enabled and forced and a policy; the app role is not superuser, not BYPASSRLS, owns no
    table and is no member of the owner's role."""
    _, owner, _ = rls_db
    with owner.connect() as conn:
        assert rls_problems(conn, APP_ROLE) == []
        owned = set(rls.arrangement_owned_tables(conn))
    assert {"users", "organisations", "departments", "outbox"} <= owned


def test_platform_tables_hold_only_pointers(rls_db):
    """The tables left without RLS are the few that login needs before an arrangement is known,
    and they hold pointers and hashes, no tenant content."""
    _, owner, _ = rls_db
    with owner.connect() as conn:
        columns = {
            (table, column)
            for table, column in conn.execute(
                text(
                    "SELECT table_name, column_name FROM information_schema.columns "
                    "WHERE table_schema = current_schema() AND table_name = ANY(:t)"
                ),
                {"t": sorted(rls.PLATFORM_TABLES)},
            )
        }
    assert {c for t, c in columns if t == "login_identities"} <= {
        "email",
        "user_id",
        "arrangement_id",
    }
    assert {c for t, c in columns if t == "auth_sessions"} <= {
        "token_hash",
        "kind",
        "user_id",
        "arrangement_id",
        "created_at",
        "last_seen_at",
        "expires_at",
        "ended_at",
    }


def test_raw_sql_without_arrangement_context_returns_no_rows(rls_db):
    """Hand-written SQL as the app role through the app's engine, with no arrangement set,
    sees no row of any arrangement-owned table, while the owner sees them."""
    app, owner, _ = rls_db
    with owner.connect() as conn:
        tables = rls.arrangement_owned_tables(conn)
        assert conn.scalar(text("SELECT count(*) FROM users")) == 4
    with app.app_context():
        for table in tables:
            assert db.session.scalar(text(f'SELECT count(*) FROM "{table}"')) == 0, table
        db.session.rollback()
        with db.engine.connect() as raw:  # the engine directly, not the session
            assert raw.scalar(text("SELECT count(*) FROM users")) == 0
            assert raw.scalar(text("SELECT count(*) FROM organisations")) == 0


def test_hand_written_sql_in_one_arrangement_cannot_read_or_write_another(rls_db):
    """With arrangement A set, hand-written SQL sees no B rows, cannot change or delete them,
    and an INSERT of a B row (or moving an A row to B) fails the policy's WITH CHECK."""
    app, owner, ids = rls_db
    a, b = ids["a"], ids["b"]
    with app.app_context():
        set_arrangement(a["arrangement"])
        s = db.session
        assert set(s.scalars(text("SELECT DISTINCT arrangement_id FROM users"))) == {
            a["arrangement"]
        }
        assert (
            s.scalar(
                text("SELECT count(*) FROM users WHERE arrangement_id = :b"),
                {"b": b["arrangement"]},
            )
            == 0
        )
        assert (
            s.scalar(text("SELECT count(*) FROM organisations WHERE id = :o"), {"o": b["org"]}) == 0
        )
        changed = s.execute(
            text("UPDATE users SET name = 'x' WHERE arrangement_id = :b"),
            {"b": b["arrangement"]},
        )
        assert changed.rowcount == 0
        gone = s.execute(text("DELETE FROM departments WHERE id = :d"), {"d": b["dept"]})
        assert gone.rowcount == 0
        refused = pytest.raises(sa.exc.ProgrammingError, match="row-level security")
        with refused, s.begin_nested():
            s.execute(
                text(
                    "INSERT INTO departments (arrangement_id, organisation_id, slug, name) "
                    "VALUES (:b, :o, 'binnen', 'Binnen')"
                ),
                {"b": b["arrangement"], "o": b["org"]},
            )
        refused = pytest.raises(sa.exc.ProgrammingError, match="row-level security")
        with refused, s.begin_nested():
            s.execute(
                text("UPDATE departments SET arrangement_id = :b WHERE id = :d"),
                {"b": b["arrangement"], "d": a["dept"]},
            )
        s.commit()
        set_arrangement(None)
        db.session.remove()
    with owner.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM users WHERE name = 'x'")) == 0
        assert conn.scalar(text("SELECT count(*) FROM departments")) == 2


def test_switching_arrangement_inside_a_transaction_switches_the_policy(rls_db):
    """set_arrangement inside an open transaction updates the setting on that connection."""
    app, _, ids = rls_db
    with app.app_context():
        set_arrangement(ids["a"]["arrangement"])
        assert (
            db.session.scalar(text("SELECT min(arrangement_id) FROM users"))
            == ids["a"]["arrangement"]
        )
        set_arrangement(ids["b"]["arrangement"])
        assert set(db.session.scalars(text("SELECT arrangement_id FROM users"))) == {
            ids["b"]["arrangement"]
        }
        set_arrangement(None)
        assert db.session.scalar(text("SELECT count(*) FROM users")) == 0
        db.session.rollback()
        db.session.remove()


def test_the_setting_is_transaction_local_on_a_pooled_connection(rls_db):
    """set_config(..., true) lasts one transaction: after commit, the next transaction on the
    same pooled connection, without context, sees nothing."""
    app, _, ids = rls_db
    with app.app_context():
        engine = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"], pool_size=1)
        try:
            with engine.connect() as conn:
                pid = conn.scalar(text("SELECT pg_backend_pid()"))
                conn.execute(
                    text("SELECT set_config(:n, :v, true)"),
                    {"n": RLS_SETTING, "v": str(ids["a"]["arrangement"])},
                )
                assert conn.scalar(text("SELECT count(*) FROM users")) == 2
                conn.commit()
                assert conn.scalar(text("SELECT count(*) FROM users")) == 0
                assert conn.scalar(text(f"SELECT current_setting('{RLS_SETTING}', true)")) in (
                    "",
                    None,
                )
                conn.rollback()
            with engine.connect() as conn:  # checked out again from the pool
                assert conn.scalar(text("SELECT pg_backend_pid()")) == pid
                assert conn.scalar(text("SELECT count(*) FROM users")) == 0
        finally:
            engine.dispose()
        # The same through the application's session: commit ends the context's transaction.
        set_arrangement(ids["a"]["arrangement"])
        assert db.session.scalar(text("SELECT count(*) FROM users")) == 2
        db.session.commit()
        set_arrangement(None)
        assert db.session.scalar(text("SELECT count(*) FROM users")) == 0
        db.session.rollback()
        db.session.remove()


def test_rls_limit_the_app_role_can_choose_its_context(rls_db):
    """Documents the limit: the setting is not a secret. SQL that the application itself runs
    can set any arrangement, so RLS guards against the app's bugs (a forgotten filter, raw SQL
    in the wrong context), not against a compromised application process."""
    app, _, ids = rls_db
    with app.app_context():
        db.session.execute(
            text("SELECT set_config(:n, :v, true)"),
            {"n": RLS_SETTING, "v": str(ids["b"]["arrangement"])},
        )
        assert db.session.scalar(text("SELECT count(*) FROM users")) == 2
        db.session.rollback()
        db.session.remove()
