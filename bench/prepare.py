"""Self-installing set-up: wrk, the ``perf`` PostgreSQL database, the reference data, and waiting
for a quiet machine before a run."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence

from bench.base import (
    PG_DSN,
    REFERENCE_DIR,
    REFERENCE_JOBS,
    BenchError,
    log,
    perfbase,
    reference_sqlite_path,
)

# --------------------------------------------------------------------------------------------
# Tools and set-up
# --------------------------------------------------------------------------------------------


def ensure_wrk() -> str:
    """Return the wrk binary; install Debian's wrk with apt-get if missing (root only)."""
    found = shutil.which("wrk")
    if found:
        return found
    apt = shutil.which("apt-get")
    if apt and os.geteuid() == 0:
        log("wrk not found: installing it with apt-get (Debian package 'wrk') ...")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        try:
            subprocess.run([apt, "update", "-q"], check=True, env=env, timeout=600)
            subprocess.run([apt, "install", "-y", "-q", "wrk"], check=True, env=env, timeout=600)
        except (subprocess.SubprocessError, OSError) as exc:
            raise BenchError(f"installing wrk with apt-get failed: {exc}") from exc
        found = shutil.which("wrk")
        if found:
            return found
    raise BenchError(
        "wrk is not installed and cannot be installed automatically "
        "(needs root and apt-get). Install it with: sudo apt-get install -y wrk"
    )


