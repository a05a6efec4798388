"""`deelkracht demo` really serves the demo (Flask ignores app.run() inside its own CLI)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

DEELKRACHT = Path(sys.executable).with_name("deelkracht")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_demo_command_serves_the_login_page(tmp_path):
    """The README's demo command answers on the given host and port with the login page."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DEELKRACHT_INSTANCE=str(tmp_path), LOG_LEVEL="WARNING")
    process = subprocess.Popen(
        [str(DEELKRACHT), "demo", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
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
    finally:
        process.terminate()
        process.wait(timeout=20)
