"""The country-scale data's parameters: seed, version, scale, database names and connection
strings, the app's environment over a generated database and the fingerprint that says whether
a stored database still matches (bench/country_data.py describes the data)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from pathlib import Path

from bench import harness

SEED = 20261203
#: Bump when the data shape changes: the fingerprint then differs and the data is rebuilt.
VERSION = "1"
PASSWORD = "bench-wachtwoord"  # noqa: S105  benchmark accounts on 127.0.0.1
APP_ROLE = os.environ.get("DEELKRACHT_APP_ROLE", "deelkracht_app")
OWNER = os.environ.get("PGSUPERUSER", "postgres")
PG_HOST = "127.0.0.1"
PG_PORT = 5432
DEPARTMENTS_PER_ORG = 5
SKILLS_PER_ARRANGEMENT = 60
DESCRIPTION_POOL = 20_000


@dataclasses.dataclass(frozen=True)
class Scale:
    arrangements: int = 120
    organisations: int = 342
    big_organisations: int = 40  # arrangement 1: the coordinator's 40-organisation report
    people: int = 220_000
    jobs: int = 1_000_000
    open_jobs: int = 100_000
    offers: int = 300_000
    placements: int = 50_000
    applications: int = 150_000
    proposals: int = 5_000  # open proposals still waiting for a decision (to-do lists)
    years: int = 5


FULL = Scale()
SMALL = Scale(
    arrangements=6,
    organisations=20,
    big_organisations=10,
    people=4_000,
    jobs=20_000,
    open_jobs=2_000,
    offers=6_000,
    placements=1_000,
    applications=3_000,
    proposals=100,
)


def db_name(scale: Scale) -> str:
    return "deelkracht_country" if scale == FULL else "deelkracht_country_small"


def pg_url(database: str, user: str, driver: bool = True) -> str:
    scheme = "postgresql+psycopg" if driver else "postgresql"
    return f"{scheme}://{user}@{PG_HOST}:{PG_PORT}/{database}"


def dsn(database: str, user: str = OWNER) -> str:
    return f"host={PG_HOST} port={PG_PORT} dbname={database} user={user}"


def ref_dsn(database: str) -> str:
    return f"host={PG_HOST} port={PG_PORT} dbname={database}_ref user=perf password=perf"


def ref_url(database: str) -> str:
    return f"postgresql+psycopg://perf:perf@{PG_HOST}:{PG_PORT}/{database}_ref"


def instance_dir(database: str) -> Path:
    path = harness.perfbase() / "country" / database / "instance"
    path.mkdir(parents=True, exist_ok=True)
    return path


def server_env(database: str) -> dict[str, str]:
    """The app as production runs it: the application role (row-level security applies)."""
    return {
        "DATABASE_URL": pg_url(database, APP_ROLE),
        "MIGRATE_DATABASE_URL": pg_url(database, OWNER),
        "DEELKRACHT_APP_ROLE": APP_ROLE,
        "SECRET_KEY": "bench-secret-key-not-for-production",
        "DEELKRACHT_INSTANCE": str(instance_dir(database)),
        "SESSION_COOKIE_SECURE": "0",
        "LOG_LEVEL": "WARNING",
        "REDIS_URL": "",
    }


def fingerprint(scale: Scale) -> str:
    """What the rows depend on: VERSION (bump it when the generator changes), the seed, the
    scale and the reference's vocabulary. A newer schema does not regenerate: ensure() runs
    the new migrations over the existing rows, as production would."""
    h = hashlib.sha256(json.dumps(dataclasses.asdict(scale), sort_keys=True).encode())
    h.update(harness._reference_fingerprint().encode())
    return f"{VERSION}-{SEED}-{h.hexdigest()[:12]}"
