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
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import json
import os
import random
import sys
import time
from array import array
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

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


# --- PostgreSQL helpers -------------------------------------------------------------------------


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


# --- rows ---------------------------------------------------------------------------------------


class Layout:
    """Who is where: arrangements, organisations, departments and people, by arithmetic."""

    def __init__(self, scale: Scale):
        self.scale = scale
        n_org = scale.organisations
        # organisation o (1-based) -> arrangement
        self.org_arr = [0] * (n_org + 1)
        for o in range(1, n_org + 1):
            if o <= scale.big_organisations:
                self.org_arr[o] = 1
            else:
                self.org_arr[o] = 2 + (o - scale.big_organisations - 1) % (scale.arrangements - 1)
        self.arr_orgs: dict[int, list[int]] = {}
        for o in range(1, n_org + 1):
            self.arr_orgs.setdefault(self.org_arr[o], []).append(o)
        # people: an equal share per organisation, the remainder to the first ones
        base, extra = divmod(scale.people, n_org)
        self.org_first_user = [0] * (n_org + 2)
        first = 1
        for o in range(1, n_org + 1):
            self.org_first_user[o] = first
            first += base + (1 if o <= extra else 0)
        self.org_first_user[n_org + 1] = first
        self.user_org = array("i", [0]) * (scale.people + 1)
        for o in range(1, n_org + 1):
            for u in range(self.org_first_user[o], self.org_first_user[o + 1]):
                self.user_org[u] = o

    def users_of(self, org: int) -> range:
        return range(self.org_first_user[org], self.org_first_user[org + 1])

    # Per organisation: index 0 is HR, 1..DEPARTMENTS_PER_ORG lead department 1..n, index 6
    # (in each arrangement's first organisation) is the coordinator; the rest are employees.
    def hr_of(self, org: int) -> int:
        return self.org_first_user[org]

    def manager_of(self, org: int, dept_no: int) -> int:
        return self.org_first_user[org] + dept_no

    def coordinator_of(self, arr: int) -> int:
        return self.org_first_user[self.arr_orgs[arr][0]] + DEPARTMENTS_PER_ORG + 1

    def department_id(self, org: int, dept_no: int) -> int:
        return (org - 1) * DEPARTMENTS_PER_ORG + dept_no

    def department_of_user(self, user: int) -> int:
        org = self.user_org[user]
        k = user - self.org_first_user[org]
        if 1 <= k <= DEPARTMENTS_PER_ORG:
            return self.department_id(org, k)
        return self.department_id(org, 1 + user % DEPARTMENTS_PER_ORG)

    def employee_of(self, org: int) -> int:
        """A plain employee (no roles) of the organisation."""
        return self.org_first_user[org] + DEPARTMENTS_PER_ORG + 4

    def random_employee(self, rng: random.Random, org: int) -> int:
        lo, hi = self.org_first_user[org] + DEPARTMENTS_PER_ORG + 2, self.org_first_user[org + 1]
        return rng.randrange(lo, hi)


def email_of(user: int, org: int) -> str:
    return f"p{user}@o{org}.bench"


def _copy(cur, table, columns: list[str], rows) -> int:
    """COPY rows (tuples in `columns` order) into a model table; columns left out get their
    model default when they need one (NOT NULL without a server default)."""
    from psycopg.types.json import Json
    from sqlalchemy import JSON

    extra_cols, extra_vals = [], []
    for col in table.columns:
        if col.name in columns:
            continue
        if (
            col.nullable
            or col.server_default is not None
            or (col.autoincrement is True and col.primary_key)
        ):
            continue
        default = col.default
        if default is None or not default.is_scalar:
            raise RuntimeError(f"{table.name}.{col.name} needs a value")
        value = default.arg
        extra_cols.append(col.name)
        extra_vals.append(Json(value) if isinstance(col.type, JSON) else value)
    json_idx = [i for i, c in enumerate(columns) if isinstance(table.c[c].type, JSON)]
    names = ", ".join(f'"{c}"' for c in [*columns, *extra_cols])
    n = 0
    extra = tuple(extra_vals)
    with cur.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as cp:
        for row in rows:
            if json_idx:
                row = list(row)
                for i in json_idx:
                    row[i] = Json(row[i])
            cp.write_row((*row, *extra) if extra else row)
            n += 1
    return n


JOB_STATUS = {0: "open", 1: "filled", 2: "closed", 3: "expired", 4: "draft"}


