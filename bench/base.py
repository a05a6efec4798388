"""The benchmark's settings and specs: where the reference and scratch data live, the server and
load settings of the reference's BASELINE.md, and what to serve, load and time."""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections.abc import Callable, Sequence
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
#: Our servers run with the settings they are deployed with (Dockerfile, Kubernetes).
OURS_CONFIG = "python:app.gunicorn_conf"
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
    config: gunicorn ``--config`` (ours: "python:app.gunicorn_conf", as deployed), or None.
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
    config: str | None = None
