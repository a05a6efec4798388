"""Reusable load-benchmark harness: gunicorn + wrk on 127.0.0.1, side by side with the reference.

One name for the pieces in bench/base.py, prepare.py, server.py, wrk.py, rounds.py, latency.py and
workload.py, so that every benchmark says ``harness.X``.

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

from bench.base import (  # noqa: F401
    CONNECTIONS,
    OURS_CONFIG,
    PG_DSN,
    PG_URL,
    REFERENCE_DIR,
    REFERENCE_JOBS,
    REPO_ROOT,
    WORKER_CLASS,
    WORKERS,
    WRK_THREADS,
    BenchError,
    Page,
    SearchBench,
    ServerSpec,
    log,
    perfbase,
    reference_db_url,
    reference_sqlite_path,
)
from bench.latency import (  # noqa: F401
    LatencyStats,
    applied_env,
    interleave_latency,
    latency_stats,
    measure_latency,
    percentile,
    time_calls,
)
from bench.prepare import (  # noqa: F401
    _pg_connect_perf,
    _pg_ref_ok,
    _psql_as_superuser,
    _reference_fingerprint,
    _sqlite_ref_ok,
    cpu_busy_pct,
    ensure_pg_perf_db,
    ensure_reference_data,
    ensure_wrk,
    load_reference_common,
    wait_for_quiet,
)
from bench.rounds import (  # noqa: F401
    Comparison,
    ComparisonResult,
    Runs,
    compare,
    fmt_run,
    interleave,
    med_range,
    summarize_runs,
)
from bench.server import (  # noqa: F401
    _NO_REDIRECT_OPENER,
    READY_TIMEOUT,
    Server,
    _NoRedirect,
    free_port,
    http_get,
    preflight,
    start_server,
)
from bench.workload import (  # noqa: F401
    form_login,
    reference_search_factory,
    search_queries,
)
from bench.wrk import (  # noqa: F401
    _DONE_LUA,
    _PATHS_LUA,
    _UNIT_MS,
    WrkResult,
    _lua_quote,
    _proc_tree_cpu,
    _to_ms,
    parse_wrk,
    pg_postmaster_pid,
    run_page,
    run_wrk,
    write_wrk_script,
)