def _load(con, scale: Scale, today: dt.date, log) -> dict:
    """All rows, table by table. Returns counts and the facts the benchmark needs."""
    from werkzeug.security import generate_password_hash

    from app import register_models
    from app.extensions import db
    from app.pool.markdown import excerpt

    register_models()
    tables = db.metadata.tables
    common = harness.load_reference_common()
    lay = Layout(scale)
    now = dt.datetime.combine(today, dt.time(12))
    span_days = 365 * scale.years
    counts: dict[str, int] = {}
    cur = con.cursor()

    def timed(name, fn):
        t = time.monotonic()
        counts[name] = fn()
        log(f"    {name:20} {counts[name]:>10,} rows  {time.monotonic() - t:6.1f} s")

    # arrangements, organisations, departments
    timed(
        "arrangements",
        lambda: _copy(
            cur,
            tables["arrangements"],
            ["id", "slug", "name", "created_at"],
            (
                (a, f"bench{a:03d}", f"Samenwerking {a:03d}", now)
                for a in range(1, scale.arrangements + 1)
            ),
        ),
    )

    def orgs():
        for o in range(1, scale.organisations + 1):
            yield (
                o,
                lay.org_arr[o],
                f"org{o:03d}",
                common.org_name(o),
                "arrangement" if o % 3 == 0 else "hr_coordinators",
            )

    timed(
        "organisations",
        lambda: _copy(
            cur,
            tables["organisations"],
            ["id", "arrangement_id", "slug", "name", "capacity_visibility"],
            orgs(),
        ),
    )

    def departments():
        for o in range(1, scale.organisations + 1):
            for k in range(1, DEPARTMENTS_PER_ORG + 1):
                yield (lay.department_id(o, k), lay.org_arr[o], o, f"team{k}", f"Team {k}")

    timed(
        "departments",
        lambda: _copy(
            cur,
            tables["departments"],
            ["id", "arrangement_id", "organisation_id", "slug", "name"],
            departments(),
        ),
    )

    password = generate_password_hash(PASSWORD, method="pbkdf2:sha256:100000")
    coordinators = {lay.coordinator_of(a) for a in lay.arr_orgs}

    def users():
        rng = random.Random(SEED + 1)
        for u in range(1, scale.people + 1):
            o = lay.user_org[u]
            k = u - lay.org_first_user[o]
            created = now - dt.timedelta(days=rng.randrange(span_days + 365))
            yield (
                u,
                lay.org_arr[o],
                o,
                lay.department_of_user(u),
                email_of(u, o),
                f"Persoon {u}",
                password,
                k == 0,
                u in coordinators,
                created,
                rng.randint(16, 36),
            )

    timed(
        "users",
        lambda: _copy(
            cur,
            tables["users"],
            [
                "id",
                "arrangement_id",
                "organisation_id",
                "department_id",
                "email",
                "name",
                "password_hash",
                "is_hr",
                "is_coordinator",
                "created_at",
                "contract_hours",
            ],
            users(),
        ),
    )

    def managers():
        for o in range(1, scale.organisations + 1):
            for k in range(1, DEPARTMENTS_PER_ORG + 1):
                yield (
                    lay.department_id(o, k),
                    lay.org_arr[o],
                    lay.department_id(o, k),
                    lay.manager_of(o, k),
                )

    timed(
        "department_managers",
        lambda: _copy(
            cur,
            tables["department_managers"],
            ["id", "arrangement_id", "department_id", "user_id"],
            managers(),
        ),
    )
    timed(
        "login_identities",
        lambda: _copy(
            cur,
            tables["login_identities"],
            ["email", "user_id", "arrangement_id"],
            (
                (email_of(u, lay.user_org[u]), u, lay.org_arr[lay.user_org[u]])
                for u in range(1, scale.people + 1)
            ),
        ),
    )

    # skills: the same list in every arrangement (ids per arrangement)
    from bench.gen_ours import SKILLS

    names = (SKILLS * 2)[:SKILLS_PER_ARRANGEMENT]
    names = [n if i < len(SKILLS) else f"{n}-2" for i, n in enumerate(names)]

    def skill_id(arr: int, k: int) -> int:
        return (arr - 1) * SKILLS_PER_ARRANGEMENT + k + 1

    timed(
        "skills",
        lambda: _copy(
            cur,
            tables["skills"],
            ["id", "arrangement_id", "key", "synonyms"],
            (
                (skill_id(a, k), a, n.casefold(), [])
                for a in range(1, scale.arrangements + 1)
                for k, n in enumerate(names)
            ),
        ),
    )

    # jobs: created over `years` years; the open ones within the last half year
    rng_pool = random.Random(SEED + 2)
    pool = [common.make_description(rng_pool) for _ in range(min(DESCRIPTION_POOL, scale.jobs))]
    summaries = [excerpt(d) for d in pool]
    job_org = array("i", [0]) * (scale.jobs + 1)
    job_status = bytearray(scale.jobs + 1)
    job_day = array("i", [0]) * (scale.jobs + 1)  # days before `today` it was posted
    job_skill_pick: list[tuple[int, ...]] = [()] * (scale.jobs + 1)
    rng_open = random.Random(SEED + 3)
    open_ids = set(rng_open.sample(range(1, scale.jobs + 1), scale.open_jobs))

    def jobs():
        rng = random.Random(SEED + 4)
        for j in range(1, scale.jobs + 1):
            o = rng.randint(1, scale.organisations)
            a = lay.org_arr[o]
            k = rng.randint(1, DEPARTMENTS_PER_ORG)
            if j in open_ids:
                status = 0
                age = rng.randrange(180)
            else:
                age = rng.randrange(span_days)
                r = rng.random()
                status = 1 if r < 0.4 else 2 if r < 0.75 else 3 if r < 0.95 else 4
            created = now - dt.timedelta(days=age, seconds=rng.randrange(86400))
            start = (created + dt.timedelta(days=rng.randint(7, 60))).date()
            picked = tuple(
                sorted({rng.randrange(SKILLS_PER_ARRANGEMENT) for _ in range(rng.randint(1, 4))})
            )
            job_org[j], job_status[j], job_day[j], job_skill_pick[j] = o, status, age, picked
            d = rng.randrange(len(pool))
            poster = lay.manager_of(o, k)
            yield (
                j,
                a,
                o,
                lay.department_id(o, k),
                poster,
                poster,
                common.make_title(rng),
                pool[d],
                summaries[d],
                rng.randint(4, 36),
                start,
                start + dt.timedelta(days=rng.randint(14, 365)),
                "",
                rng.random() < 0.3,
                1,
                "arrangement" if rng.random() < 0.8 else "organisation",
                JOB_STATUS[status],
                today + dt.timedelta(days=rng.randint(180, 540)) if status == 0 else None,
                "\n".join(sorted((names[s] for s in picked), key=str.casefold)),
                created,
                created,
            )

    timed(
        "jobs",
        lambda: _copy(
            cur,
            tables["jobs"],
            [
                "id",
                "arrangement_id",
                "organisation_id",
                "department_id",
                "posted_by_id",
                "contact_id",
                "title",
                "description",
                "summary",
                "hours_per_week",
                "start_date",
                "end_date",
                "location",
                "remote",
                "places",
                "visibility",
                "status",
                "expires_on",
                "skills_text",
                "created_at",
                "updated_at",
            ],
            jobs(),
        ),
    )

    def job_skills():
        n = 0
        for j in range(1, scale.jobs + 1):
            a = lay.org_arr[job_org[j]]
            for s in job_skill_pick[j]:
                n += 1
                yield (n, a, j, skill_id(a, s), names[s])

    timed(
        "job_skills",
        lambda: _copy(
            cur,
            tables["job_skills"],
            ["id", "arrangement_id", "job_id", "skill_id", "name"],
            job_skills(),
        ),
    )
    job_skill_pick.clear()

    # capacity offers: 30 % open (available now or from soon), the rest withdrawn or closed
    offer_user = array("i", [0]) * (scale.offers + 1)
    offer_open = bytearray(scale.offers + 1)

    def offers():
        rng = random.Random(SEED + 5)
        for f in range(1, scale.offers + 1):
            u = rng.randint(1, scale.people)
            o = lay.user_org[u]
            offer_user[f] = u
            if rng.random() < 0.3:
                offer_open[f] = 1
                start = today - dt.timedelta(days=rng.randrange(120))
                until = (
                    None if rng.random() < 0.3 else today + dt.timedelta(days=rng.randint(30, 365))
                )
                status, closed = "open", None
            else:
                start = today - dt.timedelta(days=rng.randrange(span_days))
                until = start + dt.timedelta(days=rng.randint(30, 365))
                status = "closed" if rng.random() < 0.7 else "withdrawn"
                closed = dt.datetime.combine(min(until, today), dt.time(9))
            created = dt.datetime.combine(start, dt.time(10)) - dt.timedelta(days=rng.randrange(14))
            yield (
                f,
                lay.org_arr[o],
                u,
                o,
                rng.randint(4, 20),
                start,
                until,
                rng.choice(("peak", "development", "reintegration", "other")),
                status,
                created,
                created,
                closed,
            )

    timed(
        "capacity_offers",
        lambda: _copy(
            cur,
            tables["capacity_offers"],
            [
                "id",
                "arrangement_id",
                "user_id",
                "organisation_id",
                "hours_per_week",
                "available_from",
                "available_until",
                "reason",
                "status",
                "created_at",
                "updated_at",
                "closed_at",
            ],
            offers(),
        ),
    )

    def offer_skills():
        rng = random.Random(SEED + 6)
        n = 0
        for f in range(1, scale.offers + 1):
            a = lay.org_arr[lay.user_org[offer_user[f]]]
            for s in sorted(
                {rng.randrange(SKILLS_PER_ARRANGEMENT) for _ in range(rng.randint(1, 4))}
            ):
                n += 1
                yield (n, a, f, skill_id(a, s), names[s])

    timed(
        "offer_skills",
        lambda: _copy(
            cur,
            tables["offer_skills"],
            ["id", "arrangement_id", "offer_id", "skill_id", "name"],
            offer_skills(),
        ),
    )

    # placements: distinct filled jobs; the employee from an organisation of the same
    # arrangement (a third from the job's own); half via a response, half via an offer
    rng = random.Random(SEED + 7)
    filled = [j for j in range(1, scale.jobs + 1) if job_status[j] == 1]
    placed_jobs = rng.sample(filled, scale.placements)
    arr_offers: dict[int, list[int]] = {}
    for f in range(1, scale.offers + 1):
        arr_offers.setdefault(lay.org_arr[lay.user_org[offer_user[f]]], []).append(f)
    applications: list[tuple] = []
    applied: set[tuple[int, int]] = set()
    matches: list[tuple] = []
    approvals: list[tuple] = []
    placements: list[tuple] = []
    agreements: list[tuple] = []
    app_id = 0

    def add_application(j, u, status, created):
        nonlocal app_id
        app_id += 1
        applied.add((j, u))
        o = lay.user_org[u]
        closed = (
            None if status in ("submitted", "in_conversation") else created + dt.timedelta(days=10)
        )
        applications.append(
            (app_id, lay.org_arr[o], j, u, o, "Graag!", None, status, created, created, closed)
        )
        return app_id

    for m, j in enumerate(placed_jobs, start=1):
        borrowing = job_org[j]
        arr = lay.org_arr[borrowing]
        orgs_here = lay.arr_orgs[arr]
        lending = borrowing if rng.random() < 0.33 else rng.choice(orgs_here)
        posted = now - dt.timedelta(days=job_day[j])
        agreed = posted + dt.timedelta(days=rng.randint(3, 40))
        start = agreed.date() + dt.timedelta(days=rng.randint(1, 21))
        end = start + dt.timedelta(days=rng.randint(30, 365))
        status = "active" if end >= today else ("completed" if rng.random() < 0.85 else "ended")
        ended = dt.datetime.combine(end, dt.time(17)) if status == "ended" else None
        application_id = capacity_id = None
        if m % 2 and arr_offers.get(arr):
            capacity_id = rng.choice(arr_offers[arr])
            employee = offer_user[capacity_id]
            lending = lay.user_org[employee]
        else:
            employee = lay.random_employee(rng, lending)
            while (j, employee) in applied:
                employee = lay.random_employee(rng, lending)
            application_id = add_application(j, employee, "matched", posted + dt.timedelta(days=1))
        hours = rng.randint(4, 24)
        proposer = lay.manager_of(borrowing, 1)
        matches.append(
            (
                m,
                arr,
                j,
                employee,
                application_id,
                capacity_id,
                proposer,
                lending,
                borrowing,
                status,
                hours,
                start,
                end,
                agreed,
                agreed,
                ended,
                agreed,
                agreed,
                1,
                1,
                1,
            )
        )
        for p, party in enumerate(("employee", "lending", "borrowing")):
            by = (
                employee
                if party == "employee"
                else lay.hr_of(lending if party == "lending" else borrowing)
            )
            approvals.append((3 * (m - 1) + p + 1, arr, m, party, "approve", by, agreed, 1))
        placements.append((m, arr, j, 1, m, agreed))
        terms = {
            "hours_per_week": hours,
            "start_date": start.isoformat(),
            "end_date": end.isoformat(),
            "place_of_work": "",
            "supervisor_name": "",
            "supervisor_role": "",
            "cost_recharge": "none",
            "hourly_rate": None,
            "vat_treatment": "",
            "notes": "",
        }
        agreements.append(
            (
                m,
                arr,
                m,
                1,
                1,
                terms,
                "ready",
                hashlib.sha256(str(m).encode()).hexdigest(),
                41_000,
                agreed,
                agreed,
            )
        )

    # open proposals waiting for decisions, on distinct open jobs
    open_list = sorted(open_ids)
    for j in rng.sample(open_list, min(scale.proposals, len(open_list))):
        m = len(matches) + 1
        borrowing = job_org[j]
        arr = lay.org_arr[borrowing]
        lending = rng.choice(lay.arr_orgs[arr])
        employee = lay.random_employee(rng, lending)
        created = now - dt.timedelta(days=rng.randrange(20))
        start = today + dt.timedelta(days=rng.randint(7, 40))
        consented = created if rng.random() < 0.5 else None
        matches.append(
            (
                m,
                arr,
                j,
                employee,
                None,
                None,
                lay.manager_of(borrowing, 1),
                lending,
                borrowing,
                "proposed",
                rng.randint(4, 24),
                start,
                start + dt.timedelta(days=90),
                None,
                consented,
                None,
                created,
                created,
                1,
                None,
                1,
            )
        )
        if consented:
            approvals.append(
                (len(approvals) + 1, arr, m, "employee", "approve", employee, created, 1)
            )

    # more responses: on open jobs (waiting) and on older ones (decided)
    while len(applications) < scale.applications:
        j = rng.randint(1, scale.jobs)
        if job_status[j] == 4:
            continue
        o = rng.choice(lay.arr_orgs[lay.org_arr[job_org[j]]])
        u = lay.random_employee(rng, o)
        if (j, u) in applied:
            continue
        posted = now - dt.timedelta(days=job_day[j])
        created = posted + dt.timedelta(days=rng.randint(0, min(30, job_day[j])))
        if job_status[j] == 0:
            status = "submitted" if rng.random() < 0.7 else "in_conversation"
        else:
            status = "declined" if rng.random() < 0.7 else "withdrawn"
        add_application(j, u, status, created)

    timed(
        "applications",
        lambda: _copy(
            cur,
            tables["applications"],
            [
                "id",
                "arrangement_id",
                "job_id",
                "user_id",
                "organisation_id",
                "motivation",
                "hours_per_week",
                "status",
                "created_at",
                "updated_at",
                "closed_at",
            ],
            applications,
        ),
    )
    timed(
        "matches",
        lambda: _copy(
            cur,
            tables["matches"],
            [
                "id",
                "arrangement_id",
                "job_id",
                "employee_id",
                "application_id",
                "capacity_id",
                "proposed_by_id",
                "lending_organisation_id",
                "borrowing_organisation_id",
                "status",
                "hours_per_week",
                "start_date",
                "end_date",
                "agreed_at",
                "employee_consented_at",
                "ended_at",
                "created_at",
                "updated_at",
                "terms_version",
                "agreed_terms_version",
                "row_version",
            ],
            matches,
        ),
    )
    timed(
        "match_approvals",
        lambda: _copy(
            cur,
            tables["match_approvals"],
            [
                "id",
                "arrangement_id",
                "match_id",
                "party",
                "decision",
                "by_id",
                "at",
                "terms_version",
            ],
            approvals,
        ),
    )
    timed(
        "placements",
        lambda: _copy(
            cur,
            tables["placements"],
            ["id", "arrangement_id", "job_id", "slot", "match_id", "created_at"],
            placements,
        ),
    )
    timed(
        "agreements",
        lambda: _copy(
            cur,
            tables["agreements"],
            [
                "id",
                "arrangement_id",
                "match_id",
                "version",
                "terms_version",
                "terms",
                "status",
                "sha256",
                "size",
                "created_at",
                "rendered_at",
            ],
            agreements,
        ),
    )

    # the benchmark's job for "candidates": the open job of organisation 1 with most responses
    waiting: dict[int, int] = {}
    for row in applications:
        j = row[2]
        if job_status[j] == 0 and job_org[j] == 1:
            waiting[j] = waiting.get(j, 0) + 1
    candidates_job = (
        max(waiting, key=lambda j: (waiting[j], -j))
        if waiting
        else next(j for j in open_list if job_org[j] == 1)
    )
    facts = {
        "accounts": {
            "employee": email_of(lay.employee_of(1), 1),
            "line_manager": email_of(lay.manager_of(1, 1), 1),
            "hr": email_of(lay.hr_of(1), 1),
            "coordinator": email_of(lay.coordinator_of(1), 1),
        },
        "candidates_job": candidates_job,
        "candidates_job_responses": waiting.get(candidates_job, 0),
        "big_arrangement_organisations": len(lay.arr_orgs[1]),
        "open_jobs_arrangement_1": sum(1 for j in open_list if lay.org_arr[job_org[j]] == 1),
    }
    cur.close()
    return {"counts": counts, **facts}


# --- build --------------------------------------------------------------------------------------

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
