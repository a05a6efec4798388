"""One bounded wrk run, its Lua scripts, its parsed output (req/s and percentiles) and the CPU
it cost the server and PostgreSQL."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import re
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from bench.base import CONNECTIONS, WRK_THREADS, BenchError, perfbase
from bench.prepare import ensure_wrk
from bench.server import Server

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
