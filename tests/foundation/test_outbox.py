"""The outbox: a side effect is written in the same transaction as the change, delivered once
after the commit, never when the transaction rolls back, and not lost when Redis is down."""

from __future__ import annotations

import json
import socket
import threading
import time
import zlib
from datetime import timedelta

import pytest
from rq import SimpleWorker
from rq.serializers import JSONSerializer
from sqlalchemy import select, update

from app.accounts import operations
from app.extensions import db
from app.outbox.delivery import deliver, sweep
from app.outbox.enqueuer import enqueuer
from app.outbox.models import OutboxMessage
from app.outbox.operations import record
from app.outbox.queue import get_queue
from app.transaction import commit
from tenants.context import use_arrangement
from tenants.models import utcnow


def sent(app) -> list:
    """The e-mails an app has sent (Flask-Mailman's in-memory backend keeps them per app)."""
    return getattr(app.extensions["mailman"], "outbox", [])


def outbox_rows(in_arrangement, arrangement) -> list[OutboxMessage]:
    with in_arrangement(arrangement) as session:
        rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        session.expunge_all()
        return rows


def test_a_change_is_delivered_exactly_once_after_commit(app, world, in_arrangement, mail_outbox):
    """Nothing is sent before the commit; one e-mail after it; delivering or sweeping again
    sends nothing more."""
    emp = world.meer.ermelo.emp
    arrangement_id = world.meer.arrangement.id
    with app.app_context():
        operations.request_password_reset(emp.email)
        assert mail_outbox == []  # flushed in the transaction, not yet committed
        commit()
        assert len(mail_outbox) == 1
        (row,) = outbox_rows(in_arrangement, arrangement_id)
        assert row.status == "sent" and row.attempts == 1
        assert deliver(row.id, arrangement_id) == "skipped"
        assert deliver(row.id, arrangement_id) == "skipped"
        assert sweep() == 0
        assert sweep() == 0
    assert len(mail_outbox) == 1
    assert mail_outbox[0].to == [emp.email]


def test_nothing_is_sent_when_the_transaction_rolls_back(app, world, in_arrangement, mail_outbox):
    """A rolled-back change leaves no outbox row and sends nothing, now or at the next sweep."""
    with app.app_context():
        operations.request_password_reset(world.meer.ermelo.emp.email)
        db.session.rollback()
        commit()
        assert sweep() == 0
    assert mail_outbox == []
    assert outbox_rows(in_arrangement, world.meer.arrangement) == []


def test_a_rolled_back_savepoint_sends_only_what_was_kept(app, world, in_arrangement, mail_outbox):
    """Inside one transaction, a side effect of a rolled-back savepoint is not sent; the rest
    of the transaction's side effects are."""
    meer = world.meer
    with app.app_context(), use_arrangement(meer.arrangement.id):
        savepoint = db.session.begin_nested()
        record("accounts.password_reset", recipient_id=meer.ermelo.emp.id)
        savepoint.rollback()
        record("accounts.password_reset", recipient_id=meer.ermelo.emp2.id)
        commit()
    assert [m.to for m in mail_outbox] == [[meer.ermelo.emp2.email]]
    assert [r.status for r in outbox_rows(in_arrangement, meer.arrangement)] == ["sent"]


def test_outbox_rows_hold_ids_only(app, world):
    """record() refuses anything but ids and short codes: no names, addresses or texts."""
    with app.app_context(), use_arrangement(world.meer.arrangement.id):
        for bad in ({"email": "emp@ermelo.test"}, {"text": "Hallo daar, collega"}):
            with pytest.raises(ValueError):
                record("accounts.password_reset", recipient_id=world.meer.ermelo.emp.id, **bad)
        with pytest.raises(ValueError):
            record("accounts.password_reset", recipient_id="emp@ermelo.test")
        db.session.rollback()


