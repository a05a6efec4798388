"""Reusable load-benchmark harness: gunicorn + wrk on 127.0.0.1, side by side with the reference.

Everything here is bounded (wrk -d, subprocess timeouts) and local (127.0.0.1 only). The bare
reference lives in ../shared/perf-reference (override with PERF_REFERENCE); scratch data, logs and
generated wrk scripts go under PERFBASE (default /tmp/perfbase, the same default as the reference).

Building blocks:
  ServerSpec / Page / SearchBench   what to serve, which pages to load, what to time in-process
  start_server / Server             gunicorn on a free port, readiness wait, clean stop
  run_wrk / WrkResult               one bounded wrk run, parsed (req/s, p50/p75/p90/p95/p99)
  interleave / compare              rounds A/B/A/B, medians and ratio ours/reference per page
  measure_latency / interleave_latency   in-process function latency percentiles
  ensure_wrk / ensure_pg_perf_db / ensure_reference_data   self-installing set-up
  form_login                        log in through an HTML form, return a Cookie header value
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import http.client
import http.cookiejar
import importlib.util
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
REFERENCE_DIR = Path(
    os.environ.get("PERF_REFERENCE", REPO_ROOT.parent / "shared" / "perf-reference")
).resolve()
PG_URL = "postgresql+psycopg://perf:perf@127.0.0.1:5432/perf"
PG_DSN = "host=127.0.0.1 port=5432 dbname=perf user=perf password=perf"
REFERENCE_JOBS = 100_000

# Same server and load settings as the reference's BASELINE.md.
WORKERS = 2
WORKER_CLASS = "sync"
CONNECTIONS = 8
WRK_THREADS = 1


class BenchError(RuntimeError):
    """A benchmark precondition failed (missing tool, server down, login failed ...)."""


def perfbase() -> Path:
    """Scratch folder for data, logs and generated wrk scripts (env PERFBASE)."""
    base = Path(os.environ.get("PERFBASE", os.path.join(tempfile.gettempdir(), "perfbase")))
    base.mkdir(parents=True, exist_ok=True)
    return base


def reference_sqlite_path() -> Path:
    """The SQLite file written by the reference's gen_data.py (PERFBASE/data/jobs.sqlite)."""
    return perfbase() / "data" / "jobs.sqlite"


def reference_db_url(backend: str) -> str:
    """SQLAlchemy URL of the reference data for "sqlite" or "postgresql"."""
    if backend == "sqlite":
        return "sqlite:///" + str(reference_sqlite_path())
    if backend == "postgresql":
        return PG_URL
    raise ValueError(f"unknown backend {backend!r}")


def log(msg: str) -> None:
    print(msg, flush=True)


# --------------------------------------------------------------------------------------------
# Specs
# --------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Page:
    """One page to load with wrk.

    paths: request paths (with query string). Without `lua`, every request picks one at random
      (seeded); with `lua`, they are only used for the pre-flight check (must answer 200).
    lua: an existing wrk script that generates the paths itself (e.g. the reference's
      jobs_random.lua); lua_env is passed to wrk's environment for it.
    """

    paths: Sequence[str]
    lua: Path | None = None
    lua_env: dict[str, str] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class SearchBench:
    """In-process search timing: factory() returns fn(query) -> anything; each call is timed.

    factory runs in the benchmark process with the server spec's env applied to os.environ
    (and the spec's chdir on sys.path) while it runs, so it can import and set up the app there.
    """

    factory: Callable[[], Callable[[str], object]]
    queries: Sequence[str]


@dataclasses.dataclass
class ServerSpec:
    """A WSGI app to serve with gunicorn and the pages to measure on it.

    app: gunicorn app spec "module:callable" (e.g. "wsgi:app" or "app:create_app()").
    chdir: directory gunicorn imports from (put on sys.path).
    env: extra environment variables for the server (merged over os.environ).
    pages: page key -> Page; keys are what compare() refers to.
    login: login(base_url) -> Cookie header value ("session=..."), or None for no login.
      Called after every server start; the cookie goes to wrk with -H "Cookie: ...".
    prepare: called once before any server starts (create data, migrate ...).
    ready_path: polled until the server answers (any HTTP status) after start.
    search: optional in-process search timing.
    """

    name: str
    app: str
    chdir: Path
    env: dict[str, str] = dataclasses.field(default_factory=dict)
    pages: dict[str, Page] = dataclasses.field(default_factory=dict)
    login: Callable[[str], str | None] | None = None
    prepare: Callable[[], None] | None = None
    ready_path: str = "/"
    search: SearchBench | None = None
    workers: int = WORKERS
    worker_class: str = WORKER_CLASS
    threads: int = 1


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


