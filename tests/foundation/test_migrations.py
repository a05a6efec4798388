"""Migrations: from empty to head on SQLite and PostgreSQL, and the models match the result.

The repository keeps one initial migration, regenerated from the models with
``scripts/regenerate_migration.sh``; when a model changes without it, the comparison here fails
and names the difference. Each test upgrades a database of its own (PostgreSQL ones are made and
dropped here, whatever ``DEELKRACHT_TEST_BACKEND`` says).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from app import create_app
from app.extensions import db
from app.schema import include_object
from tests.support.databases import create_pg_database, drop_pg_database, pg_url
from tests.support.environment import APP_ROLE, FAST_HASH, SUFFIX

ROOT = Path(__file__).resolve().parents[2]
DEELKRACHT = Path(sys.executable).with_name("deelkracht")


def _app(app_url: str, owner_url: str, tmp_path: Path):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": app_url,
            "MIGRATE_DATABASE_URL": owner_url,
            "DEELKRACHT_APP_ROLE": APP_ROLE,
            "PASSWORD_HASH_METHOD": FAST_HASH,
            "MAIL_BACKEND": "locmem",
            "REDIS_URL": None,
        }
    )


def _head() -> str:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, f"one head expected, found {heads}"
    return heads[0]


def _differences(connection: sa.Connection) -> list:
    context = MigrationContext.configure(
        connection, opts={"include_object": include_object, "compare_type": True}
    )
    return compare_metadata(context, db.metadata)


def _upgrade(app) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        db.session.remove()
        db.engine.dispose()


def test_there_is_one_timestamped_migration_chain():
    """One head, and migration files are named by their timestamp (the Alembic file template)."""
    _head()
    names = [p.name for p in (ROOT / "migrations" / "versions").glob("*.py")]
    assert names, "no migration"
    assert all(name[:13].replace("_", "").isdigit() for name in names), names


def test_upgrade_from_empty_to_head_on_sqlite_matches_the_models(tmp_path):
    """An empty SQLite database upgraded to head has exactly the models' schema."""
    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    _upgrade(_app(url, url, tmp_path))
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.scalar(sa.text("SELECT version_num FROM alembic_version")) == _head()
            differences = _differences(conn)
    finally:
        engine.dispose()
    assert differences == [], (
        "the models differ from the migrated schema; run scripts/regenerate_migration.sh: "
        f"{differences}"
    )


def test_downgrade_to_base_and_up_again_on_sqlite(tmp_path):
    """The migration can be undone (downgrade to base leaves no tables of ours) and redone."""
    from flask_migrate import downgrade

    url = f"sqlite:///{tmp_path / 'roundtrip.db'}"
    app = _app(url, url, tmp_path)
    _upgrade(app)
    with app.app_context():
        downgrade(directory=str(ROOT / "migrations"), revision="base")
        left = set(sa.inspect(db.engine).get_table_names()) & set(db.metadata.tables)
        db.session.remove()
        db.engine.dispose()
    assert left == set()
    _upgrade(app)
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            assert _differences(conn) == []
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_upgrade_from_empty_to_head_on_postgresql_matches_the_models_with_rls(tmp_path):
    """An empty PostgreSQL database upgraded to head (as the owner, MIGRATE_DATABASE_URL) has the
    models' schema, row-level security on every arrangement-owned table, and the application
    role's grants: it can read (nothing, without context), and owns nothing."""
    from tests.foundation.test_rls import rls_problems

    name = f"deelkracht_mig_{SUFFIX}"
    create_pg_database(name)
    try:
        owner_url, app_url = pg_url(name), pg_url(name, APP_ROLE)
        app = _app(app_url, owner_url, tmp_path)
        _upgrade(app)
        owner = sa.create_engine(owner_url)
        try:
            with owner.connect() as conn:
                assert conn.scalar(sa.text("SELECT version_num FROM alembic_version")) == _head()
                differences = _differences(conn)
                problems = rls_problems(conn, APP_ROLE)
        finally:
            owner.dispose()
        assert differences == [], (
            "the models differ from the migrated schema; run scripts/regenerate_migration.sh: "
            f"{differences}"
        )
        assert problems == []
        with app.app_context():
            assert db.session.scalar(sa.text("SELECT current_user")) == APP_ROLE
            assert db.session.scalar(sa.text("SELECT count(*) FROM users")) == 0
            db.session.remove()
            db.engine.dispose()
    finally:
        drop_pg_database(name)


def _cli(args: list[str], env: dict, tmp_path: Path) -> subprocess.CompletedProcess:
    """The real console script, with this checkout first on the path."""
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "MIGRATE_DATABASE_URL", "REDIS_URL", "DEELKRACHT_APP_ROLE"}
    }
    full_env.update(
        {
            "PYTHONPATH": str(ROOT),
            "DEELKRACHT_INSTANCE": str(tmp_path / "instance"),
            "LOG_LEVEL": "WARNING",
            **env,
        }
    )
    return subprocess.run(
        [str(DEELKRACHT), *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=180,
        cwd=tmp_path,
    )


def test_db_upgrade_command_uses_database_url(tmp_path):
    """`deelkracht db upgrade` migrates the database named by DATABASE_URL."""
    path = tmp_path / "cli.db"
    result = _cli(["db", "upgrade"], {"DATABASE_URL": f"sqlite:///{path}"}, tmp_path)
    assert result.returncode == 0, result.stderr
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            assert conn.scalar(sa.text("SELECT version_num FROM alembic_version")) == _head()
            assert "users" in sa.inspect(conn).get_table_names()
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_db_upgrade_command_migrates_as_owner_and_grants_the_app_role(tmp_path):
    """With DATABASE_URL as the application role and MIGRATE_DATABASE_URL as the owner,
    `deelkracht db upgrade` creates the schema as the owner, installs RLS and grants the role
    named in DEELKRACHT_APP_ROLE."""
    from tests.foundation.test_rls import rls_problems

    name = f"deelkracht_migcli_{SUFFIX}"
    create_pg_database(name)
    try:
        owner_url, app_url = pg_url(name), pg_url(name, APP_ROLE)
        result = _cli(
            ["db", "upgrade"],
            {
                "DATABASE_URL": app_url,
                "MIGRATE_DATABASE_URL": owner_url,
                "DEELKRACHT_APP_ROLE": APP_ROLE,
            },
            tmp_path,
        )
        assert result.returncode == 0, result.stderr
        owner = sa.create_engine(owner_url)
        try:
            with owner.connect() as conn:
                assert conn.scalar(sa.text("SELECT version_num FROM alembic_version")) == _head()
                assert rls_problems(conn, APP_ROLE) == []
        finally:
            owner.dispose()
        as_app = sa.create_engine(app_url)
        try:
            with as_app.connect() as conn:
                assert conn.scalar(sa.text("SELECT count(*) FROM organisations")) == 0
        finally:
            as_app.dispose()
    finally:
        drop_pg_database(name)
