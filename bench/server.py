"""gunicorn on a free port of 127.0.0.1: start, readiness wait, a bounded GET, clean stop."""

from __future__ import annotations

import contextlib
import http.client
import http.cookiejar
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from bench.base import BenchError, ServerSpec, perfbase

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
            *(("--config", spec.config) if spec.config else ()),
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