def _psql_as_superuser(sql: str) -> str:
    """Run one SQL statement as the PostgreSQL superuser (env PGSUPERUSER, default postgres)."""
    superuser = os.environ.get("PGSUPERUSER", "postgres")
    psql = shutil.which("psql")
    if not psql:
        raise BenchError("psql not found: install postgresql-client or create role/db perf")
    attempts = [[psql, "-h", "127.0.0.1", "-p", "5432", "-U", superuser]]
    runuser = shutil.which("runuser")
    if os.geteuid() == 0 and runuser:
        attempts.append([runuser, "-u", superuser, "--", psql])  # peer auth on the socket
    errors = []
    for base in attempts:
        cmd = [*base, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", "postgres", "-c", sql]
        try:
            proc = subprocess.run(
                cmd, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
            )
        except (subprocess.SubprocessError, OSError) as exc:
            errors.append(str(exc))
            continue
        if proc.returncode == 0:
            return proc.stdout.strip()
        errors.append(proc.stderr.strip())
    raise BenchError(f"psql as {superuser} failed: {' | '.join(errors)}")


def _pg_connect_perf():
    import psycopg

    return psycopg.connect(PG_DSN, autocommit=True, connect_timeout=5)


def ensure_pg_perf_db() -> None:
    """Make sure role and database `perf` (password `perf`) exist on 127.0.0.1:5432."""
    try:
        with _pg_connect_perf() as con:
            con.execute("SELECT 1")
        return
    except Exception as exc:
        first_error = exc
    log(f"PostgreSQL role/db perf not usable ({str(first_error).strip()}); creating them ...")
    if _psql_as_superuser("SELECT 1 FROM pg_roles WHERE rolname = 'perf'") != "1":
        _psql_as_superuser("CREATE ROLE perf LOGIN PASSWORD 'perf'")
    else:
        _psql_as_superuser("ALTER ROLE perf LOGIN PASSWORD 'perf'")
    if _psql_as_superuser("SELECT 1 FROM pg_database WHERE datname = 'perf'") != "1":
        _psql_as_superuser("CREATE DATABASE perf OWNER perf")
    try:
        with _pg_connect_perf() as con:
            con.execute("SELECT 1")
    except Exception as exc:
        raise BenchError(
            f"still cannot connect as perf after creating role and database: {exc}. "
            "Check pg_hba.conf allows password or trust auth for 127.0.0.1."
        ) from exc


def _reference_fingerprint() -> str:
    h = hashlib.sha256()
    for name in ("gen_data.py", "common.py"):
        h.update((REFERENCE_DIR / name).read_bytes())
    return h.hexdigest()[:16]


def _sqlite_ref_ok() -> bool:
    path = reference_sqlite_path()
    if not path.exists():
        return False
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            n = con.execute("SELECT count(*) FROM jobs").fetchone()[0]
            con.execute("SELECT rowid FROM jobs_fts LIMIT 1").fetchall()
        finally:
            con.close()
    except sqlite3.Error:
        return False
    return n == REFERENCE_JOBS


def _pg_ref_ok() -> bool:
    try:
        with _pg_connect_perf() as con:
            n = con.execute("SELECT count(*) FROM jobs").fetchone()[0]
            con.execute("SELECT tsv FROM jobs LIMIT 1").fetchall()
    except Exception:
        return False
    return n == REFERENCE_JOBS


def ensure_reference_data(backends: Sequence[str]) -> None:
    """Generate the reference data with the reference's own gen_data.py if missing or stale.

    gen_data.py takes no options: it always rebuilds both the SQLite file under PERFBASE/data
    and the PostgreSQL tables in db perf (100,000 jobs, 50 organisations, seed 42, ~1 min).
    A marker file records the fingerprint of gen_data.py + common.py it was built with.
    """
    if not REFERENCE_DIR.is_dir():
        raise BenchError(f"perf reference not found at {REFERENCE_DIR} (set PERF_REFERENCE)")
    if "postgresql" in backends:
        ensure_pg_perf_db()
    marker = perfbase() / "data" / "reference.fingerprint"
    fingerprint = _reference_fingerprint()
    fresh = marker.exists() and marker.read_text().strip() == fingerprint
    checks = {"sqlite": _sqlite_ref_ok, "postgresql": _pg_ref_ok}
    if fresh and all(checks[b]() for b in backends):
        return
    log(f"generating reference data with {REFERENCE_DIR / 'gen_data.py'} (PERFBASE={perfbase()})")
    env = dict(os.environ, PERFBASE=str(perfbase()), PYTHONDONTWRITEBYTECODE="1")
    proc = subprocess.run(
        [sys.executable, str(REFERENCE_DIR / "gen_data.py")],
        cwd=REFERENCE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    for line in proc.stdout.splitlines():
        log("  gen_data: " + line)
    if proc.returncode != 0:
        # gen_data builds SQLite first, then PostgreSQL; accept a PG failure for sqlite-only runs.
        if "postgresql" in backends or not _sqlite_ref_ok():
            raise BenchError(f"gen_data.py failed:\n{proc.stderr[-3000:]}")
        log("  gen_data: PostgreSQL part failed; fine for a sqlite-only run")
        return
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(fingerprint + "\n")


def load_reference_common():
    """Import the reference's common.py (vocabulary, N_ORGS ...) under a private module name."""
    name = "perfref_common"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REFERENCE_DIR / "common.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def cpu_busy_pct(interval: float = 1.0) -> float | None:
    """Share of all CPUs in use over `interval` seconds (None without psutil).

    Call it while none of our servers or wrk run: anything above ~15 % is someone else's work
    (another benchmark, a test suite) and makes the figures unreliable."""
    try:
        import psutil
    except ImportError:
        return None
    return psutil.cpu_percent(interval=interval)


def wait_for_quiet(max_wait: float = 60.0, threshold: float = 15.0) -> float | None:
    """Wait (bounded) until the machine is below `threshold` % CPU busy; return the last
    measurement. Logs a warning if it stays busy."""
    start = time.monotonic()
    busy = cpu_busy_pct()
    if busy is not None and busy > threshold:
        log(f"  machine busy ({busy:.0f} % CPU by other processes); waiting up to {max_wait:.0f} s")
    while busy is not None and busy > threshold and time.monotonic() - start < max_wait:
        busy = cpu_busy_pct(2.0)
    if busy is not None and busy > threshold:
        log(f"  WARNING: machine still {busy:.0f} % busy; absolute figures are unreliable")
    return busy
