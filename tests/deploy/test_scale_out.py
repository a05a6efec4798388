"""Scale-out on one PostgreSQL and one Redis: two gunicorn processes, two workers
(``--without-scheduler``) and the scheduler, all real processes. Password-reset requests spread
over both web processes give exactly one e-mail each at a real SMTP server, and agreements
enqueued many times (and swept) are each rendered exactly once. The scheduler's own e-mails
(the weekly coordinator summary, due at its first run) may arrive too: each also exactly once."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from sqlalchemy import select

from app.matches import rendering
from app.matches.models import Agreement
from app.outbox.models import OutboxMessage
from tests.foundation.test_outbox_mail import free_port
from tests.matches.test_rendering import pending_agreement

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
AGREEMENTS = 4


def _start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )


def _stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _wait_ready(url: str, process: subprocess.Popen, log: Path, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url + "/readyz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        assert process.poll() is None, log.read_text()[-3000:]
        assert time.monotonic() < deadline, f"{url} not ready: {log.read_text()[-3000:]}"
        time.sleep(0.3)


def _deliveries(inbox) -> Counter:
    """(recipient, subject) of every message the SMTP server accepted, counted."""
    counted: Counter = Counter()
    for envelope in list(inbox.envelopes):
        subject = str(make_header(decode_header(message_from_bytes(envelope.content)["Subject"])))
        counted.update((recipient, subject) for recipient in envelope.rcpt_tos)
    return counted


def _resets(inbox) -> Counter:
    """Recipients of the password-reset e-mails (the ones carrying a reset link), counted."""
    return Counter(
        recipient
        for envelope in list(inbox.envelopes)
        if any(
            b"/wachtwoord-herstellen/" in (part.get_payload(decode=True) or b"")
            for part in message_from_bytes(envelope.content).walk()
        )
        for recipient in envelope.rcpt_tos
    )


def _request_reset(base: str, email: str) -> int:
    """The reset form as a browser fills it in: GET (session cookie, CSRF token), then POST."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(base + "/wachtwoord-vergeten", timeout=30) as response:
        token = CSRF.search(response.read().decode()).group(1)
    data = urllib.parse.urlencode({"email": email, "csrf_token": token}).encode()
    with opener.open(base + "/wachtwoord-vergeten", data=data, timeout=30) as response:
        return response.status  # 200 after following the redirect to /login


def test_two_web_processes_and_two_workers_deliver_once_and_render_once(
    make_app, schema, world, in_arrangement, redis_url, unique_queue, smtp_server, tmp_path
):
    controller, inbox = smtp_server
    ids = [pending_agreement(world, in_arrangement) for _ in range(AGREEMENTS)]
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DEELKRACHT_", "PROMETHEUS"))},
        "DATABASE_URL": schema.app_url,
        "REDIS_URL": redis_url,
        "RQ_QUEUE": unique_queue,
        "SECRET_KEY": "scale-out-test",
        "DEELKRACHT_INSTANCE": str(tmp_path),
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(controller.port),
        "BASE_URL": "http://deelkracht.test",
        "SESSION_COOKIE_SECURE": "false",
        "LOG_LEVEL": "WARNING",
    }
    ports = [free_port(), free_port()]
    processes: list[subprocess.Popen] = []
    try:
        for n, port in enumerate(ports):
            log = tmp_path / f"web{n}.log"
            processes.append(
                _start(
                    [
                        *(str(BIN / "gunicorn"), "--config", "python:app.gunicorn_conf"),
                        *("--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "4"),
                        "app:create_app()",
                    ],
                    env,
                    log,
                )
            )
        for n in range(2):
            processes.append(
                _start(
                    [str(BIN / "deelkracht"), "worker", "--without-scheduler"],
                    env,
                    tmp_path / f"worker{n}.log",
                )
            )
        processes.append(
            _start([str(BIN / "deelkracht"), "scheduler"], env, tmp_path / "sched.log")
        )
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        for n, base in enumerate(bases):
            _wait_ready(base, processes[n], tmp_path / f"web{n}.log")

        # Every user asks for a reset link, half through each web process, many at once.
        people = sorted(
            {
                person.email
                for part in (world.meer, world.elders)
                for org in vars(part).values()
                if hasattr(org, "org")
                for person in vars(org).values()
                if hasattr(person, "email")
            }
        )
        assert len(people) >= 20
        with ThreadPoolExecutor(8) as pool:
            statuses = list(
                pool.map(lambda i: _request_reset(bases[i % 2], people[i]), range(len(people)))
            )
        assert set(statuses) == {200}

        # The agreements: each enqueued three times, from here as a web process would.
        app = make_app(REDIS_URL=redis_url, RQ_QUEUE=unique_queue)
        with app.app_context():
            for _ in range(3):
                for agreement_id, arrangement_id, _ in ids:
                    rendering.enqueue(agreement_id, arrangement_id, 1)

        deadline = time.monotonic() + 120
        while True:
            received = _resets(inbox)
            states = []
            for agreement_id, arrangement_id, _ in ids:
                with in_arrangement(arrangement_id) as s:
                    row = s.get(Agreement, agreement_id)
                    states.append((row.status, row.attempts))
            if len(received) >= len(people) and all(st == "ready" for st, _ in states):
                break
            for process in processes:
                assert process.poll() is None, "a process died"
            assert time.monotonic() < deadline, (received, states)
            time.sleep(0.5)
        time.sleep(3)  # a second delivery, if any, would arrive now

        deliveries = _deliveries(inbox)
        assert _resets(inbox) == Counter({email: 1 for email in people})
        assert set(deliveries.values()) == {1}, deliveries  # nothing, of any kind, twice
        for part in (world.meer, world.elders):
            with in_arrangement(part.arrangement.id) as s:
                rows = s.scalars(select(OutboxMessage)).all()
                assert rows and {row.status for row in rows} == {"sent"}
                assert {row.attempts for row in rows} == {1}
        assert states == [("ready", 1)] * AGREEMENTS
    finally:
        _stop(processes)
        import redis

        connection = redis.Redis.from_url(redis_url)
        for key in connection.scan_iter(f"rq:*{unique_queue}*"):
            connection.delete(key)
        connection.close()