# --------------------------------------------------------------------------------------------
# gunicorn
# --------------------------------------------------------------------------------------------


def free_port() -> int:
    """A currently free TCP port on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_NO_REDIRECT_OPENER = urllib.request.build_opener(_NoRedirect)


def http_get(url: str, cookie: str | None = None, timeout: float = 10.0) -> tuple[int, dict, bytes]:
    """GET without following redirects; returns (status, headers, body)."""
    req = urllib.request.Request(url)
    if cookie:
        req.add_header("Cookie", cookie)
    try:
        with _NO_REDIRECT_OPENER.open(req, timeout=timeout) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


class Server:
    """A running gunicorn master; use as a context manager or call stop()."""

    def __init__(self, spec: ServerSpec, proc: subprocess.Popen, port: int, log_path: Path):
        self.spec = spec
        self.proc = proc
        self.port = port
        self.log_path = log_path
        self.base_url = f"http://127.0.0.1:{port}"

    @property
    def pid(self) -> int:
        return self.proc.pid

    def url(self, path: str) -> str:
        return self.base_url + path

    def log_tail(self, n: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def stop(self, timeout: float = 20.0) -> None:
        """SIGTERM the master (it stops its workers); SIGKILL its process group if it hangs."""
        if self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)  # own session: only our processes
            self.proc.wait(timeout=10)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


#: Seconds a server may take to answer its ready path (a machine busy with other work boots
#: gunicorn and the app slowly): env PERF_READY_TIMEOUT.
READY_TIMEOUT = float(os.environ.get("PERF_READY_TIMEOUT", "180"))


def start_server(spec: ServerSpec, tag: str = "", ready_timeout: float = READY_TIMEOUT) -> Server:
    """Start `gunicorn -w 2 -k sync` for spec.app on a free 127.0.0.1 port and wait until ready."""
    logs = perfbase() / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{spec.name}_{tag}".strip("_"))
    log_path = logs / f"gunicorn_{safe}.log"
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    env.update(spec.env)
    last_error = ""
    for _attempt in range(3):  # the free port may be taken between probe and bind
        port = free_port()
        cmd = [
            sys.executable, "-m", "gunicorn",
            "-b", f"127.0.0.1:{port}",
            "-w", str(spec.workers),
            "-k", spec.worker_class,
            "--threads", str(spec.threads),
            "--backlog", "2048",
            "--chdir", str(spec.chdir),
            spec.app,
        ]  # fmt: skip
        with open(log_path, "w") as log_file:
            proc = subprocess.Popen(
                cmd,
                cwd=spec.chdir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=log_file,
                start_new_session=True,
            )
        server = Server(spec, proc, port, log_path)
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                break
            try:
                http_get(server.url(spec.ready_path), timeout=2)
                return server
            except (OSError, http.client.HTTPException):
                time.sleep(0.1)
        last_error = server.log_tail()
        server.stop()
        if "Address already in use" not in last_error:
            break
    raise BenchError(f"gunicorn for {spec.name} ({spec.app}) did not come up:\n{last_error}")


def preflight(server: Server, page_key: str, cookie: str | None, sample: int = 5) -> None:
    """Check that some of the page's paths answer 200 (not a redirect to the login page)."""
    page = server.spec.pages[page_key]
    paths = list(page.paths)
    if not paths:
        raise BenchError(f"{server.spec.name} page {page_key!r} has no paths")
    rng = random.Random(1)
    for path in [paths[0], *rng.sample(paths, min(sample, len(paths)))]:
        status, headers, body = http_get(server.url(path), cookie)
        if status != 200:
            where = headers.get("Location", "")
            raise BenchError(
                f"{server.spec.name} {path}: HTTP {status}"
                + (f" -> {where} (login failed or expired?)" if where else "")
                + f"\n{body[:500]!r}\n{server.log_tail(15)}"
            )


