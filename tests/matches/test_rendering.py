"""Rendering agreements in the background: one RQ job per (agreement, version), idempotent
(enqueued ten times → one file), a worker killed mid-render is retried by the sweeper, and a
failure is shown to HR with a retry button, never silent. The Redis tests run a real worker
(`deelkracht worker --burst`) in a child process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from app.matches import rendering
from app.matches.models import Agreement, Approval, Match
from app.transaction import commit
from tenants.models import Organisation
from tests.ids import api_id
from tests.matches.conftest import make_job

WORKER = str(Path(sys.executable).with_name("deelkracht"))


def pending_agreement(world, in_arrangement, **match_fields) -> tuple[int, int, int]:
    """An agreed match (all three approved) with version 1 of its agreement still pending."""
    meer = world.meer
    with in_arrangement(meer.arrangement.id) as s:
        job = make_job(
            s,
            meer.ermelo.org,
            department=meer.ermelo.team,
            poster=meer.ermelo.lead,
            title=match_fields.pop("job_title", "Projectleider Omgevingswet"),
        )
        match = Match(
            job_id=job.id,
            employee_id=meer.harderwijk.emp.id,
            proposed_by_id=meer.ermelo.lead.id,
            lending_organisation_id=meer.harderwijk.org.id,
            borrowing_organisation_id=meer.ermelo.org.id,
            status="agreed",
            hours_per_week=12,
            start_date=job.start_date,
            end_date=job.end_date,
            agreed_terms_version=1,
            employee_consented_at=job.created_at,
            **match_fields,
        )
        s.add(match)
        s.flush()
        for party, user in (
            ("employee", meer.harderwijk.emp),
            ("lending", meer.harderwijk.hr),
            ("borrowing", meer.ermelo.lead),
        ):
            s.add(Approval(match_id=match.id, party=party, decision="approve", by_id=user.id))
        agreement = Agreement(
            match_id=match.id, version=1, terms_version=1, terms=match.terms(), status="pending"
        )
        s.add(agreement)
        s.commit()
        return agreement.id, meer.arrangement.id, match.id


def state(in_arrangement, arrangement_id, agreement_id):
    with in_arrangement(arrangement_id) as s:
        row = s.get(Agreement, agreement_id)
        return row.status, row.attempts, row.sha256, (row.pdf or b"")[:5]


def run_worker(app, queue, *, delay=None, wait=True, timeout=120):
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": app.config["REDIS_URL"],
        "RQ_QUEUE": queue,
        "SECRET_KEY": "test-secret",
        "AGREEMENT_STALE_SECONDS": "2",
        "LOG_LEVEL": "WARNING",
    }
    env.pop(rendering.RENDER_DELAY_ENV, None)
    if delay:
        env[rendering.RENDER_DELAY_ENV] = str(delay)
    process = subprocess.Popen(
        [WORKER, "worker", "--burst"],
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    if wait:
        output, _ = process.communicate(timeout=timeout)
        assert process.returncode == 0, output.decode()[-3000:]
    return process


@pytest.fixture
def redis_app(make_app, app, redis_url, unique_queue):
    """An app on the test database that hands work to a real Redis (its own queue)."""
    yield make_app(REDIS_URL=redis_url, RQ_QUEUE=unique_queue, AGREEMENT_STALE_SECONDS=2)
    import redis

    connection = redis.Redis.from_url(redis_url)
    for key in connection.scan_iter(f"rq:*{unique_queue}*"):
        connection.delete(key)


@pytest.mark.redis
def test_enqueued_ten_times_renders_one_file(redis_app, world, in_arrangement, unique_queue):
    """The same (agreement, version) job enqueued ten times — by our dedupe and by raw RQ
    pushes — is rendered once: one claim, one PDF; a later run finds it ready and does
    nothing."""
    from app.outbox.queue import enqueue

    agreement_id, arrangement_id, _ = pending_agreement(world, in_arrangement)
    with redis_app.app_context():
        outcomes = [rendering.enqueue(agreement_id, arrangement_id, 1) for _ in range(10)]
        assert outcomes.count("enqueued") == 1
        for _ in range(9):  # a sweeper or a bug pushing the same job regardless
            enqueue(
                rendering.RENDER_JOB,
                agreement_id,
                arrangement_id,
                job_id=rendering.job_id(agreement_id, 1),
            )
    run_worker(redis_app, unique_queue)
    status, attempts, sha, head = state(in_arrangement, arrangement_id, agreement_id)
    assert (status, attempts, head) == ("ready", 1, b"%PDF-")
    with redis_app.app_context():
        assert rendering.enqueue(agreement_id, arrangement_id, 1) == "enqueued"
    run_worker(redis_app, unique_queue)
    assert state(in_arrangement, arrangement_id, agreement_id)[:3] == ("ready", 1, sha)
    with redis_app.app_context():
        assert rendering.render(agreement_id, arrangement_id) == "skipped"


@pytest.mark.redis
def test_a_worker_killed_mid_render_is_retried(redis_app, world, in_arrangement, unique_queue):
    """kill -9 of the worker after it claimed the render leaves a 'rendering' claim; once it is
    stale the sweeper hands the job out again and the next worker makes exactly one file."""
    agreement_id, arrangement_id, _ = pending_agreement(world, in_arrangement)
    with redis_app.app_context():
        assert rendering.enqueue(agreement_id, arrangement_id, 1) == "enqueued"
    worker = run_worker(redis_app, unique_queue, delay=60, wait=False)
    try:
        deadline = time.monotonic() + 90
        while state(in_arrangement, arrangement_id, agreement_id)[0] != "rendering":
            assert worker.poll() is None, worker.stdout.read().decode()[-3000:]
            assert time.monotonic() < deadline, "the worker never claimed the render"
            time.sleep(0.2)
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    assert state(in_arrangement, arrangement_id, agreement_id)[:2] == ("rendering", 1)

    with redis_app.app_context():
        assert rendering.due() == []  # a fresh claim belongs to a live worker
        time.sleep(2.5)
        assert rendering.due() == [(agreement_id, arrangement_id, 1)]
        assert rendering.sweep() == 1
    run_worker(redis_app, unique_queue)
    status, attempts, _, head = state(in_arrangement, arrangement_id, agreement_id)
    assert (status, attempts, head) == ("ready", 2, b"%PDF-")
    with in_arrangement(arrangement_id) as s:
        assert len(s.scalars(select(Agreement).where(Agreement.match_id.is_not(None))).all()) == 1


def test_a_failed_render_is_shown_to_hr_with_a_retry_button(
    app, world, in_arrangement, login, client, api_token
):
    """A faulty organisation template makes the render fail: HR sees the error and a retry
    button, the employee sees neither; after the template is fixed the retry renders it."""
    meer = world.meer
    with in_arrangement(meer.arrangement.id) as s:
        s.get(Organisation, meer.harderwijk.org.id).agreement_template = "{{ no_such.thing() }}"
        s.commit()
    agreement_id, arrangement_id, match_id = pending_agreement(world, in_arrangement)
    with app.app_context():
        assert rendering.render(agreement_id, arrangement_id) == "failed"
    status, attempts, _, _ = state(in_arrangement, arrangement_id, agreement_id)
    assert (status, attempts) == ("failed", 1)

    hr = app.test_client()
    login(hr, meer.harderwijk.hr)
    page = hr.get(f"/detacheringen/{api_id('match', match_id)}").get_data(as_text=True)
    assert "Mislukt" in page and "UndefinedError" in page and "Opnieuw maken" in page
    employee = app.test_client()
    login(employee, meer.harderwijk.emp)
    page = employee.get(f"/detacheringen/{api_id('match', match_id)}").get_data(as_text=True)
    assert "Mislukt" in page and "Opnieuw maken" not in page and "UndefinedError" not in page
    r = client.post(
        f"/api/v1/matches/{api_id('match', match_id)}/agreement/retry",
        headers=api_token(meer.harderwijk.emp),
    )
    assert r.status_code == 403
    assert (
        client.get(
            f"/api/v1/matches/{api_id('match', match_id)}", headers=api_token(meer.harderwijk.emp)
        ).get_json()["agreement"]["status"]
        == "failed"
    )

    with in_arrangement(meer.arrangement.id) as s:
        s.get(Organisation, meer.harderwijk.org.id).agreement_template = None
        s.commit()
    r = hr.post(f"/detacheringen/{api_id('match', match_id)}/overeenkomst/opnieuw")
    assert r.status_code == 302
    status, attempts, _, head = state(in_arrangement, arrangement_id, agreement_id)
    assert (status, attempts, head) == ("ready", 2, b"%PDF-")


def test_the_sweeper_renders_a_version_whose_enqueue_was_lost(app, world, in_arrangement):
    """Without Redis the sweep renders in-process what waited too long."""
    from datetime import timedelta

    from tenants.models import utcnow

    agreement_id, arrangement_id, _ = pending_agreement(world, in_arrangement)
    with app.app_context():
        assert rendering.due() == []
    with in_arrangement(arrangement_id) as s:
        row = s.get(Agreement, agreement_id)
        row.created_at = utcnow() - timedelta(seconds=rendering.LOST_PENDING_SECONDS + 5)
        s.commit()
    with app.app_context():
        assert rendering.sweep() == 1
        commit()
    assert state(in_arrangement, arrangement_id, agreement_id)[0] == "ready"
