"""Database objects that ``create_all`` and autogenerate cannot express, in one place.

Called after the tables exist, by ``migrations/env.py`` (every ``deelkracht db upgrade``) and by
the tests' schema fixture, so both build the same database:

- full-text search for jobs (PostgreSQL tsvector + GIN, SQLite FTS5), owned by the pool:
  ``app.pool.search.install_search(connection)``, when that module exists. Names it creates that
  are not in the models go in ``app.pool.search.SCHEMA_NAMES`` (a set of table, column and index
  names) so the "models match the migrated schema" check leaves them out;
- on PostgreSQL, row-level security on every arrangement-owned table and the application role's
  grants (:func:`tenants.rls.install`), last, so it covers tables the steps above created.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy.engine import Connection

from app.config import ROOT
from app.extensions import db
from app.pool.vocabulary import install as install_vocabulary
from tenants import rls

SEARCH_MODULE = "app.pool.search"


def _search_module() -> ModuleType | None:
    try:
        return importlib.import_module(SEARCH_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name in ("app.pool", SEARCH_MODULE):
            return None
        raise


def install_search(connection: Connection) -> None:
    module = _search_module()
    if module is not None and hasattr(module, "install_search"):
        module.install_search(connection)

        install_vocabulary(connection)  # pg_trgm for "Bedoelde je …?" where available


def unmanaged_names() -> frozenset[str]:
    """Schema object names made by :func:`install_search`, not by the models."""
    module = _search_module()
    return frozenset(getattr(module, "SCHEMA_NAMES", ()) if module else ())


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic autogenerate filter: leave out what :func:`install_search` makes.

    An object found in the database but not in the models is left out when its name is one of
    :func:`unmanaged_names`, or (tables) starts with one and ``_``: SQLite's FTS5 shadow tables.
    """
    if not (reflected and compare_to is None and name):
        return True
    names = unmanaged_names()
    if name in names:
        return False
    return not (type_ == "table" and any(name.startswith(f"{n}_") for n in names))


def install_extras(connection: Connection, app_role: str | None = None) -> None:
    """Everything after the tables: search, then (PostgreSQL) row-level security and grants."""
    install_search(connection)
    if connection.dialect.name == "postgresql":
        rls.install(connection, app_role)


def schema_state() -> tuple[set[str], set[str]]:
    """(the revisions the database is at, the heads of this code's migrations).

    Read with the application's own connection (``DATABASE_URL``): ``alembic_version`` is a
    platform table the application role may read. A database without it is at no revision.
    """

    config = Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    heads = set(ScriptDirectory.from_config(config).get_heads())
    try:
        with db.engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    except Exception as exc:  # the database is not up yet: keep waiting
        current_app.logger.info("schema not readable yet: %r", exc)
        current = set()
    return current, heads
