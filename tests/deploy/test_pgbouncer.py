"""Deelkracht behind PgBouncer in transaction pooling mode (Debian's pgbouncer, started here).

Many client connections share two server connections, so consecutive transactions of one
client land on different server connections. What must hold: the arrangement setting of
row-level security stays inside its transaction (a transaction without one sees no rows, never
the previous transaction's arrangement), interleaved requests of two arrangements find 0 rows
of the other one, and nothing else of a session survives (psycopg's prepared statements are off
with ``DATABASE_TRANSACTION_POOLING``).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from app.config import engine_options
from app.extensions import db
from app.pool.models import Job
from tenants.context import ACROSS_ARRANGEMENTS, use_arrangement
from tests.matches.conftest import make_job
from tests.support.environment import APP_ROLE, IN_CI
from tests.support.world import PASSWORD

pytestmark = pytest.mark.postgres

POOL_SIZE = 2
THREADS = 8


def pgbouncer_binary() -> str | None:
    for candidate in (shutil.which("pgbouncer"), "/usr/sbin/pgbouncer"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def pgbouncer():
    """A PgBouncer on a free port: transaction pooling, two server connections per pool."""
    binary = pgbouncer_binary()
    if binary is None:
        message = "pgbouncer not found (apt-get install pgbouncer)"
        pytest.fail(message) if IN_CI else pytest.skip(message)
    from tests.support.environment import PG_ADMIN_URL

    admin = sa.engine.make_url(PG_ADMIN_URL)
    # PgBouncer refuses to run as root: as root it drops to an unprivileged user, who must be
    # able to read its files (pytest's own temporary folders are private to root).
    folder = Path(tempfile.mkdtemp(prefix="deelkracht-pgbouncer-"))
    folder.chmod(0o755)
    port = _free_port()
    (folder / "users.txt").write_text(f'"{APP_ROLE}" ""\n"{admin.username}" ""\n')
    (folder / "pgbouncer.ini").write_text(
        f"""[databases]
* = host={admin.host or "127.0.0.1"} port={admin.port or 5432}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {folder / "users.txt"}
pool_mode = transaction
default_pool_size = {POOL_SIZE}
min_pool_size = 0
reserve_pool_size = 0
max_client_conn = 200
server_reset_query =
ignore_startup_parameters = extra_float_digits,options
admin_users = {admin.username}
"""
    )
    for path in folder.iterdir():
        path.chmod(0o644)
    command = [binary, str(folder / "pgbouncer.ini")]
    if os.geteuid() == 0:
        command[1:1] = ["-u", "postgres" if _user_exists("postgres") else "nobody"]
    log = (folder / "pgbouncer.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                output = (folder / "pgbouncer.log").read_text()[-2000:]
                shutil.rmtree(folder, ignore_errors=True)
                pytest.fail(f"pgbouncer did not start: {output}")
            time.sleep(0.1)
    yield port
    process.terminate()
    process.wait(timeout=10)
    log.close()
    shutil.rmtree(folder, ignore_errors=True)


def _user_exists(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


@pytest.fixture
def pooled_app(make_app, schema, pgbouncer):
    """The app connecting as the application role through PgBouncer."""
    url = sa.engine.make_url(schema.app_url).set(host="127.0.0.1", port=pgbouncer)
    return make_app(
        SQLALCHEMY_DATABASE_URI=url.render_as_string(hide_password=False),
        SQLALCHEMY_ENGINE_OPTIONS={**engine_options(True), "pool_size": THREADS},
    )


@pytest.fixture
def two_arrangements_with_jobs(world, in_arrangement):
    """Five jobs in each arrangement, titled after it."""
    ids = {}
    for key in ("meer", "elders"):
        part = getattr(world, key)
        org = next(v for v in vars(part).values() if hasattr(v, "org")).org
        with in_arrangement(part.arrangement.id) as s:
            for n in range(5):
                make_job(s, org, title=f"Klus {key} {n}")
            s.commit()
        ids[key] = part.arrangement.id
    return ids


def test_rls_context_stays_in_its_transaction_over_few_server_connections(
    pooled_app, two_arrangements_with_jobs
):
    """Threads alternate the two arrangements (and no arrangement) in short transactions over
    PgBouncer's two server connections. Row-level security alone (the ORM scoping is switched
    off for these reads) finds only the current arrangement's rows, and none without one."""
    arrangements = two_arrangements_with_jobs
    order = [arrangements["meer"], None, arrangements["elders"]]
    seen_backends: set[int] = set()
    problems: list[str] = []
    lock = threading.Lock()
    rounds = 30

    def run(thread: int) -> int:
        done = 0
        with pooled_app.app_context():
            session = db.session()
            for i in range(rounds):
                arrangement_id = order[(thread + i) % len(order)]
                with use_arrangement(arrangement_id):
                    rows = session.execute(
                        select(Job.arrangement_id, func.count())
                        .group_by(Job.arrangement_id)
                        .execution_options(**{ACROSS_ARRANGEMENTS: True})
                    ).all()
                    backend = session.execute(select(func.pg_backend_pid())).scalar()
                    session.commit()
                found = {a: n for a, n in rows}
                expected = {} if arrangement_id is None else {arrangement_id: 5}
                if found != expected:
                    with lock:
                        problems.append(f"thread {thread} in {arrangement_id}: saw {found}")
                with lock:
                    seen_backends.add(backend)
                done += 1
            db.session.remove()
        return done

    with ThreadPoolExecutor(THREADS) as pool:
        done = sum(pool.map(run, range(THREADS)))
    assert done == THREADS * rounds
    assert problems == []
    # Eight client connections were served by at most two server connections: the
    # transactions really did move between clients.
    assert 1 <= len(seen_backends) <= POOL_SIZE, seen_backends


