"""PostgreSQL row-level security: the second wall behind query scoping.

Every table with an ``arrangement_id`` column, except the platform tables that authentication
needs before an arrangement is known, gets RLS enabled *and forced* with one policy: rows are
visible and writable only when ``deelkracht.arrangement_id`` (set per transaction with
``set_config(..., true)``) names their arrangement. With the setting empty, no rows match.

Driven by the catalogue, so a table added by a later migration is covered by the same call
(``migrations/env.py`` runs :func:`install` after every upgrade, through
:func:`app.schema.install_extras`).

What this wall is for: the application's own mistakes (a query that escaped the ORM scoping,
hand-written SQL, a report joining the wrong way) cannot cross arrangements. What it is not: a
defence against a compromised application process. The setting is not a secret; SQL run by the
application role can call ``set_config`` itself. Platform work that must cross arrangements
(migrations, tenant set-up by the owner) runs with the owner's connection.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

from tenants.context import RLS_SETTING

#: Tables read before the arrangement is known: pointers and hashes only, no tenant content.
PLATFORM_TABLES = frozenset(
    {"login_identities", "auth_sessions", "sign_in_providers", "scim_tokens", "alembic_version"}
)
POLICY = "arrangement_wall"


def arrangement_owned_tables(connection: Connection) -> list[str]:
    rows = connection.execute(
        text(
            "SELECT c.table_name FROM information_schema.columns c "
            "JOIN information_schema.tables t "
            "  ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
            "WHERE c.table_schema = current_schema() AND c.column_name = 'arrangement_id' "
            "  AND t.table_type = 'BASE TABLE' ORDER BY c.table_name"
        )
    )
    return [name for (name,) in rows if name not in PLATFORM_TABLES]


def install(connection: Connection, app_role: str | None = None) -> list[str]:
    """Enable and force RLS with the arrangement policy on every arrangement-owned table."""
    tables = arrangement_owned_tables(connection)
    condition = f"arrangement_id = NULLIF(current_setting('{RLS_SETTING}', true), '')::integer"
    for table in tables:
        connection.execute(text(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY'))
        connection.execute(text(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY'))
        connection.execute(text(f'DROP POLICY IF EXISTS {POLICY} ON "{table}"'))
        connection.execute(
            text(
                f'CREATE POLICY {POLICY} ON "{table}" USING ({condition}) WITH CHECK ({condition})'
            )
        )
    if app_role:
        grant(connection, app_role)
    return tables


def grant(connection: Connection, app_role: str) -> None:
    """The application role may read and write rows, never own tables or bypass RLS."""
    quoted = connection.dialect.identifier_preparer.quote(app_role)
    connection.execute(text(f"GRANT USAGE ON SCHEMA public TO {quoted}"))
    connection.execute(
        text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}")
    )
    connection.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}"))
