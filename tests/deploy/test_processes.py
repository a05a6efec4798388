"""The processes a cluster runs: one scheduler (a Redis lease), workers without it, an init
container that waits for the schema; and what the web process answers for operations:
security.txt, HSTS over HTTPS, JSON logs with a request id and no personal data."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import redis

from app import logs
from app.outbox import schedules
from worker.runner import LEADER_KEY, SchedulerLease, run_scheduler, scheduler_round

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = str(Path(sys.executable).with_name("deelkracht"))


@pytest.fixture
def redis_connection(redis_url):
    connection = redis.Redis.from_url(redis_url)
    connection.delete(LEADER_KEY)
    yield connection
    connection.delete(LEADER_KEY)
    connection.close()


@pytest.mark.redis
def test_only_the_lease_holder_schedules(redis_connection):
    """Two schedulers: the first takes the lease and keeps renewing it; the second stays idle
    until the first releases it (or its lease runs out), then takes over."""
    first = SchedulerLease(redis_connection, holder="first", seconds=30)
    second = SchedulerLease(redis_connection, holder="second", seconds=30)
    assert first.acquire_or_renew()
    assert not second.acquire_or_renew()
    assert first.acquire_or_renew()  # renewing
    assert redis_connection.ttl(LEADER_KEY) > 20
    second.release()  # not the holder: changes nothing
    assert redis_connection.get(LEADER_KEY) == b"first"
    first.release()
    assert second.acquire_or_renew()
    assert not first.acquire_or_renew()
    # A holder that died: its lease runs out and another takes over.
    redis_connection.delete(LEADER_KEY)
    short = SchedulerLease(redis_connection, holder="short", seconds=1)
    assert short.acquire_or_renew()
    time.sleep(1.2)
    assert first.acquire_or_renew()


@pytest.mark.redis
def test_two_scheduler_processes_run_each_schedule_once(make_app, redis_url, redis_connection):
    """Two scheduler loops side by side (as during a rollout): a schedule due every round runs
    in one of them only, every round."""
    app = make_app(REDIS_URL=redis_url)
    runs: list[str] = []
    lock = threading.Lock()
    name = "test-every-round"

    def job():
        with lock:
            runs.append(threading.current_thread().name)

    schedules.SCHEDULES[name] = (1, job)
    redis_connection.delete(f"deelkracht:schedule:{name}")
    stop = threading.Event()
    threads = [
        threading.Thread(
            target=run_scheduler,
            kwargs={"app": app, "stop": stop, "interval": 0.2},
            name=f"scheduler-{n}",
        )
        for n in range(2)
    ]
    try:
        for thread in threads:
            thread.start()
        time.sleep(3.2)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=20)
        del schedules.SCHEDULES[name]
        redis_connection.delete(f"deelkracht:schedule:{name}")
    assert 2 <= len(runs) <= 4  # once a second, over ~3 s
    assert len(set(runs)) == 1, runs  # always the lease holder


@pytest.mark.redis
def test_a_round_without_the_lease_does_nothing(make_app, redis_url, redis_connection):
    app = make_app(REDIS_URL=redis_url)
    holder = SchedulerLease(redis_connection, holder="other")
    assert holder.acquire_or_renew()
    assert scheduler_round(app, SchedulerLease(redis_connection, holder="me")) is False
    holder.release()
    assert scheduler_round(app, SchedulerLease(redis_connection, holder="me")) is True


def _env(tmp_path, **extra) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DEELKRACHT_", "DATABASE", "REDIS", "MIGRATE"))
    }
    env.update(DEELKRACHT_INSTANCE=str(tmp_path), SECRET_KEY="test", **extra)
    return env


def test_wait_for_schema_waits_until_the_database_is_migrated(tmp_path):
    """The init container's command fails on an unmigrated database (after its timeout) and
    succeeds at once when the database is at the code's head."""
    url = f"sqlite:///{tmp_path / 'schema.db'}"
    env = _env(tmp_path, DATABASE_URL=url)
    waiting = subprocess.run(
        [SCRIPT, "wait-for-schema", "--timeout", "1", "--interval", "0.2"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert waiting.returncode != 0
    assert "needs" in waiting.stderr
    upgrade = subprocess.run(
        [SCRIPT, "db", "upgrade"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert upgrade.returncode == 0, upgrade.stderr[-2000:]
    ready = subprocess.run(
        [SCRIPT, "wait-for-schema", "--timeout", "5"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ready.returncode == 0, ready.stderr[-2000:]
    assert "schema at" in ready.stdout


def test_scheduler_alive_reads_the_heartbeat(tmp_path):
    heartbeat = tmp_path / "alive"
    env = _env(tmp_path)
    command = [SCRIPT, "scheduler-alive", "--heartbeat-file", str(heartbeat), "--max-age", "60"]
    assert subprocess.run(command, env=env, capture_output=True, timeout=60).returncode != 0
    heartbeat.touch()
    assert subprocess.run(command, env=env, capture_output=True, timeout=60).returncode == 0
    old = time.time() - 600
    os.utime(heartbeat, (old, old))
    assert subprocess.run(command, env=env, capture_output=True, timeout=60).returncode != 0


# --- what the web process answers -------------------------------------------------------------


def test_security_txt_from_configuration(make_app):
    assert make_app().test_client().get("/.well-known/security.txt").status_code == 404
    app = make_app(
        SECURITY_CONTACT="mailto:security@gemeente.example, https://gemeente.example/cvd",
        SECURITY_EXPIRES="2027-12-31T23:00:00Z",
    )
    response = app.test_client().get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert "Contact: mailto:security@gemeente.example" in lines
    assert "Contact: https://gemeente.example/cvd" in lines
    assert "Expires: 2027-12-31T23:00:00Z" in lines
    assert "Canonical: http://deelkracht.test/.well-known/security.txt" in lines


def test_hsts_only_over_https_when_configured(make_app):
    app = make_app(HSTS_MAX_AGE=31536000)
    client = app.test_client()
    assert "Strict-Transport-Security" not in client.get("/healthz").headers
    secure = client.get("/healthz", base_url="https://deelkracht.test")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"
    plain = make_app(HSTS_MAX_AGE=0).test_client()
    assert (
        "Strict-Transport-Security"
        not in plain.get("/healthz", base_url="https://deelkracht.test").headers
    )


def test_json_logs_carry_request_and_arrangement_but_no_personal_data(make_app, world, login):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("deelkracht.request")
    logger.addHandler(handler)
    logs.use_json(logger)
    previous_level = logger.level
    logger.setLevel(logging.INFO)
    try:
        app = make_app(LOG_FORMAT="json")
        client = app.test_client()
        emp = world.meer.ermelo.emp
        login(client, emp)
        response = client.get("/klussen?q=Jansen", headers={"X-Request-ID": "req-123"})
        assert response.headers["X-Request-ID"] == "req-123"
        given = client.get("/healthz", headers={"X-Request-ID": "not valid!"})
        assert len(given.headers["X-Request-ID"]) == 32  # replaced by a new one
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous_level)
    records = [json.loads(line) for line in stream.getvalue().splitlines()]
    jobs = next(r for r in records if r["request_id"] == "req-123")
    assert jobs["route"] == "/klussen" and jobs["status"] == 200 and jobs["method"] == "GET"
    assert {"time", "level", "logger", "message", "duration_ms"} <= set(jobs)
    assert jobs["arrangement_id"] == world.meer.arrangement.id
    text = stream.getvalue()
    for private in (emp.email, emp.name, "Jansen", "127.0.0.1"):
        assert private not in text


def test_publiccode_yml_describes_the_project():
    import yaml

    data = yaml.safe_load((ROOT / "publiccode.yml").read_text())
    assert data["publiccodeYmlVersion"].startswith("0.")
    assert data["name"] == "Deelkracht"
    assert data["legal"]["license"] == "EUPL-1.2"
    assert {"nl", "en"} <= set(data["description"])
    for language in ("nl", "en"):
        description = data["description"][language]
        assert description["shortDescription"] and len(description["shortDescription"]) <= 150
        assert len(description["longDescription"]) >= 150
        assert description["features"]
    assert data["maintenance"]["type"] in {"internal", "contract", "community", "none"}
    assert data["maintenance"]["contacts"]
    assert data["localisation"]["availableLanguages"] == ["nl", "en"]
    names = {d["name"] for d in data["dependsOn"]["open"]}
    assert {"PostgreSQL", "Redis"} <= names
    assert data["platforms"] == ["web"]
