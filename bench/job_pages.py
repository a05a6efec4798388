"""Job list and search pages: Deelkracht side by side with the bare reference page.

    python bench/job_pages.py --backend sqlite|postgresql|both [--duration 8] [--rounds 3]
    python bench/job_pages.py --backend both --quick        # smoke check: 3 s runs, 1 round

Per backend: rounds A/B/A/B of gunicorn -w 2 (sync) on 127.0.0.1 + wrk -t1 -c8 --latency,
the reference's jobs_app.py /jobs page (A) against ours (B); then in-process search latency,
reference FTS query against ours. Prints req/s, latency percentiles, ratios and the goals
(issue 16), each OK or MISSED: job list page >= 0.8x the reference page's req/s on SQLite and
>= 1.0x on PostgreSQL, search page >= 0.6x, in-process search p95 <= 1.5x the bare full-text
query's p95 (same run) and <= 10 ms. Exit status 1 when a goal is missed (--lenient: 0).
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import json
import os
import random
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness
from bench.harness import Comparison, Page, SearchBench, ServerSpec

BACKENDS = ("sqlite", "postgresql")
GOAL_RATIO = 0.6
#: The job list page against the reference page, per backend (issue 16).
GOAL_LIST_RATIO = {"sqlite": 0.8, "postgresql": 1.0}
GOAL_SEARCH_P95_MS = 10.0
#: Our in-process search p95 at most this many times the bare full-text query's p95.
GOAL_SEARCH_P95_RATIO = 1.5


def reference_paths(n: int = 500, prefix: str = "/jobs", seed: int = 12345) -> list[str]:
    """Paths with the distribution of the reference's jobs_random.lua: 3 distinct random
    organisations of the reference's 50, status=open, page 1..4."""
    n_orgs = harness.load_reference_common().N_ORGS
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        orgs = rng.sample(range(1, n_orgs + 1), 3)
        out.append(f"{prefix}?orgs={','.join(map(str, orgs))}&status=open&page={rng.randint(1, 4)}")
    return out


def reference_server_spec(backend: str) -> ServerSpec:
    """The bare reference: jobs_app.py's HTML /jobs page (25 rows + COUNT), driven by the
    reference's own jobs_random.lua. It has no search page; its search figure is the bare
    full-text query of BASELINE.md section 3, timed in-process."""
    return ServerSpec(
        name=f"reference-{backend}",
        app="jobs_app:app",
        chdir=harness.REFERENCE_DIR,
        env={"DB_URL": harness.reference_db_url(backend), "PERFBASE": str(harness.perfbase())},
        pages={
            "jobs": Page(
                paths=["/jobs?orgs=1,2,3&status=open&page=1"],
                lua=harness.REFERENCE_DIR / "jobs_random.lua",
                lua_env={"PATH_PREFIX": "/jobs", "EXTRA": ""},
            )
        },
        prepare=lambda: harness.ensure_reference_data([backend]),
        ready_path="/jobs?orgs=1&status=open&page=1",
        search=SearchBench(
            factory=harness.reference_search_factory(backend),
            queries=harness.search_queries(),
        ),
    )


def ours_server_spec(backend: str) -> ServerSpec:
    """Deelkracht's side of the comparison for `backend` ("sqlite" or "postgresql").

    Must return a harness.ServerSpec with:
      app      gunicorn WSGI spec "module:callable" importable from `chdir` (the repo root),
               e.g. "wsgi:app" or "app:create_app()"; served like the reference, gunicorn -w 2
               sync on a free 127.0.0.1 port.
      chdir    harness.REPO_ROOT.
      env      environment for the server (database URL for `backend`, secret key, config
               name ...); also applied while search.factory runs in-process.
      prepare  callable run once before the rounds: make sure the benchmark database exists
               with 100,000 jobs in 40 organisations and an employee who can log in; keep its
               files under harness.perfbase(), never in the repo.
      login    login(base_url) -> Cookie header value of a logged-in employee session, called
               after each server start; harness.form_login(base_url, "/login", {...}) does the
               usual form + CSRF dance.
      pages    {"jobs": Page(paths=[...]), "search": Page(paths=[...])}: the
               job-list and search URL paths (with query strings) the employee sees; each
               request picks one at random; every path must answer 200 for that session.
      search   SearchBench(factory, queries): factory() -> fn(query) running our search the
               way the search page does (same query, no HTTP), timed per call for p50/p95.

    It is bench/ours_jobs.py: the logged-in employee's /klussen (pages 1-4) and
    /klussen?q=<two words>, over bench/gen_ours.py's data, and app.pool.search.search_jobs
    in-process.
    """
    from bench.ours_jobs import server_spec

    return server_spec(backend)