def test_a_failed_delivery_stays_in_the_outbox_and_is_sent_later(make_app, world, in_arrangement):
    """When sending fails (the mail server is down) the page still answers, the row waits with
    a back-off, and a later sweep delivers it once."""
    emp = world.meer.ermelo.emp
    broken = make_app(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=1, MAIL_TIMEOUT=1)
    response = broken.test_client().post("/wachtwoord-vergeten", data={"email": emp.email})
    assert response.status_code == 302
    (row,) = outbox_rows(in_arrangement, world.meer.arrangement)
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.available_at > utcnow() and row.last_error
    assert sent(broken) == []

    working = make_app()
    with working.app_context():
        assert sweep() == 0  # not due yet: the back-off is respected
        with use_arrangement(world.meer.arrangement.id):
            db.session.execute(update(OutboxMessage).values(available_at=utcnow()))
            db.session.commit()
        assert sweep() == 1
        assert sweep() == 0
    assert len(sent(working)) == 1
    (row,) = outbox_rows(in_arrangement, world.meer.arrangement)
    assert (row.status, row.attempts) == ("sent", 2)


# --- Redis ---------------------------------------------------------------------------------


class SilentServer:
    """A TCP port that accepts connections and never answers: a hanging Redis."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.url = f"redis://127.0.0.1:{self.sock.getsockname()[1]}/0"

    def close(self) -> None:
        self.sock.close()


def remove_queue(connection, name: str) -> None:
    """Delete a test queue, its registries and its jobs from the shared Redis."""
    from rq import Queue

    queue = Queue(name, connection=connection)
    job_ids = set(queue.job_ids)
    for registry in (queue.finished_job_registry, queue.failed_job_registry):
        job_ids.update(registry.get_job_ids())
    for job_id in job_ids:
        connection.delete(f"rq:job:{job_id}", f"rq:results:{job_id}")
    for key in connection.scan_iter(f"rq:*{name}*"):
        connection.delete(key)


@pytest.fixture
def rq_cleanup(redis_url):
    """Removes the test queues' keys and jobs from the shared Redis afterwards."""
    import redis

    connection = redis.Redis.from_url(redis_url)
    queues = []
    yield queues.append
    for name in queues:
        remove_queue(connection, name)
    connection.close()


def job_hashes(queue) -> list[dict[bytes, bytes]]:
    return [queue.connection.hgetall(f"rq:job:{job_id}") for job_id in queue.job_ids]


def assert_ids_only_payload(raw: dict[bytes, bytes], outbox_id: int, arrangement_id: int, world):
    data = json.loads(zlib.decompress(raw[b"data"]))
    assert data == ["app.outbox.tasks.deliver_outbox", None, [outbox_id, arrangement_id], {}]
    everything = b" ".join(raw.values()).lower()
    emp = world.meer.ermelo.emp
    for secret in (emp.email, emp.name, "ermelo", "@"):
        assert secret.lower().encode() not in everything
    failure_ttl = int(raw[b"failure_ttl"])
    assert 0 < failure_ttl <= 30 * 24 * 3600
    assert 0 < int(raw[b"result_ttl"]) <= 3600


