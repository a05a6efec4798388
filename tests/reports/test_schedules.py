"""Scheduled work runs in the worker (its sweeper thread) and in-process for the embedded
default, each schedule once per interval; the coordinators' weekly summary holds numbers only."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.outbox import schedules
from app.outbox.models import OutboxMessage
from worker.runner import sweep_once

DAY, HOUR, WEEK = 24 * 3600, 3600, 7 * 24 * 3600

#: What the issue asks to run on a schedule, and how often.
EXPECTED = {
    "pool.job_upkeep": HOUR,  # expiry reminders (and expiring overdue jobs)
    "pool.offer_upkeep": HOUR,  # offers past their end close themselves
    "pool.weekly_digest": WEEK,  # the employees' weekly digest of new jobs
    "workspace.retention": DAY,  # retention: offers, responses, notifications, outbox, sessions
    "reports.coordinator_summary": WEEK,  # the coordinators' weekly summary
    "matches.agreements": 60,  # agreement renders a dead worker or lost enqueue left behind
    "matches.lifecycle": HOUR,  # agreed → active → completed
}


def test_the_expected_schedules_are_registered(app):
    """Creating the app (as the worker and the web process both do) registers every schedule
    with its interval."""
    registered = {name: every for name, (every, _func) in schedules.SCHEDULES.items()}
    assert {name: registered.get(name) for name in EXPECTED} == EXPECTED


@pytest.fixture
def counted(monkeypatch):
    """The real schedules under fresh names (no claim left in Redis by another test run
    counts), each wrapped to count its runs and successes."""
    token = uuid.uuid4().hex[:8]
    runs: dict[str, list[str]] = {}

    def wrap(name, func):
        def run():
            runs.setdefault(name, []).append("started")
            result = func()
            runs[name].append("done")
            return result

        return run

    copy = {
        f"test-{token}-{name}": (every, wrap(name, func))
        for name, (every, func) in schedules.SCHEDULES.items()
    }
    monkeypatch.setattr(schedules, "SCHEDULES", copy)
    monkeypatch.setattr(schedules, "_last_run", {})
    yield runs, copy
    monkeypatch.undo()


@pytest.mark.redis
def test_in_the_worker_every_schedule_runs_once_per_interval(
    make_app, app, world, redis_url, unique_queue, counted
):
    """The worker's sweeper round (sweep_once with Redis, as worker/runner.py's thread calls
    it) runs every schedule; a second round, in the same interval, runs none again."""
    import redis

    from tests.foundation.test_outbox import remove_queue

    runs, copy = counted
    worker_app = make_app(REDIS_URL=redis_url, RQ_QUEUE=unique_queue)
    first, second = redis.Redis.from_url(redis_url), redis.Redis.from_url(redis_url)
    try:
        sweep_once(worker_app, first)
        sweep_once(worker_app, second)
        assert {name: runs.get(name) for name in EXPECTED} == {
            name: ["started", "done"] for name in EXPECTED
        }
    finally:
        first.delete(*[f"deelkracht:schedule:{name}" for name in copy])
        remove_queue(first, unique_queue)
        first.close()
        second.close()


def test_in_process_every_schedule_runs_once_per_interval(app, world, counted):
    """The embedded default's sweeper (worker.runner.start_in_process runs sweep_once without
    Redis) runs every schedule once per interval too."""
    runs, _copy = counted
    sweep_once(app)
    sweep_once(app)
    assert {name: runs.get(name) for name in EXPECTED} == {
        name: ["started", "done"] for name in EXPECTED
    }


# --- the coordinators' weekly summary ------------------------------------------------------------


def _recent_placement(world, in_arrangement):
    """A placement agreed two days ago and running now (Zeewolde's emp_other at Ermelo)."""
    from tests.reports.seed import _job, _match

    meer = world.meer
    today = date.today()
    with in_arrangement(meer.arrangement.id) as s:
        job = _job(s, meer.ermelo.org, "Recente klus", 1, today - timedelta(days=20))
        _match(
            s, job, meer.zeewolde.emp_other, meer.ermelo.org, 8, today - timedelta(days=1),
            today + timedelta(days=30), "active", today - timedelta(days=2),
        )  # fmt: skip
        s.commit()


def test_the_weekly_summary_holds_numbers_only(app, world, in_arrangement, mail_outbox):
    """Each coordinator gets one summary a week, composed at delivery: open jobs, waiting
    proposals per party, placements agreed this week and running; no names or job titles."""
    from app.reports.summary import record_weekly_summaries
    from tests.reports.seed import seed

    seed(world, in_arrangement)
    _recent_placement(world, in_arrangement)
    with app.app_context():
        assert record_weekly_summaries() == 2  # meer's and elders' coordinator
        assert record_weekly_summaries() == 0  # once a week
    with in_arrangement(world.meer.arrangement.id) as s:
        rows = s.scalars(select(OutboxMessage).where(OutboxMessage.kind.like("reports.%"))).all()
        assert [(r.recipient_id, set(r.refs)) for r in rows] == [
            (world.meer.coordinator.id, {"week"})
        ]
        assert rows[0].status == "sent"
    mine = [m for m in mail_outbox if m.to == [world.meer.coordinator.email]]
    assert len(mine) == 1
    body = mine[0].body
    # Hand-counted from the seed: open O1–O5 (O4 and O5 older than 30 days); waiting W1–W4:
    # employee W1, W4; lending W2; borrowing W1–W4; one placement agreed two days ago, running.
    for line in (
        "Open klussen: 5 (waarvan 2 langer dan 30 dagen open)",
        "Voorstellen die op een besluit wachten: 4",
        "op de medewerker: 2",
        "op de uitlenende organisatie: 1",
        "op de inlenende organisatie: 4",
        "Detacheringen overeengekomen in de afgelopen 7 dagen: 1",
        "Lopende detacheringen: 1",  # the seed's placements all ended in 2023
    ):
        assert line in body, (line, body)
    meer = world.meer
    for secret in (
        meer.ermelo.emp2.name,  # W1 waits for this employee
        meer.zeewolde.emp_other.name,
        "Open O2",
        "Klus J2",
        "Recente klus",
    ):
        assert secret not in body and secret not in mine[0].subject


def test_a_summary_for_someone_no_longer_coordinator_is_dropped(
    app, world, in_arrangement, mail_outbox
):
    """Delivery checks the role again: a demoted coordinator's summary is not sent."""
    from app.accounts.models import User
    from app.outbox.delivery import deliver
    from app.reports.summary import KIND

    with in_arrangement(world.meer.arrangement.id) as s:
        from app.outbox.operations import record

        message = record(KIND, recipient_id=world.meer.coordinator.id, week="w2026_01")
        s.get(User, world.meer.coordinator.id).is_coordinator = False
        s.commit()  # committed without dispatch: delivered below
        message_id = message.id
    with app.app_context():
        assert deliver(message_id, world.meer.arrangement.id) == "dropped"
    assert mail_outbox == []