# --------------------------------------------------------------------------------------------
# wrk
# --------------------------------------------------------------------------------------------

_DONE_LUA = r"""
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%.0f,"duration_us":%.0f,"status_errors":%.0f,' ..
    '"connect_errors":%.0f,"read_errors":%.0f,"write_errors":%.0f,"timeout_errors":%.0f,' ..
    '"p50_us":%.1f,"p75_us":%.1f,"p90_us":%.1f,"p95_us":%.1f,"p99_us":%.1f,' ..
    '"max_us":%.1f,"mean_us":%.1f}\n',
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(75), latency:percentile(90),
    latency:percentile(95), latency:percentile(99), latency.max, latency.mean))
end
"""

_PATHS_LUA = r"""
local paths = {
%s
}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
end
function init(args)
  math.randomseed(4242 + (tid or 0))
end
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
"""


def _lua_quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def write_wrk_script(paths: Sequence[str] | None = None, lua: Path | None = None) -> Path:
    """Write a wrk script: random choice among `paths`, or `lua` wrapped; both report p95."""
    if lua is not None:
        body = f"dofile({_lua_quote(str(Path(lua).resolve()))})\n"
    elif paths:
        body = _PATHS_LUA % ",\n".join("  " + _lua_quote(p) for p in paths)
    else:
        body = ""
    body += _DONE_LUA
    digest = hashlib.sha256(body.encode()).hexdigest()[:16]
    out = perfbase() / "lua" / f"wrk_{digest}.lua"
    out.parent.mkdir(parents=True, exist_ok=True)
    if not out.exists():
        out.write_text(body)
    return out


@dataclasses.dataclass
class WrkResult:
    rps: float
    requests: int
    p50_ms: float
    p75_ms: float
    p90_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    non2xx: int  # non-2xx/3xx responses
    socket_errors: int
    connections: int
    duration_s: float
    server_cpu_ms_per_req: float | None = None
    db_cpu_ms_per_req: float | None = None
    other_load_pct: float | None = None  # CPU busy before the round started (cpu_busy_pct)


_UNIT_MS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _to_ms(text: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s|m)$", text)
    return float(m.group(1)) * _UNIT_MS[m.group(2)]


def parse_wrk(out: str, connections: int, duration: float) -> WrkResult:
    """Parse wrk --latency output plus the BENCH_JSON line of our done() hook."""
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if not m:
        raise BenchError(f"unexpected wrk output:\n{out}")
    pct = {}
    for p in ("50", "75", "90", "99"):
        pm = re.search(rf"^\s+{p}%\s+(\S+)", out, re.M)
        pct[p] = _to_ms(pm.group(1)) if pm else float("nan")
    extra = {}
    jm = re.search(r"^BENCH_JSON (\{.*\})$", out, re.M)
    if jm:
        extra = json.loads(jm.group(1))
    nm = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sm = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return WrkResult(
        rps=float(m.group(1)),
        requests=int(re.search(r"(\d+) requests in", out).group(1)),
        p50_ms=extra["p50_us"] / 1000 if extra else pct["50"],
        p75_ms=extra["p75_us"] / 1000 if extra else pct["75"],
        p90_ms=extra["p90_us"] / 1000 if extra else pct["90"],
        p95_ms=extra["p95_us"] / 1000 if extra else float("nan"),
        p99_ms=extra["p99_us"] / 1000 if extra else pct["99"],
        max_ms=extra["max_us"] / 1000 if extra else float("nan"),
        non2xx=int(nm.group(1)) if nm else 0,
        socket_errors=sum(int(x) for x in sm.groups()) if sm else 0,
        connections=connections,
        duration_s=duration,
    )


def _proc_tree_cpu(pid: int | None) -> float:
    """CPU seconds of a process and its direct children (gunicorn master + workers)."""
    if pid is None:
        return 0.0
    try:
        import psutil
    except ImportError:
        return 0.0
    total = 0.0
    try:
        p = psutil.Process(pid)
        procs = [p, *p.children()]
    except psutil.Error:
        return 0.0
    for q in procs:
        with contextlib.suppress(psutil.Error):
            t = q.cpu_times()
            total += t.user + t.system
    return total


