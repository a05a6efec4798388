"""Building the country-scale databases: the schema (migrations, or the models for the
generator's test), the rows with COPY (country_load), the search side table, the indexes and
the reference's twin; ``ensure`` reuses a current database."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import time

from bench import harness
from bench.country_config import (
    APP_ROLE,
    OWNER,
    Scale,
    db_name,
    dsn,
    fingerprint,
    pg_url,
    ref_dsn,
    server_env,
)
from bench.country_db import _at_head, _recreate_database, _write_meta, is_current, read_meta
from bench.country_load import _load

_SEQUENCE_TABLES = (
    "arrangements",
    "organisations",
    "departments",
    "users",
    "department_managers",
    "skills",
    "jobs",
    "job_skills",
    "capacity_offers",
    "offer_skills",
    "applications",
    "matches",
    "match_approvals",
    "placements",
    "agreements",
)


def _migrate(database: str) -> None:
    """The schema as production gets it: ``flask db upgrade`` as the owner."""
    with harness.applied_env(server_env(database), harness.REPO_ROOT):
        from flask_migrate import upgrade

        from app import create_app

        app = create_app()
        with app.app_context():
            upgrade()
            from app.extensions import db

            db.engine.dispose()


def _search_backfill(con) -> None:
    """Fill the full-text side table in one statement (the trigger was off during the load)."""
    from sqlalchemy import create_engine

    try:
        from app.pool import search_schema

        vector = search_schema._pg_vector_sql("jobs")
        with con.transaction():
            con.execute(
                "INSERT INTO job_search (job_id, arrangement_id, status, search_vector) "
                f"SELECT jobs.id, jobs.arrangement_id, jobs.status, {vector} FROM jobs"
            )
        return
    except Exception as exc:  # the side table changed shape: let the code's own install do it
        harness.log(f"    search backfill by hand failed ({type(exc).__name__}); install_search")
    from app.schema import install_search

    engine = create_engine(pg_url(con.info.dbname, OWNER))
    with engine.begin() as conn:
        install_search(conn)
    engine.dispose()


def _create_schema(database: str) -> None:
    """The models' tables, search and row-level security without the migrations (the same
    objects, as the tests' schema fixture makes them; used by the generator's own test)."""
    from sqlalchemy import create_engine

    from app import register_models
    from app.extensions import db
    from app.schema import install_extras

    register_models()
    engine = create_engine(pg_url(database, OWNER))
    with engine.begin() as conn:
        db.metadata.create_all(conn)
        install_extras(conn, APP_ROLE)
    engine.dispose()


def build(
    scale: Scale,
    database: str,
    log=harness.log,
    *,
    migrate: bool = True,
    reference: bool = True,
    today: dt.date | None = None,
) -> dict:
    """(Re)generate `database` and its reference twin; returns the stored facts."""
    import psycopg

    started = time.monotonic()
    today = today or dt.date.today()
    log(f"  generating {database}: {json.dumps(dataclasses.asdict(scale))}")
    _recreate_database(database)
    t = time.monotonic()
    if migrate:
        _migrate(database)
    else:
        _create_schema(database)
    log(f"    schema                  {time.monotonic() - t:6.1f} s")
    with psycopg.connect(dsn(database), autocommit=True) as con:
        # secondary indexes off during the load (constraint indexes stay), back on after it
        indexes = con.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = 'public' "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname "
            "AND c.connamespace = 'public'::regnamespace)"
        ).fetchall()
        for name, _ in indexes:
            con.execute(f'DROP INDEX "{name}"')
        con.execute("SET session_replication_role = replica")  # no triggers, no FK checks
        con.execute("SET synchronous_commit = off")
        with con.transaction():
            facts = _load(con, scale, today, log)
        con.execute("SET session_replication_role = origin")
        t = time.monotonic()
        _search_backfill(con)
        log(f"    search index rows       {time.monotonic() - t:6.1f} s")
        t = time.monotonic()
        con.execute("SET maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            con.execute(definition)
        log(f"    indexes ({len(indexes)})            {time.monotonic() - t:6.1f} s")
        for table in _SEQUENCE_TABLES:
            con.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
        t = time.monotonic()
        con.execute("VACUUM ANALYZE")
        log(f"    vacuum analyze          {time.monotonic() - t:6.1f} s")
    if reference:
        t = time.monotonic()
        _build_reference(database)
        log(f"    reference tables        {time.monotonic() - t:6.1f} s")
    seconds = time.monotonic() - started
    meta = {
        "fingerprint": fingerprint(scale),
        "complete": True,
        "generated_on": today.isoformat(),
        "generation_seconds": round(seconds, 1),
        "scale": dataclasses.asdict(scale),
        **facts,
    }
    _write_meta(database, meta)
    log(f"  {database}: generated in {seconds:.0f} s")
    return meta


def _build_reference(database: str) -> None:
    """The reference's own schema (gen_data.py build_pg) over the same organisations and jobs."""
    import psycopg

    harness.ensure_pg_perf_db()
    _recreate_database(f"{database}_ref", owner="perf")
    with (
        psycopg.connect(ref_dsn(database), autocommit=True) as ref,
        psycopg.connect(dsn(database), autocommit=True) as ours,
    ):
        ref.execute("""
        CREATE TABLE organisations (id integer PRIMARY KEY, name text NOT NULL);
        CREATE TABLE jobs (
            id integer PRIMARY KEY,
            org_id integer NOT NULL REFERENCES organisations(id),
            title text NOT NULL,
            description text NOT NULL,
            hours numeric(4,1) NOT NULL,
            status text NOT NULL,
            created_at timestamp NOT NULL,
            tsv tsvector GENERATED ALWAYS AS
                (to_tsvector('dutch', title || ' ' || description)) STORED
        );""")
        for table, source in (
            ("organisations (id, name)", "SELECT id, name FROM organisations ORDER BY id"),
            (
                "jobs (id, org_id, title, description, hours, status, created_at)",
                "SELECT id, organisation_id, title, description, hours_per_week, status, "
                "created_at FROM jobs ORDER BY id",
            ),
        ):
            with (
                ours.cursor().copy(f"COPY ({source}) TO STDOUT") as out,
                ref.cursor().copy(f"COPY {table} FROM STDIN") as into,
            ):
                for block in out:
                    into.write(block)
        ref.execute("SET maintenance_work_mem = '256MB'")
        ref.execute(
            "CREATE INDEX ix_jobs_org_status_created ON jobs (org_id, status, created_at DESC)"
        )
        ref.execute("CREATE INDEX ix_jobs_tsv ON jobs USING gin (tsv)")
        ref.execute("VACUUM ANALYZE jobs")
        ref.execute("VACUUM ANALYZE organisations")


def ensure(scale: Scale, database: str | None = None, force: bool = False, log=harness.log) -> dict:
    """The database for `scale`, generated if missing or made with other parameters."""
    database = database or db_name(scale)
    if not force and is_current(scale, database):
        meta = read_meta(database)
        log(
            f"  {database}: reusing data generated on {meta['generated_on']} "
            f"(generation took {meta['generation_seconds']:.0f} s)"
        )
        if not _at_head(database):
            t = time.monotonic()
            log(f"  {database}: newer migrations in the code; upgrading the existing data ...")
            _migrate(database)
            log(f"  {database}: upgraded in {time.monotonic() - t:.0f} s")
        return meta
    return build(scale, database, log)