def comparisons(backend: str) -> list[Comparison]:
    return [
        Comparison(
            "job list", ref_page="jobs", ours_page="jobs", goal_ratio=GOAL_LIST_RATIO[backend]
        ),
        Comparison(
            "search", ref_page="jobs", ours_page="search", goal_ratio=GOAL_RATIO, unloaded=True
        ),
    ]


COMPARISONS = comparisons("sqlite")  # the SQLite goals; run_backend uses its backend's


def _verdict(ok: bool | None) -> str:
    return "" if ok is None else ("OK" if ok else "MISSED")


def run_backend(backend: str, args: argparse.Namespace) -> dict:
    ref, ours = reference_server_spec(backend), ours_server_spec(backend)
    wanted = comparisons(backend)
    for spec in (ref, ours):
        if spec.prepare:
            spec.prepare()
    db_pid = harness.pg_postmaster_pid() if backend == "postgresql" else None
    harness.log(
        f"\n== {backend}: {ref.name} vs {ours.name} | gunicorn -w {ref.workers} "
        f"{ref.worker_class} | wrk -t{harness.WRK_THREADS} -c{args.connections} "
        f"-d{args.duration}s --latency | {args.rounds} round(s) A/B"
    )
    runs = harness.interleave(
        ref,
        ours,
        wanted,
        rounds=args.rounds,
        duration=args.duration,
        warmup=args.warmup,
        connections=args.connections,
        tag=backend,
        db_pid=db_pid,
        quiet_wait=args.quiet_wait,
    )
    results = harness.compare(runs, wanted)

    harness.log(f"\n{backend}: medians over {args.rounds} round(s); latency ms, CPU ms/request")
    harness.log(
        f"  {'page':12} {'side':9} {'req/s med (min-max)':>22} {'p50':>7} {'p90':>7} "
        f"{'p95':>7} {'p99':>7} {'srvCPU':>7} {'dbCPU':>7} {'err':>4}"
    )

    def row(label: str, side: str, rs: list) -> None:
        s = harness.summarize_runs(rs)
        harness.log(
            f"  {label:12} {side:9} {s['rps']:>22} {s['p50']:>7} {s['p90']:>7} {s['p95']:>7} "
            f"{s['p99']:>7} {s['cpu']:>7} {s['db']:>7} {s['errors']:>4}"
        )

    for r in results:
        row(r.label, "reference", r.ref_runs)
        row(r.label, "ours", r.ours_runs)
        pairs = ", ".join(f"{x:.2f}" for x in r.pair_ratios)
        harness.log(
            f"  {'':12} ratio ours/reference {r.ratio:.2f} (pairs: {pairs}); "
            f"goal >= {r.goal_ratio:.2f} {_verdict(r.meets_goal)}"
        )
    for r in results:
        if r.ours_unloaded:
            row(r.label + " c1", "reference", r.ref_unloaded)
            row(r.label + " c1", "ours", r.ours_unloaded)

    search = None
    if not args.no_search and ref.search and ours.search:
        if args.quiet_wait > 0:
            harness.wait_for_quiet(args.quiet_wait)
        per_round: list = []
        lat_ref, lat_ours = harness.interleave_latency(
            ref, ours, rounds=args.rounds, repeat=args.search_repeat, per_round=per_round
        )
        ok_abs = lat_ours.p95_ms <= GOAL_SEARCH_P95_MS
        ratio = lat_ours.p95_ms / lat_ref.p95_ms if lat_ref.p95_ms else float("inf")
        ok_ratio = ratio <= GOAL_SEARCH_P95_RATIO
        pairs = ", ".join(f"{o.p95_ms / r.p95_ms:.2f}" for r, o in per_round if r.p95_ms)
        harness.log(
            f"  search in-process ({lat_ours.n} calls/side, {len(ours.search.queries)} queries): "
            f"reference p50 {lat_ref.p50_ms:.2f} p95 {lat_ref.p95_ms:.2f} ms | ours p50 "
            f"{lat_ours.p50_ms:.2f} p95 {lat_ours.p95_ms:.2f} ms"
        )
        harness.log(
            f"  {'':12} search p95 ours/reference {ratio:.2f} (pairs: {pairs}); goal <= "
            f"{GOAL_SEARCH_P95_RATIO:.1f} {_verdict(ok_ratio)}"
        )
        harness.log(
            f"  {'':12} search p95 {lat_ours.p95_ms:.2f} ms; goal <= {GOAL_SEARCH_P95_MS:.0f} ms "
            f"(on an idle machine; load {os.getloadavg()[0]:.2f}) {_verdict(ok_abs)}"
        )
        search = {
            "reference": dataclasses.asdict(lat_ref),
            "ours": dataclasses.asdict(lat_ours),
            "p95_ratio": ratio,
            "p95_pairs": [{"reference": r.p95_ms, "ours": o.p95_ms} for r, o in per_round],
            "goal_p95_ratio": GOAL_SEARCH_P95_RATIO,
            "goal_p95_ms": GOAL_SEARCH_P95_MS,
            "meets_goal": ok_ratio and ok_abs,
        }
    return {
        "backend": backend,
        "runs": {
            label: {side: [dataclasses.asdict(r) for r in rs] for side, rs in by_side.items()}
            for label, by_side in runs.items()
        },
        "comparisons": [
            {
                "label": r.label,
                "ref_rps": r.ref_rps,
                "ours_rps": r.ours_rps,
                "ratio": r.ratio,
                "pair_ratios": r.pair_ratios,
                "goal_ratio": r.goal_ratio,
                "meets_goal": r.meets_goal,
            }
            for r in results
        ],
        "search_in_process": search,
    }


