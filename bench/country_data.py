"""Country-scale data for bench/country.py: 120 arrangements, 342 organisations, 220,000 people,
1,000,000 jobs (100,000 open), 300,000 capacity offers and 50,000 placements.

    python bench/country_data.py [--small] [--force]

Deterministic (fixed seed, one random stream per table). The schema comes from the migrations
(``flask db upgrade`` as the owner, the application role gets its grants and the row-level
security policies as in production); the rows go in with PostgreSQL ``COPY`` as the owner, with
triggers and foreign-key checks off (``session_replication_role = replica``) and the secondary
indexes dropped during the load and rebuilt after it; the full-text side table is filled in one
statement afterwards. Arrangement 1 has 40 organisations with five years of jobs and placements
(the coordinator's report goal); the other 302 organisations are spread over arrangements 2-120.

The database (``deelkracht_country``, ``deelkracht_country_small`` for ``--small``) is reused
while its generation parameters, this file and the migrations are unchanged: a fingerprint and
the facts the benchmark needs (accounts, generation date) live in the database's comment. Next
to it, ``<name>_ref`` holds the bare reference's own tables (perf-reference ``gen_data.py``'s
``organisations`` and ``jobs`` with its ``dutch`` tsvector + GIN) filled with the same jobs, so
reference and ours run over the same data.

The code, by concern: country_config (parameters, names, fingerprint), country_db (PostgreSQL
helpers, stored facts), country_rows (layout, COPY), country_people, country_jobs and
country_matches (the rows, one random stream per table), country_load (all rows in order, the
benchmark's facts) and country_build (schema, load, indexes, reference twin, reuse). This
module keeps the names the benchmark and the tests use, and the command line.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.country_build import (
    _SEQUENCE_TABLES,
    _build_reference,
    _create_schema,
    _migrate,
    _search_backfill,
    build,
    ensure,
)
from bench.country_config import (
    APP_ROLE,
    DEPARTMENTS_PER_ORG,
    DESCRIPTION_POOL,
    FULL,
    OWNER,
    PASSWORD,
    PG_HOST,
    PG_PORT,
    SEED,
    SKILLS_PER_ARRANGEMENT,
    SMALL,
    VERSION,
    Scale,
    db_name,
    dsn,
    fingerprint,
    instance_dir,
    pg_url,
    ref_dsn,
    ref_url,
    server_env,
)
from bench.country_db import (
    _admin,
    _at_head,
    _recreate_database,
    _write_meta,
    drop_databases,
    is_current,
    read_meta,
)
from bench.country_load import _load
from bench.country_rows import JOB_STATUS, Layout, _copy, email_of

__all__ = [
    "APP_ROLE",
    "DEPARTMENTS_PER_ORG",
    "DESCRIPTION_POOL",
    "FULL",
    "JOB_STATUS",
    "OWNER",
    "PASSWORD",
    "PG_HOST",
    "PG_PORT",
    "SEED",
    "SKILLS_PER_ARRANGEMENT",
    "SMALL",
    "VERSION",
    "_SEQUENCE_TABLES",
    "Layout",
    "Scale",
    "_admin",
    "_at_head",
    "_build_reference",
    "_copy",
    "_create_schema",
    "_load",
    "_migrate",
    "_recreate_database",
    "_search_backfill",
    "_write_meta",
    "build",
    "db_name",
    "drop_databases",
    "dsn",
    "email_of",
    "ensure",
    "fingerprint",
    "instance_dir",
    "is_current",
    "main",
    "pg_url",
    "read_meta",
    "ref_dsn",
    "ref_url",
    "server_env",
]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--small", action="store_true", help="a small data set for a smoke test")
    ap.add_argument("--force", action="store_true", help="regenerate even if current")
    args = ap.parse_args(argv)
    ensure(SMALL if args.small else FULL, force=args.force)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    sys.exit(main())