def pg_postmaster_pid() -> int | None:
    """The PostgreSQL postmaster (oldest `postgres` process), for DB CPU per request."""
    try:
        import psutil
    except ImportError:
        return None
    procs = [
        p for p in psutil.process_iter(["name", "create_time"]) if p.info["name"] == "postgres"
    ]
    return min(procs, key=lambda p: p.info["create_time"]).pid if procs else None


def run_wrk(
    url: str,
    duration: float,
    *,
    connections: int = CONNECTIONS,
    threads: int = WRK_THREADS,
    paths: Sequence[str] | None = None,
    lua: Path | None = None,
    lua_env: dict[str, str] | None = None,
    cookie: str | None = None,
    headers: dict[str, str] | None = None,
    server_pid: int | None = None,
    db_pid: int | None = None,
) -> WrkResult:
    """One bounded `wrk -t1 -c8 -dNs --latency` run against a 127.0.0.1 URL.

    paths: random path per request (else `lua`, an existing wrk script; else the URL's path).
    cookie: value for the Cookie header (logged-in session). server_pid/db_pid: measure CPU.
    """
    if urllib.parse.urlsplit(url).hostname != "127.0.0.1":
        raise BenchError(f"refusing to load anything but 127.0.0.1: {url}")
    secs = max(1, round(duration))
    cmd = [
        ensure_wrk(), f"-t{threads}", f"-c{connections}", f"-d{secs}s",
        "--timeout", "5s", "--latency", "-s", str(write_wrk_script(paths, lua)),
    ]  # fmt: skip
    all_headers = dict(headers or {})
    if cookie:
        all_headers["Cookie"] = cookie
    for k, v in all_headers.items():
        cmd += ["-H", f"{k}: {v}"]
    cmd.append(url)
    env = dict(os.environ)
    env.update(lua_env or {})
    cpu0, db0 = _proc_tree_cpu(server_pid), _proc_tree_cpu(db_pid)
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=secs + 30)
    cpu1, db1 = _proc_tree_cpu(server_pid), _proc_tree_cpu(db_pid)
    if proc.returncode != 0:
        raise BenchError(f"wrk failed ({proc.returncode}): {proc.stderr.strip()}\n{proc.stdout}")
    result = parse_wrk(proc.stdout, connections, secs)
    if result.requests:
        if server_pid:
            result.server_cpu_ms_per_req = 1000 * (cpu1 - cpu0) / result.requests
        if db_pid:
            result.db_cpu_ms_per_req = 1000 * (db1 - db0) / result.requests
    return result


def run_page(
    server: Server,
    page_key: str,
    duration: float,
    *,
    cookie: str | None = None,
    connections: int = CONNECTIONS,
    db_pid: int | None = None,
) -> WrkResult:
    """run_wrk for one Page of a running server (paths or its own lua script)."""
    page = server.spec.pages[page_key]
    return run_wrk(
        server.url(page.paths[0]),
        duration,
        connections=connections,
        paths=None if page.lua else page.paths,
        lua=page.lua,
        lua_env=page.lua_env,
        cookie=cookie,
        server_pid=server.pid,
        db_pid=db_pid,
    )


# --------------------------------------------------------------------------------------------
# Interleaved A/B rounds
# --------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Comparison:
    """Compare ours.pages[ours_page] against reference.pages[ref_page] under `label`.

    goal_ratio: minimum ours/reference req/s. unloaded: also pair 1-connection runs of both
    pages (unloaded latency, p50/p95)."""

    label: str
    ref_page: str
    ours_page: str
    goal_ratio: float | None = None
    unloaded: bool = False


@dataclasses.dataclass
class ComparisonResult:
    label: str
    ref_rps: float  # median over rounds
    ours_rps: float
    ratio: float  # ours median / reference median
    pair_ratios: list[float]  # ours/reference of each back-to-back pair (one per round)
    goal_ratio: float | None
    ref_runs: list[WrkResult]
    ours_runs: list[WrkResult]
    ref_unloaded: list[WrkResult]  # 1-connection runs, if Comparison.unloaded
    ours_unloaded: list[WrkResult]

    @property
    def meets_goal(self) -> bool | None:
        return None if self.goal_ratio is None else self.ratio >= self.goal_ratio


