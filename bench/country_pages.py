"""The country-scale benchmark's single pages: the start page per role, the candidates page
and the coordinator's reports, timed with sequential requests on one fresh gunicorn, with the
server's CPU per request, the noise probe and the workers' RSS."""

from __future__ import annotations

import dataclasses
import datetime as dt
import statistics
import time
import urllib.parse

from bench import harness
from bench.country_servers import _login
from bench.harness import ServerSpec

GOAL_START_P95_MS = 50.0
GOAL_CANDIDATES_MS = 200.0
GOAL_REPORTS_MS = 500.0
ROLES = ("employee", "line_manager", "hr", "coordinator")


@dataclasses.dataclass
class Timing:
    label: str
    path: str
    n: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    goal_ms: float
    server_cpu_ms: float  # gunicorn CPU per request: what the machine's load does not inflate

    @property
    def ok(self) -> bool:
        return self.p95_ms <= self.goal_ms


def time_page(
    base: str, cookie: str, label: str, path: str, n: int, goal: float, server_pid: int
) -> Timing:
    """Sequential requests (one connection's worth: no queueing), after 2 warm-up requests;
    with the server's CPU time per request."""
    samples = []
    cpu0 = 0.0
    for i in range(n + 2):
        if i == 2:
            cpu0 = harness._proc_tree_cpu(server_pid)
        t0 = time.perf_counter()
        status, headers, _body = harness.http_get(base + path, cookie, timeout=60)
        ms = (time.perf_counter() - t0) * 1000
        if status != 200:
            where = headers.get("Location", "")
            raise harness.BenchError(f"{label} {path}: HTTP {status} {where}")
        if i >= 2:
            samples.append(ms)
    cpu = (harness._proc_tree_cpu(server_pid) - cpu0) * 1000 / max(1, n)
    s = harness.latency_stats(samples)
    return Timing(label, path, s.n, s.p50_ms, s.p95_ms, s.max_ms, goal, cpu)


def noise_probe(n: int = 5) -> float:
    """The perf reference's noise.py workload (a fixed pure-Python loop), median ms of n runs.
    BASELINE.md measured 100-146 ms on a quiet machine: the ratio says how much slower this
    machine is right now, for reading the absolute figures."""
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        acc = 0
        for i in range(2_000_000):
            acc += i * i % 7
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def worker_rss_mb(master_pid: int) -> list[float]:
    import psutil

    return [p.memory_info().rss / 2**20 for p in psutil.Process(master_pid).children()]


def _public_job_id(spec: ServerSpec, key: int) -> int:
    """The job's id in URLs (app/ids.py: paths carry public ids, not keys), under the server's
    key: its ``ID_KEY``, else the one derived from its ``SECRET_KEY``."""
    from app.ids import id_key, public_id

    config = {"ID_KEY": spec.env.get("ID_KEY"), "SECRET_KEY": spec.env["SECRET_KEY"]}
    return public_id("job", key, key=id_key(config))


def single_pages(spec: ServerSpec, meta: dict, args) -> tuple[list[Timing], list[float]]:
    """One fresh gunicorn -w 2: warm the list and search pages, then time the start page per
    role, the candidates page and the coordinator's reports; then the workers' RSS."""
    accounts = meta["accounts"]
    today = dt.date.fromisoformat(meta["generated_on"])
    years = meta["scale"]["years"]
    start = dt.date(today.year - years, today.month, min(today.day, 28)) + dt.timedelta(days=1)
    period = urllib.parse.urlencode({"van": start.isoformat(), "tot": today.isoformat()})
    timings: list[Timing] = []
    with harness.start_server(spec, tag="single") as server:
        cookies = {role: _login(accounts[role])(server.base_url) for role in ROLES}
        for key in ("jobs", "search"):
            harness.run_page(server, key, args.warmup + 1, cookie=cookies["employee"])
        n = args.samples
        for role in ROLES:
            timings.append(
                time_page(
                    server.base_url,
                    cookies[role],
                    f"start page ({role})",
                    "/start",
                    n,
                    GOAL_START_P95_MS,
                    server.pid,
                )
            )
        job = _public_job_id(spec, meta["candidates_job"])
        timings.append(
            time_page(
                server.base_url,
                cookies["hr"],
                "candidates for a job (HR)",
                f"/klussen/{job}/kandidaten",
                n,
                GOAL_CANDIDATES_MS,
                server.pid,
            )
        )
        for label, path in (
            ("report: placements", "/rapportages"),
            ("report: participation", "/rapportages/deelname"),
        ):
            timings.append(
                time_page(
                    server.base_url,
                    cookies["coordinator"],
                    f"{label} ({years} y)",
                    f"{path}?{period}",
                    max(5, n // 2),
                    GOAL_REPORTS_MS,
                    server.pid,
                )
            )
        rss = worker_rss_mb(server.pid)
    return timings, rss
