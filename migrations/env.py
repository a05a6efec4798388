"""Alembic environment (Flask-Migrate).

Migrations run with the owner's credentials (``MIGRATE_DATABASE_URL``, default ``DATABASE_URL``).
On PostgreSQL every upgrade ends by (re)installing the row-level security policies on every
arrangement-owned table and granting the application role (``DEELKRACHT_APP_ROLE``) row access.
"""

import logging
import os
from logging.config import fileConfig

from alembic import context
from flask import current_app
from sqlalchemy import create_engine

config = context.config
if config.config_file_name and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db


def get_metadata():
    return target_db.metadata


def migration_url() -> str:
    return current_app.config["MIGRATE_DATABASE_URL"]


def run_migrations_offline():
    context.configure(url=migration_url(), target_metadata=get_metadata(), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    conf_args = current_app.extensions["migrate"].configure_args
    if conf_args.get("process_revision_directives") is None:
        conf_args["process_revision_directives"] = process_revision_directives

    url = migration_url()
    if url == current_app.config["SQLALCHEMY_DATABASE_URI"]:
        connectable = target_db.engine
    else:
        connectable = create_engine(url)
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=get_metadata(),
            **conf_args,
        )
        with context.begin_transaction():
            context.run_migrations()
            if connection.dialect.name == "postgresql" and not getattr(
                config.cmd_opts, "autogenerate", False
            ):
                from tenants import rls

                rls.install(connection, os.environ.get("DEELKRACHT_APP_ROLE") or None)
        if connection.in_transaction():
            connection.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