# label (label + "@c1" for unloaded runs) -> {"reference": [runs], "ours": [runs]}
Runs = dict[str, dict[str, list[WrkResult]]]


def interleave(
    reference: ServerSpec,
    ours: ServerSpec,
    comparisons: Sequence[Comparison],
    *,
    rounds: int,
    duration: float,
    warmup: float = 2.0,
    connections: int = CONNECTIONS,
    unloaded_duration: float | None = None,
    tag: str = "",
    db_pid: int | None = None,
    quiet_wait: float = 0.0,
) -> Runs:
    """Interleaved A/B rounds, reference (A) against ours (B).

    Each round starts a fresh gunicorn for both apps side by side (an idle sync server costs no
    CPU), logs in, checks every page answers 200 and warms every page up; then, per comparison,
    it loads the reference page and right after it our page: A/B/A/B. Ratios come from these
    back-to-back pairs, so the shared machine's drift hits both sides alike. db_pid: the
    PostgreSQL postmaster, to report DB CPU per request (see pg_postmaster_pid). quiet_wait:
    before each round wait up to that many seconds for other load to go (wait_for_quiet).
    """
    unloaded_duration = unloaded_duration or max(2.0, duration / 2)
    runs: Runs = {}
    sides = (("reference", reference), ("ours", ours))
    page_of = {"reference": "ref_page", "ours": "ours_page"}
    for rnd in range(1, rounds + 1):
        busy = wait_for_quiet(quiet_wait) if quiet_wait > 0 else cpu_busy_pct(0.5)
        if busy is not None:
            log(f"  round {rnd}: other load before the round {busy:.0f} % CPU")
        with contextlib.ExitStack() as stack:
            servers, cookies = {}, {}
            for side, spec in sides:
                servers[side] = stack.enter_context(start_server(spec, tag=f"{tag}_{side}"))
                cookies[side] = spec.login(servers[side].base_url) if spec.login else None
            for side, _spec in sides:
                keys = dict.fromkeys(getattr(c, page_of[side]) for c in comparisons)
                for key in keys:
                    preflight(servers[side], key, cookies[side])
                    if warmup > 0:
                        run_page(servers[side], key, warmup, cookie=cookies[side])
            for c in comparisons:
                plan = [(c.label, connections, duration)]
                if c.unloaded:
                    plan.append((c.label + "@c1", 1, unloaded_duration))
                for label, conns, secs in plan:
                    for side, _spec in sides:
                        key = getattr(c, page_of[side])
                        r = run_page(
                            servers[side], key, secs, cookie=cookies[side], connections=conns,
                            db_pid=db_pid,
                        )  # fmt: skip
                        r.other_load_pct = busy
                        runs.setdefault(label, {}).setdefault(side, []).append(r)
                        log(f"  round {rnd} {label:12} {side:9} {key:8} c{conns}: {fmt_run(r)}")
    return runs


def compare(runs: Runs, comparisons: Sequence[Comparison]) -> list[ComparisonResult]:
    """Medians per side and the ratio ours/reference per comparison."""
    out = []
    for c in comparisons:
        ref, ours = runs[c.label]["reference"], runs[c.label]["ours"]
        ref_med = statistics.median(r.rps for r in ref)
        ours_med = statistics.median(r.rps for r in ours)
        c1 = runs.get(c.label + "@c1", {})
        out.append(
            ComparisonResult(
                label=c.label,
                ref_rps=ref_med,
                ours_rps=ours_med,
                ratio=ours_med / ref_med if ref_med else float("nan"),
                pair_ratios=[o.rps / r.rps for r, o in zip(ref, ours, strict=True) if r.rps],
                goal_ratio=c.goal_ratio,
                ref_runs=ref,
                ours_runs=ours,
                ref_unloaded=c1.get("reference", []),
                ours_unloaded=c1.get("ours", []),
            )
        )
    return out


def med_range(values: Sequence[float], nd: int = 0) -> str:
    vals = [v for v in values if v == v]  # drop NaN
    if not vals:
        return "-"
    return f"{statistics.median(vals):,.{nd}f} ({min(vals):,.{nd}f}-{max(vals):,.{nd}f})"


