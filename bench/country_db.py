"""PostgreSQL helpers of the country-scale data: the stored facts (the database's comment),
creating and dropping the databases, and whether a stored database is current."""

from __future__ import annotations

import json

from bench import harness
from bench.country_config import APP_ROLE, OWNER, Scale, dsn, fingerprint, ref_dsn


def _admin():
    import psycopg

    return psycopg.connect(dsn("postgres"), autocommit=True, connect_timeout=5)


def read_meta(database: str) -> dict | None:
    """The facts stored with a generated database, or None if it does not exist."""
    try:
        with _admin() as con:
            row = con.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                (database,),
            ).fetchone()
    except Exception:
        return None
    if not row or not row[0]:
        return None
    try:
        return json.loads(row[0])
    except ValueError:
        return None


def _write_meta(database: str, meta: dict) -> None:
    from psycopg import sql

    with _admin() as con:
        con.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(database), sql.Literal(json.dumps(meta))
            )
        )


def _recreate_database(database: str, owner: str = OWNER) -> None:
    from psycopg import sql

    with _admin() as con:
        con.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))
        )
        con.execute(
            sql.SQL("CREATE DATABASE {} OWNER {}").format(
                sql.Identifier(database), sql.Identifier(owner)
            )
        )
        exists = con.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (APP_ROLE,)).fetchone()
        if not exists:
            con.execute(
                sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOBYPASSRLS").format(
                    sql.Identifier(APP_ROLE)
                )
            )


def drop_databases(database: str) -> None:
    from psycopg import sql

    with _admin() as con:
        for name in (database, f"{database}_ref"):
            con.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def is_current(scale: Scale, database: str) -> bool:
    meta = read_meta(database)
    if not meta or meta.get("fingerprint") != fingerprint(scale) or not meta.get("complete"):
        return False
    try:
        import psycopg

        with psycopg.connect(ref_dsn(database), connect_timeout=5) as con:
            con.execute("SELECT 1 FROM jobs LIMIT 1")
    except Exception:
        return False
    return True


def _at_head(database: str) -> bool:
    import psycopg
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(harness.REPO_ROOT / "migrations"))
    heads = set(ScriptDirectory.from_config(config).get_heads())
    with psycopg.connect(dsn(database)) as con:
        current = {r[0] for r in con.execute("SELECT version_num FROM alembic_version")}
    return current == heads
