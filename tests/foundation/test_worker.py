"""`deelkracht worker`: refuses to start without Redis, works the queue with it; without Redis
the web process sweeps and runs schedules itself."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from flask.cli import ScriptInfo
from sqlalchemy import select

from app.extensions import db
from app.outbox import schedules
from app.outbox.enqueuer import enqueuer
from app.outbox.models import OutboxMessage
from app.outbox.operations import record
from app.outbox.queue import get_queue
from app.outbox.sweeper import start_in_process
from tenants.context import use_arrangement
from tests.foundation.test_outbox import remove_queue
from worker.cli import cli
from worker.runner import run_worker

ROOT = Path(__file__).resolve().parents[2]


def sent(app) -> list:
    return getattr(app.extensions["mailman"], "outbox", [])


def test_the_worker_command_refuses_to_start_without_redis(app):
    """Without REDIS_URL the command stops with a message that says why."""
    result = app.test_cli_runner().invoke(
        cli, ["worker", "--burst"], obj=ScriptInfo(create_app=lambda: app)
    )
    assert result.exit_code != 0
    assert "REDIS_URL is not set" in result.output


def test_the_console_script_refuses_to_start_without_redis(tmp_path):
    """The installed `deelkracht worker`, in a clean environment, says REDIS_URL is missing."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DATABASE_URL"} and not key.startswith("DEELKRACHT_")
    }
    env.update(DEELKRACHT_INSTANCE=str(tmp_path), SECRET_KEY="x")
    script = Path(sys.executable).parent / "deelkracht"
    result = subprocess.run(
        [str(script), "worker"], env=env, capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert result.returncode != 0
    assert "REDIS_URL is not set" in result.stderr


@pytest.mark.redis
def test_run_worker_in_burst_mode_delivers_what_requests_queued(
    make_app, world, in_arrangement, redis_url, unique_queue
):
    """A request's side effect goes onto the RQ queue (by the background enqueuer) and
    run_worker(app, burst=True) delivers it, once."""
    import redis

    app = make_app(REDIS_URL=redis_url, RQ_QUEUE=unique_queue)
    emp = world.meer.ermelo.emp
    connection = redis.Redis.from_url(redis_url)
    try:
        response = app.test_client().post("/wachtwoord-vergeten", data={"email": emp.email})
        assert response.status_code == 302
        with app.app_context():
            assert enqueuer(app).wait_idle(10)
            assert get_queue().count == 1
        assert sent(app) == []
        assert run_worker(app, burst=True)
        with app.app_context():
            assert get_queue().count == 0
        assert [m.to for m in sent(app)] == [[emp.email]]
        with in_arrangement(world.meer.arrangement) as session:
            assert session.scalars(select(OutboxMessage.status)).all() == ["sent"]
    finally:
        remove_queue(connection, unique_queue)
        connection.close()


def test_without_redis_the_web_process_sweeps_the_outbox_itself(
    app, world, mail_outbox, only_test_schedules
):
    """The embedded default has no worker: start_in_process delivers rows left pending."""
    with app.app_context(), use_arrangement(world.meer.arrangement.id):
        record("accounts.password_reset", recipient_id=world.meer.ermelo.emp.id)
        db.session.commit()  # committed without dispatch: as if delivery had failed
    assert mail_outbox == []
    stop = start_in_process(app)
    try:
        deadline = time.monotonic() + 10
        while not mail_outbox and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
    assert [m.to for m in mail_outbox] == [[world.meer.ermelo.emp.email]]


@pytest.fixture
def only_test_schedules(monkeypatch):
    """The registered schedules of other domains are set aside during the test."""
    monkeypatch.setattr(schedules, "SCHEDULES", {})
    monkeypatch.setattr(schedules, "_last_run", {})


@pytest.fixture
def counting_schedule(only_test_schedules):
    name = f"test-{uuid.uuid4().hex[:8]}"
    runs = []
    schedules.register_schedules([(name, 3600, lambda: runs.append(1))])
    return name, runs


def test_schedules_run_once_per_interval_in_process(app, counting_schedule):
    """Without Redis a schedule runs once per interval in this process."""
    name, runs = counting_schedule
    with app.app_context():
        assert name in schedules.run_due_schedules()
        assert name not in schedules.run_due_schedules()
    assert runs == [1]


@pytest.mark.redis
def test_schedules_run_once_per_interval_across_workers(app, counting_schedule, redis_url):
    """With Redis a key per schedule makes one worker process run it once per interval."""
    import redis

    name, runs = counting_schedule
    first, second = redis.Redis.from_url(redis_url), redis.Redis.from_url(redis_url)
    try:
        with app.app_context():
            assert name in schedules.run_due_schedules(first)
            assert name not in schedules.run_due_schedules(second)
        assert runs == [1]
    finally:
        first.delete(f"deelkracht:schedule:{name}")
        first.close()
        second.close()


def test_a_failing_schedule_does_not_stop_the_others(app, only_test_schedules):
    """One schedule raising is logged; the next one still runs."""
    runs = []
    schedules.register_schedules(
        [("broken", 3600, lambda: 1 / 0), ("working", 3600, lambda: runs.append(1))]
    )
    with app.app_context():
        assert schedules.run_due_schedules() == ["working"]
    assert runs == [1]