def fmt_run(r: WrkResult) -> str:
    s = (
        f"{r.rps:,.0f} req/s, p50 {r.p50_ms:.2f} p90 {r.p90_ms:.2f} p95 {r.p95_ms:.2f} "
        f"p99 {r.p99_ms:.2f} ms"
    )
    if r.server_cpu_ms_per_req is not None:
        s += f", srv CPU {r.server_cpu_ms_per_req:.2f} ms/req"
    if r.db_cpu_ms_per_req is not None:
        s += f", db CPU {r.db_cpu_ms_per_req:.2f} ms/req"
    if r.non2xx or r.socket_errors:
        s += f", NON-2xx {r.non2xx}, socket errors {r.socket_errors}"
    return s


def summarize_runs(runs: Sequence[WrkResult]) -> dict[str, str]:
    """Median (min-max) strings of the main figures of several runs."""

    def med(attr: str) -> str:
        vals = [getattr(r, attr) for r in runs]
        vals = [v for v in vals if v is not None and v == v]  # drop None and NaN
        return f"{statistics.median(vals):.2f}" if vals else "-"

    return {
        "rps": med_range([r.rps for r in runs]),
        "p50": med("p50_ms"),
        "p90": med("p90_ms"),
        "p95": med("p95_ms"),
        "p99": med("p99_ms"),
        "cpu": med("server_cpu_ms_per_req"),
        "db": med("db_cpu_ms_per_req"),
        "errors": str(sum(r.non2xx + r.socket_errors for r in runs)),
    }


# --------------------------------------------------------------------------------------------
# In-process latency
# --------------------------------------------------------------------------------------------


@dataclasses.dataclass
class LatencyStats:
    n: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float