def _reexec_in_venv() -> None:
    """Re-run under the repo's .venv when started with a Python that lacks gunicorn."""
    if importlib.util.find_spec("gunicorn") is not None:
        return
    venv = harness.REPO_ROOT / ".venv"
    venv_python = venv / "bin" / "python"
    if venv_python.exists() and Path(sys.prefix).resolve() != venv.resolve():
        os.execv(str(venv_python), [str(venv_python), *sys.argv])  # noqa: S606
    raise SystemExit("gunicorn is not importable: run with the project's venv (.venv/bin/python)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--backend", choices=[*BACKENDS, "both"], default="both")
    ap.add_argument("--duration", type=float, default=8.0, help="seconds per wrk run (default 8)")
    ap.add_argument("--rounds", type=int, default=3, help="A/B rounds (default 3)")
    ap.add_argument("--warmup", type=float, default=2.0, help="warm-up seconds per page")
    ap.add_argument("--connections", type=int, default=harness.CONNECTIONS)
    ap.add_argument("--quick", action="store_true", help="smoke check: 3 s runs, 1 round")
    ap.add_argument("--no-search", action="store_true", help="skip in-process search timing")
    ap.add_argument("--search-repeat", type=int, default=2, help="passes over the queries")
    ap.add_argument(
        "--quiet-wait",
        type=float,
        default=60.0,
        help="before each round wait up to this many seconds for other CPU load (default 60)",
    )
    ap.add_argument("--json", type=Path, help="also write the results to this JSON file")
    ap.add_argument("--strict", action="store_true", help="exit 1 if a goal is missed (default)")
    ap.add_argument("--lenient", action="store_true", help="exit 0 even if a goal is missed")
    args = ap.parse_args(argv)
    if args.quick:
        args.duration, args.rounds, args.warmup, args.quiet_wait = 3.0, 1, 1.0, 0.0
    if not 1 <= args.duration <= 60:
        ap.error("--duration must be between 1 and 60 seconds")

    _reexec_in_venv()
    try:
        harness.ensure_wrk()
        backends = list(BACKENDS) if args.backend == "both" else [args.backend]
        harness.ensure_reference_data(backends)
        harness.log(
            f"reference: {harness.REFERENCE_DIR} | PERFBASE: {harness.perfbase()} | "
            f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}"
        )
        report = {
            "when": time.strftime("%Y-%m-%d %H:%M:%S"),
            "duration": args.duration,
            "rounds": args.rounds,
            "connections": args.connections,
            "backends": [run_backend(b, args) for b in backends],
        }
    except harness.BenchError as exc:
        print(f"bench error: {exc}", file=sys.stderr)
        return 2

    out_dir = harness.perfbase() / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / f"job_pages_{time.strftime('%Y%m%d_%H%M%S')}.json"]
    if args.json:
        paths.append(args.json)
    for p in paths:
        p.write_text(json.dumps(report, indent=1))
    harness.log(f"\nresults written to {', '.join(map(str, paths))}")

    met = [c["meets_goal"] for b in report["backends"] for c in b["comparisons"]]
    met += [
        b["search_in_process"]["meets_goal"] for b in report["backends"] if b["search_in_process"]
    ]
    harness.log(f"uptime: {os.getloadavg()} (load average 1/5/15 min)")
    if not all(met):
        harness.log("job_pages: a goal was MISSED")
    return 1 if not args.lenient and not all(met) else 0


if __name__ == "__main__":
    sys.exit(main())
