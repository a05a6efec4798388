"""`deelkracht demo` really serves the demo (Flask ignores app.run() inside its own CLI)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

DEELKRACHT = Path(sys.executable).with_name("deelkracht")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _api(base: str, path: str, body: dict | None = None, token: str | None = None):
    request = urllib.request.Request(
        base + path,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Content-Type": "application/json"}
        | ({"Authorization": f"Bearer {token}"} if token else {}),
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.loads(response.read() or b"null")


def test_the_demo_command_serves_the_login_page(tmp_path):
    """The README's demo command answers on the given host and port with the login page; its
    e-mails link to that port (not the default 5000), after the banner that ends the start-up
    log."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DEELKRACHT_INSTANCE=str(tmp_path), LOG_LEVEL="INFO")
    log_path = tmp_path / "demo.log"
    log_file = log_path.open("w")
    process = subprocess.Popen(
        [str(DEELKRACHT), "demo", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        page = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5) as r:
                    page = (r.status, r.read().decode())
                    server = r.headers.get("Server", "")
                    break
            except OSError:
                time.sleep(0.5)
        assert process.poll() is None, "the demo command exited instead of serving"
        assert page is not None and page[0] == 200
        assert "Inloggen" in page[1]
        # No software or version for an attacker to look up (issue 10, finding 9).
        assert server == "Deelkracht"

        # A response by a demo employee e-mails the job's posting side, linking to this port.
        base = f"http://127.0.0.1:{port}"
        _, token = _api(
            base,
            "/api/v1/auth/token",
            {"email": "medewerker2@zeewolde.example", "password": "demo-wachtwoord"},
        )
        _, jobs = _api(base, "/api/v1/jobs?perPage=50", token=token["token"])
        created = None
        for job in jobs["items"]:
            if job["organisation"]["slug"] == "zeewolde":
                continue
            try:
                created = _api(
                    base,
                    f"/api/v1/jobs/{job['id']}/applications",
                    {"motivation": "Graag!"},
                    token["token"],
                )
                break
            except urllib.error.HTTPError as exc:
                assert exc.code == 409  # responded already
        assert created is not None and created[0] == 201
        log = ""
        while time.monotonic() < deadline and "/reacties/" not in log:
            time.sleep(0.2)
            log = log_path.read_text()
        # The start-up: one line on the demo's e-mails, then the banner, ending with the
        # logins. What comes after it is what the running demo does (requests; e-mails of the
        # schedules, printed for the demo user to read).
        lines = [line for line in log.splitlines() if line.strip()]
        banner = next(i for i, line in enumerate(lines) if line.startswith("Demo ready: "))
        assert lines[banner].startswith(f"Demo ready: {base} "), lines[banner]
        assert len(lines[:banner]) <= 2, lines[:banner]
        assert not [line for line in lines[:banner] if "fontTools" in line or "weasyprint" in line]
        logins = next(i for i, line in enumerate(lines) if line.startswith("  per ORG:"))
        assert all(line.startswith("  ") for line in lines[banner + 1 : logins + 1]), lines
        assert f"{base}/reacties/" in log
        assert "127.0.0.1:5000" not in log
    finally:
        process.terminate()
        process.wait(timeout=20)
        log_file.close()
