"""Benchmark data for our job pages: one arrangement, 40 organisations, 100,000 jobs.

    python bench/gen_ours.py --backend sqlite|postgresql|both [--force]

The same Dutch vocabulary as the reference's gen_data.py (its common.py: titles, Zipf-ish
descriptions of 200 characters, status mix 40 % open / 30 % filled / 25 % closed / 5 % draft),
so full-text searches match comparable numbers of rows. Jobs carry 1-4 skills of a shared list;
80 % are visible to the whole arrangement. Bulk inserts through SQLAlchemy Core, then the
search index (app.pool.search.install_search) and, on PostgreSQL, row-level security.

Files live under $PERFBASE/ours (SQLite file, instance folder, marker); the PostgreSQL database
is `deelkracht_bench`, owned by the role `perf` the reference uses (the app connects as that
owner, and FORCE ROW LEVEL SECURITY applies to it). Nothing goes into the repository.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness

N_ORGS = 40
N_JOBS = 100_000
SEED = 42
PASSWORD = "bench-wachtwoord"  # noqa: S105  a benchmark account on 127.0.0.1
EMPLOYEE = "medewerker@org01.bench"
PG_DB = "deelkracht_bench"
PG_URL = f"postgresql+psycopg://perf:perf@127.0.0.1:5432/{PG_DB}"
#: Bump when the data shape changes: the marker then no longer matches and data is rebuilt.
VERSION = "6"

_SKILLS_TEXT = """
Notuleren Verslaglegging Klantcontact Wmo Jeugdzorg Participatiewet Projectmanagement
Procesbeschrijving Omgevingswet Vergunningverlening Handhaving Data-analyse Excel Communicatie
Webredactie Social-media Financiën Begroting Inkoop Aanbesteden Juridisch-advies Bezwaar
Archief Informatiebeheer Privacy Informatiebeveiliging ICT-support Telefonie Receptie
Evenementen Groenonderhoud Wegbeheer Riolering Gebouwbeheer Schoonmaak Catering Planning
Roosteren Begeleiden Coachen Training Beleidsadvies Subsidies Wijkwerk Veiligheid Crisisbeheersing
Burgerzaken Belastingen WOZ Leerplicht Onderwijs Sport Cultuur Toerisme Duurzaamheid Energie
Mobiliteit Verkeer GIS"""
SKILLS = _SKILLS_TEXT.split()


def instance_dir() -> Path:
    path = harness.perfbase() / "ours" / "instance"
    path.mkdir(parents=True, exist_ok=True)
    return path


def sqlite_path() -> Path:
    return harness.perfbase() / "ours" / "deelkracht.sqlite"


def database_url(backend: str) -> str:
    return f"sqlite:///{sqlite_path()}" if backend == "sqlite" else PG_URL


def server_env(backend: str) -> dict[str, str]:
    """Environment for the app over the benchmark data (server and in-process search)."""
    return {
        "DATABASE_URL": database_url(backend),
        "SECRET_KEY": "bench-secret-key-not-for-production",
        "DEELKRACHT_INSTANCE": str(instance_dir()),
        "SESSION_COOKIE_SECURE": "0",
        "LOG_LEVEL": "WARNING",
    }


def _fingerprint(backend: str) -> str:
    h = hashlib.sha256(Path(__file__).read_bytes())
    h.update(harness._reference_fingerprint().encode())
    # The schema too: data made before a migration lacks its columns (a 500 on every page).
    for migration in sorted((Path(__file__).resolve().parents[1] / "migrations").rglob("*.py")):
        h.update(migration.name.encode())
    return f"{VERSION}-{backend}-{h.hexdigest()[:12]}"


def _marker(backend: str) -> Path:
    return harness.perfbase() / "ours" / f"{backend}.fingerprint"


def is_current(backend: str) -> bool:
    marker = _marker(backend)
    if not marker.exists() or marker.read_text().strip() != _fingerprint(backend):
        return False
    if backend == "sqlite":
        return sqlite_path().exists()
    try:
        import psycopg

        with psycopg.connect(
            f"host=127.0.0.1 dbname={PG_DB} user=perf password=perf", connect_timeout=5
        ) as con:
            con.execute("SELECT 1 FROM jobs LIMIT 1")
        return True
    except Exception:
        return False


# --- rows --------------------------------------------------------------------------------------


def generate(today: dt.date):
    """Deterministic rows for every table (plain dicts for Core inserts)."""
    from app.pool.markdown import excerpt

    common = harness.load_reference_common()
    rng = random.Random(SEED)
    now = dt.datetime.combine(today, dt.time(12))
    orgs, departments, users, managers, identities = [], [], [], [], []
    for i in range(1, N_ORGS + 1):
        slug = f"org{i:02d}"
        orgs.append({"id": i, "slug": slug, "name": common.org_name(i)})
        for d in (1, 2):
            departments.append(
                {"id": 2 * i - 2 + d, "organisation_id": i, "slug": f"team{d}", "name": f"Team {d}"}
            )
        for k, (role, dep) in enumerate(
            (("medewerker", 1), ("teamleider", 1), ("teamleider2", 2), ("hr", None))
        ):
            uid = 4 * (i - 1) + k + 1
            dep_id = None if dep is None else 2 * i - 2 + dep
            email = f"{role}@{slug}.bench"
            users.append(
                {
                    "id": uid,
                    "organisation_id": i,
                    "department_id": dep_id,
                    "email": email,
                    "name": f"{role.title()} {i:02d}",
                    "is_hr": role == "hr",
                }
            )
            identities.append({"email": email, "user_id": uid})
            if role.startswith("teamleider"):
                managers.append({"department_id": dep_id, "user_id": uid})
    skills = [{"id": n + 1, "key": s.casefold()} for n, s in enumerate(SKILLS)]
    jobs, job_skills = [], []
    link_id = 0
    for job_id in range(1, N_JOBS + 1):
        org = rng.randint(1, N_ORGS)
        status = rng.choice(common.STATUSES)
        created = now - dt.timedelta(seconds=rng.randint(0, 2 * 365 * 86400))
        start = today + dt.timedelta(days=rng.randint(-30, 180))
        chosen = sorted(
            {rng.randint(1, len(SKILLS)) for _ in range(rng.randint(1, 4))},
        )
        names = sorted((SKILLS[s - 1] for s in chosen), key=str.casefold)
        department = 2 * org - 2 + rng.randint(1, 2)
        description = common.make_description(rng)
        jobs.append(
            {
                "id": job_id,
                "organisation_id": org,
                "department_id": department,
                "posted_by_id": 4 * (org - 1) + 2,
                "contact_id": 4 * (org - 1) + 2,
                "title": common.make_title(rng),
                "description": description,
                "summary": excerpt(description),
                "hours_per_week": rng.randint(4, 40),
                "start_date": start,
                "end_date": start + dt.timedelta(days=rng.randint(14, 365)),
                "location": "",
                "remote": rng.random() < 0.3,
                "places": 1,
                "visibility": "arrangement" if rng.random() < 0.8 else "organisation",
                "status": status,
                # open jobs stay open for a good while: the data can be reused for months
                "expires_on": today + dt.timedelta(days=rng.randint(180, 540))
                if status == "open"
                else None,
                "skills_text": "\n".join(names),
                "created_at": created,
                "updated_at": created,
            }
        )
        for s in chosen:
            link_id += 1
            job_skills.append(
                {"id": link_id, "job_id": job_id, "skill_id": s, "name": SKILLS[s - 1]}
            )
    return orgs, departments, users, managers, identities, skills, jobs, job_skills


# --- build --------------------------------------------------------------------------------------


def _reset_pg() -> None:
    harness.ensure_pg_perf_db()
    harness._psql_as_superuser(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')
    harness._psql_as_superuser(f'CREATE DATABASE "{PG_DB}" OWNER perf')


def build(backend: str) -> None:
    started = time.monotonic()
    if backend == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(str(sqlite_path()) + suffix).unlink(missing_ok=True)
        sqlite_path().parent.mkdir(parents=True, exist_ok=True)
    else:
        _reset_pg()
    with harness.applied_env(server_env(backend), harness.REPO_ROOT):
        _build_in_app(backend)
    _marker(backend).write_text(_fingerprint(backend) + "\n")
    harness.log(f"  {backend}: built in {time.monotonic() - started:.0f} s")


def _build_in_app(backend: str) -> None:
    from sqlalchemy import insert, text
    from werkzeug.security import generate_password_hash

    from app import create_app, register_models
    from app.accounts.models import LoginIdentity, User
    from app.extensions import db
    from app.pool.models import Job, JobSkill, Skill
    from app.schema import install_extras
    from tenants.models import Arrangement, Department, DepartmentManager, Organisation

    app = create_app()
    register_models()
    today = dt.date.today()
    orgs, departments, users, managers, identities, skills, jobs, links = generate(today)
    password = generate_password_hash(PASSWORD, method="pbkdf2:sha256:100000")
    arrangement = {"arrangement_id": 1}
    with app.app_context():
        engine = db.engine
        db.metadata.create_all(engine)
        with engine.begin() as conn:
            conn.execute(insert(Arrangement), [{"id": 1, "slug": "bench", "name": "Benchmark"}])
            conn.execute(insert(Organisation), [{**o, **arrangement} for o in orgs])
            conn.execute(insert(Department), [{**d, **arrangement} for d in departments])
            conn.execute(
                insert(User), [{**u, **arrangement, "password_hash": password} for u in users]
            )
            conn.execute(
                insert(DepartmentManager),
                [{**m, **arrangement, "id": n + 1} for n, m in enumerate(managers)],
            )
            conn.execute(insert(LoginIdentity), [{**i, **arrangement} for i in identities])
            conn.execute(insert(Skill), [{**s, **arrangement, "synonyms": []} for s in skills])
            for chunk in range(0, len(jobs), 10_000):
                conn.execute(
                    insert(Job), [{**j, **arrangement} for j in jobs[chunk : chunk + 10_000]]
                )
            for chunk in range(0, len(links), 20_000):
                conn.execute(
                    insert(JobSkill), [{**s, **arrangement} for s in links[chunk : chunk + 20_000]]
                )
            if backend == "postgresql":
                for table in ("users", "organisations", "departments", "department_managers",
                              "skills", "jobs", "job_skills", "arrangements"):  # fmt: skip
                    conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                            f"(SELECT max(id) FROM {table}))"
                        )
                    )
            install_extras(conn)
        with engine.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            conn.execute(text("VACUUM ANALYZE" if backend == "postgresql" else "ANALYZE"))
        if backend == "sqlite":
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()


def ensure(backend: str, force: bool = False) -> None:
    if force or not is_current(backend):
        harness.log(f"generating our benchmark data for {backend} ({N_JOBS:,} jobs) ...")
        build(backend)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    ap.add_argument("--force", action="store_true", help="rebuild even if current")
    args = ap.parse_args(argv)
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    for backend in backends:
        ensure(backend, args.force)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    sys.exit(main())