def test_a_transaction_after_another_arrangements_never_inherits_it(
    pooled_app, two_arrangements_with_jobs
):
    """One client connection, one server connection: the setting of a committed transaction is
    gone in the next one (set_config(..., true)), whatever PgBouncer does."""
    meer = two_arrangements_with_jobs["meer"]
    with pooled_app.app_context():
        session = db.session()
        with use_arrangement(meer):
            assert session.execute(select(func.count()).select_from(Job)).scalar() == 5
            session.commit()
        raw = session.execute(
            sa.text("SELECT current_setting('deelkracht.arrangement_id', true)")
        ).scalar()
        count = session.execute(
            select(func.count()).select_from(Job).execution_options(**{ACROSS_ARRANGEMENTS: True})
        ).scalar()
        session.rollback()
        db.session.remove()
    assert raw in (None, "")
    assert count == 0


def test_interleaved_api_requests_of_two_arrangements_see_only_their_own(
    pooled_app, world, two_arrangements_with_jobs
):
    """Requests of HR in each arrangement, many at once through PgBouncer: every answer lists
    the own arrangement's five jobs and none of the other's."""
    tokens = {}
    for key in ("meer", "elders"):
        part = getattr(world, key)
        hr = next(v for v in vars(part).values() if hasattr(v, "hr")).hr
        response = pooled_app.test_client().post(
            "/api/v1/auth/token", json={"email": hr.email, "password": PASSWORD}
        )
        assert response.status_code == 200, response.get_json()
        tokens[key] = {"Authorization": f"Bearer {response.get_json()['token']}"}

    def ask(i: int) -> tuple[str, list[str]]:
        key = ("meer", "elders")[i % 2]
        response = pooled_app.test_client().get("/api/v1/jobs?perPage=50", headers=tokens[key])
        assert response.status_code == 200, response.get_json()
        return key, [item["title"] for item in response.get_json()["items"]]

    with ThreadPoolExecutor(THREADS) as pool:
        answers = list(pool.map(ask, range(60)))
    for key, titles in answers:
        other = "elders" if key == "meer" else "meer"
        assert len([t for t in titles if t.startswith(f"Klus {key} ")]) == 5, (key, titles)
        assert not [t for t in titles if t.startswith(f"Klus {other} ")], (key, titles)


def test_prepared_statements_are_off_behind_the_pooler(pooled_app, two_arrangements_with_jobs):
    """The same query many times (psycopg would prepare it after five) over the pooler works:
    with prepared statements on, a later run on another server connection would fail."""
    meer = two_arrangements_with_jobs["meer"]

    def run(_thread: int) -> None:
        with pooled_app.app_context():
            session = db.session()
            for _ in range(20):
                with use_arrangement(meer):
                    assert session.execute(select(func.count()).select_from(Job)).scalar() == 5
                    session.commit()
            db.session.remove()

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(run, range(4)))
