"""Alembic environment (Flask-Migrate).

Migrations run with the owner's credentials (``MIGRATE_DATABASE_URL``, default ``DATABASE_URL``).
Every upgrade ends with :func:`app.schema.install_extras`: the pool's full-text search objects and,
on PostgreSQL, the row-level security policies on every arrangement-owned table and the grants of
the application role (``DEELKRACHT_APP_ROLE``: row access only, never owner or BYPASSRLS).
"""

import logging
import os
from logging.config import fileConfig

from alembic import context
from flask import current_app
from sqlalchemy import create_engine

from app.schema import include_object

config = context.config
if config.config_file_name and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db


def get_metadata():
    return target_db.metadata


def app_role() -> str | None:
    return current_app.config.get("DEELKRACHT_APP_ROLE") or os.environ.get("DEELKRACHT_APP_ROLE")


def at_head() -> bool:
    """The extras fit the models of the newest schema: skipped after a downgrade."""
    from alembic.script import ScriptDirectory

    heads = set(ScriptDirectory.from_config(config).get_heads())
    return set(context.get_context().get_current_heads()) == heads


def migration_url() -> str:
    return current_app.config["MIGRATE_DATABASE_URL"]


def run_migrations_offline():
    context.configure(url=migration_url(), target_metadata=get_metadata(), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def _sqlite_foreign_keys(connection, *, on: bool) -> None:
    """SQLite changes a table in batch mode by copy, drop and rename: with foreign keys on,
    dropping the old ``jobs`` (or ``users``, ``matches`` ...) deletes every row that refers to
    it by ON DELETE CASCADE, e.g. every match of every job. So migrations run with foreign keys
    off (the pragma only takes effect outside a transaction: on the driver's own connection,
    after a commit) and :func:`_no_dangling_references` checks them before the commit."""
    raw = connection.connection.driver_connection
    raw.commit()
    raw.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def _no_dangling_references(connection) -> None:
    """With foreign keys off, nothing stops a migration from leaving a reference to a row that
    is gone: refuse to commit one (the whole upgrade rolls back)."""
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"migration left references to missing rows: {broken[:5]}")


def run_migrations_online():
    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    if conf_args.get("process_revision_directives") is None:
        conf_args["process_revision_directives"] = process_revision_directives
    # Search objects made by app.schema.install_extras are not in the models: leave them out.
    conf_args.setdefault("include_object", include_object)
    conf_args.setdefault("compare_type", True)

    url = migration_url()
    own_engine = url != current_app.config["SQLALCHEMY_DATABASE_URI"]
    connectable = create_engine(url) if own_engine else target_db.engine
    autogenerate = getattr(config.cmd_opts, "autogenerate", False)
    try:
        with connectable.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            if sqlite:
                _sqlite_foreign_keys(connection, on=False)
            context.configure(
                connection=connection,
                target_metadata=get_metadata(),
                **conf_args,
            )
            try:
                with context.begin_transaction():
                    context.run_migrations()
                    if sqlite:
                        _no_dangling_references(connection)
                    if not autogenerate and at_head():
                        from app.schema import install_extras

                        install_extras(connection, app_role())
                if connection.in_transaction():
                    connection.commit()
            finally:
                if sqlite:
                    _sqlite_foreign_keys(connection, on=True)
    finally:
        if own_engine:
            connectable.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