def percentile(sorted_values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile of an already sorted sequence."""
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, round(pct / 100 * len(sorted_values)) - 1))
    return sorted_values[k]


def latency_stats(samples_ms: Sequence[float]) -> LatencyStats:
    s = sorted(samples_ms)
    return LatencyStats(
        n=len(s),
        p50_ms=percentile(s, 50),
        p95_ms=percentile(s, 95),
        p99_ms=percentile(s, 99),
        mean_ms=statistics.fmean(s) if s else float("nan"),
        max_ms=s[-1] if s else float("nan"),
    )


def time_calls(
    fn: Callable[[str], object], inputs: Sequence[str], *, repeat: int = 1, warmup: int = 1
) -> list[float]:
    """Wall time in ms of fn(x) for each input, `repeat` passes after `warmup` untimed passes."""
    for _ in range(warmup):
        for x in inputs:
            fn(x)
    samples = []
    clock = time.perf_counter_ns
    for _ in range(repeat):
        for x in inputs:
            t0 = clock()
            fn(x)
            samples.append((clock() - t0) / 1e6)
    return samples


def measure_latency(
    fn: Callable[[str], object], inputs: Sequence[str], *, repeat: int = 3, warmup: int = 1
) -> LatencyStats:
    """In-process latency percentiles (p50/p95/p99) of fn over the inputs."""
    return latency_stats(time_calls(fn, inputs, repeat=repeat, warmup=warmup))


@contextlib.contextmanager
def applied_env(env: dict[str, str], path: Path | None = None) -> Iterator[None]:
    """Temporarily apply env vars (and put `path` first on sys.path)."""
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    added = path is not None and str(path) not in sys.path
    if added:
        sys.path.insert(0, str(path))
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        if added:
            with contextlib.suppress(ValueError):
                sys.path.remove(str(path))


def interleave_latency(
    reference: ServerSpec,
    ours: ServerSpec,
    *,
    rounds: int,
    repeat: int = 2,
    per_round: list | None = None,
) -> tuple[LatencyStats, LatencyStats]:
    """Time both search functions over their queries, alternating A/B per pass (one warm-up
    pass each, then rounds x repeat passes); pooled percentiles per side. With ``per_round``
    a list, (reference, ours) LatencyStats of each round are appended to it (the pairs)."""
    fns = {}
    for side, spec in (("reference", reference), ("ours", ours)):
        if spec.search is None:
            raise BenchError(f"{spec.name} has no SearchBench")
        with applied_env(spec.env, spec.chdir):
            fns[side] = spec.search.factory()
    samples: dict[str, list[float]] = {"reference": [], "ours": []}
    for side, spec in (("reference", reference), ("ours", ours)):
        time_calls(fns[side], spec.search.queries, repeat=0, warmup=1)
    for _ in range(rounds):
        this_round: dict[str, list[float]] = {"reference": [], "ours": []}
        for _ in range(repeat):  # A/B per pass over the queries
            for side, spec in (("reference", reference), ("ours", ours)):
                this_round[side] += time_calls(fns[side], spec.search.queries, repeat=1, warmup=0)
        for side in samples:
            samples[side] += this_round[side]
        if per_round is not None:
            per_round.append(
                (latency_stats(this_round["reference"]), latency_stats(this_round["ours"]))
            )
    return latency_stats(samples["reference"]), latency_stats(samples["ours"])


# --------------------------------------------------------------------------------------------
# Reference search (BASELINE.md section 3) and login helper
# --------------------------------------------------------------------------------------------


def search_queries(n: int = 100, seed: int = 7) -> list[str]:
    """Typical 2-word job searches: a job-title word plus a description word (deterministic)."""
    common = load_reference_common()
    titles = [w for w in common.TITLE_WORDS if w.isalpha()]
    # skip the ~30 function words at the head of the Zipf list; keep content words
    words = [w for w in common.DESC_WORDS[30:] if w.isalpha()]
    rng = random.Random(seed)
    return [f"{rng.choice(titles)} {rng.choice(words)}" for _ in range(n)]


def reference_search_factory(backend: str) -> Callable[[], Callable[[str], object]]:
    """The bare full-text query of BASELINE.md section 3, top-25 by rank, raw driver.

    SQLite: FTS5 MATCH, ORDER BY bm25. PostgreSQL: plainto_tsquery('dutch') on the stored
    tsvector with its GIN index, ORDER BY ts_rank. Both return (id, title) of 25 jobs.
    """

    def sqlite_factory():
        con = sqlite3.connect(f"file:{reference_sqlite_path()}?mode=ro", uri=True)
        sql = (
            "SELECT j.id, j.title FROM jobs_fts JOIN jobs j ON j.id = jobs_fts.rowid "
            "WHERE jobs_fts MATCH ? ORDER BY bm25(jobs_fts) LIMIT 25"
        )

        def search(q: str):
            match = " ".join('"' + w.replace('"', '""') + '"' for w in q.split())
            return con.execute(sql, (match,)).fetchall()

        return search

    def pg_factory():
        con = _pg_connect_perf()
        sql = (
            "SELECT id, title FROM jobs, plainto_tsquery('dutch', %s) q "
            "WHERE tsv @@ q ORDER BY ts_rank(tsv, q) DESC LIMIT 25"
        )

        def search(q: str):
            return con.execute(sql, (q,), prepare=True).fetchall()

        return search

    return {"sqlite": sqlite_factory, "postgresql": pg_factory}[backend]


def form_login(
    base_url: str,
    login_path: str,
    fields: dict[str, str],
    *,
    csrf_field: str | None = "csrf_token",
    expect_redirect: bool = True,
) -> str:
    """Log in through an HTML form and return the Cookie header value for wrk.

    GETs login_path, copies a hidden CSRF field (Flask-WTF's csrf_token) if present, POSTs
    `fields`, and returns all cookies set as "name=value; name2=value2". Raises BenchError if
    the POST does not redirect (the usual sign of a failed login) when expect_redirect is set.
    """
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    url = base_url + login_path
    try:
        with opener.open(url, timeout=10) as resp:
            html = resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        raise BenchError(f"GET {login_path}: HTTP {exc.code}") from exc
    data = dict(fields)
    if csrf_field:
        m = re.search(
            rf'name="{re.escape(csrf_field)}"[^>]*value="([^"]*)"'
            rf'|value="([^"]*)"[^>]*name="{re.escape(csrf_field)}"',
            html,
        )
        if m:
            data[csrf_field] = m.group(1) or m.group(2)
    req = urllib.request.Request(url, data=urllib.parse.urlencode(data).encode(), method="POST")
    req.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with opener.open(req, timeout=10) as resp:
            status = resp.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    if expect_redirect and status not in (301, 302, 303, 307, 308):
        raise BenchError(f"login at {login_path} failed: HTTP {status} (expected a redirect)")
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    if not cookie:
        raise BenchError(f"login at {login_path} set no cookie")
    return cookie