@pytest.mark.redis
@pytest.mark.parametrize("dead_redis", ["closed port", "hanging server"])
def test_a_dead_redis_neither_slows_the_page_nor_loses_the_email(
    make_app, world, in_arrangement, redis_url, unique_queue, rq_cleanup, dead_redis
):
    """With Redis unreachable the password-reset page answers at once (the enqueue happens in
    a background thread) and the outbox row waits; once Redis is back the sweeper and a
    worker deliver it exactly once, through a JSON job that carries ids only."""
    silent = SilentServer() if dead_redis == "hanging server" else None
    down = make_app(REDIS_URL=silent.url if silent else "redis://127.0.0.1:1/0")
    client = down.test_client()
    emp = world.meer.ermelo.emp
    arrangement_id = world.meer.arrangement.id
    try:
        client.get("/wachtwoord-vergeten")  # warm up: templates compiled
        started = time.monotonic()
        response = client.post("/wachtwoord-vergeten", data={"email": emp.email})
        elapsed = time.monotonic() - started
        assert response.status_code == 302
        assert elapsed < 0.5, f"the request waited {elapsed:.2f} s"
        with down.app_context():
            assert enqueuer(down).wait_idle(10)
    finally:
        if silent:
            silent.close()
    (row,) = outbox_rows(in_arrangement, arrangement_id)
    assert row.status == "pending"
    assert sent(down) == []

    rq_cleanup(unique_queue)
    up = make_app(REDIS_URL=redis_url, RQ_QUEUE=unique_queue)
    with up.app_context():
        assert sweep() == 1
        assert sweep() == 1  # still pending, so enqueued twice: delivery claims it once
        queue = get_queue()
        assert queue.count == 2
        for raw in job_hashes(queue):
            assert_ids_only_payload(raw, row.id, arrangement_id, world)
        worker = SimpleWorker([queue], connection=queue.connection, serializer=JSONSerializer)
        assert worker.work(burst=True)
        assert queue.count == 0
        assert sweep() == 0
    assert len(sent(up)) == 1
    assert sent(up)[0].to == [emp.email]
    (row,) = outbox_rows(in_arrangement, arrangement_id)
    assert row.status == "sent"


@pytest.mark.redis
def test_many_commits_against_a_hanging_redis_use_one_thread(make_app, world, in_arrangement):
    """Requests only hand ids to one background thread per process: a hanging Redis never
    piles up threads or blocks requests, and the rows wait for the sweeper."""
    silent = SilentServer()
    try:
        app = make_app(REDIS_URL=silent.url)
        client = app.test_client()
        # Other tests' apps keep their own idle enqueuer, and libraries start timers of their
        # own (limits' memory storage): count only the enqueuer threads this app started.
        before = {thread.ident for thread in threading.enumerate()}
        started = time.monotonic()
        ermelo = world.meer.ermelo
        for user in (ermelo.emp, ermelo.emp2, ermelo.emp_other, ermelo.lead, ermelo.hr):
            client.post("/wachtwoord-vergeten", data={"email": user.email})
        assert time.monotonic() - started < 2.5
        new = [t.name for t in threading.enumerate() if t.ident not in before]
        assert new.count("deelkracht-outbox-enqueuer") == 1, new
    finally:
        silent.close()
    rows = outbox_rows(in_arrangement, world.meer.arrangement)
    assert [r.status for r in rows] == ["pending"] * 5


def test_the_stale_claim_of_a_crashed_worker_is_taken_over(app, world, in_arrangement, mail_outbox):
    """A row left 'sending' by a worker that died is delivered by a later sweep, once."""
    meer = world.meer
    with app.app_context(), use_arrangement(meer.arrangement.id):
        message = record("accounts.password_reset", recipient_id=meer.ermelo.emp.id)
        message.status = "sending"
        message.claimed_at = utcnow() - timedelta(minutes=5)
        db.session.commit()  # not app.transaction.commit: no in-process delivery
        assert sweep() == 0  # claimed five minutes ago: maybe still being sent
        message.claimed_at = utcnow() - timedelta(hours=1)
        db.session.commit()
        assert sweep() == 1
        assert sweep() == 0
    assert len(mail_outbox) == 1


def test_two_workers_delivering_the_same_row_send_one_email(app, world, mail_outbox):
    """Delivery claims a row atomically: two deliveries racing for it send one e-mail."""
    meer = world.meer
    with app.app_context(), use_arrangement(meer.arrangement.id):
        message = record("accounts.password_reset", recipient_id=meer.ermelo.emp.id)
        db.session.commit()  # no dispatch: the two "workers" below deliver it
        outbox_id = message.id
    start = threading.Barrier(2)
    outcomes = []

    def work() -> None:
        with app.app_context():
            start.wait()
            outcomes.append(deliver(outbox_id, meer.arrangement.id))

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["sent", "skipped"]
    assert len(mail_outbox) == 1
