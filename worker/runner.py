"""`deelkracht worker`: an RQ worker plus the sweeper and schedules, for ``REDIS_URL``;
`deelkracht scheduler`: the sweeper and schedules alone, for a cluster.

The worker runs jobs in its own process (``SimpleWorker``): WeasyPrint's cold start (import and
first render) is paid once at start, not per job. A sweeper thread re-enqueues outbox rows whose
enqueue was lost (Redis was down when the request committed) and runs the periodic schedules.
Without Redis (the embedded default) :func:`start_in_process` runs the same sweep and schedules
in a thread of the web process.

On Kubernetes the workers run ``--without-scheduler`` and one ``deelkracht scheduler`` process
sweeps and schedules (:func:`run_scheduler`). It holds a lease in Redis: should a second one run
(a rollout, a node that seemed lost), only the lease holder schedules, so a schedule never runs
twice however the deployment scales.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from pathlib import Path

from flask import Flask
from rq import SimpleWorker
from rq.serializers import JSONSerializer

from app.matches import pdf
from app.outbox.queue import get_queue, redis_connection
from app.outbox.sweeper import SWEEP_SECONDS, sweep_once

log = logging.getLogger(__name__)


def _sweeper(app: Flask, stop: threading.Event) -> None:
    while not stop.wait(SWEEP_SECONDS):
        with app.app_context():
            connection = redis_connection()
        try:
            # One sweeper at a time across worker processes.
            if connection.set("deelkracht:sweeper", "1", nx=True, ex=SWEEP_SECONDS - 1):
                sweep_once(app, connection)
        except Exception as exc:
            log.warning("sweep failed: %r", exc)
        finally:
            connection.close()


LEADER_KEY = "deelkracht:scheduler:leader"
#: The lease outlives a few missed rounds, so a slow round keeps it; a dead holder's lease ends
#: after this long and another scheduler takes over.
LEASE_SECONDS = 3 * SWEEP_SECONDS
# Extend the lease only while we still hold it (compare and set, atomically in Redis).
_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('expire', KEYS[1], ARGV[2])
end
return 0
"""
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0
"""


class SchedulerLease:
    """Leadership among scheduler processes: a Redis key holding the holder's id, with expiry."""

    def __init__(self, connection, holder: str | None = None, seconds: int = LEASE_SECONDS):
        self.connection = connection
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.seconds = seconds

    def acquire_or_renew(self) -> bool:
        """True when this process holds the lease (newly taken or extended)."""
        if self.connection.set(LEADER_KEY, self.holder, nx=True, ex=self.seconds):
            return True
        return bool(self.connection.eval(_RENEW, 1, LEADER_KEY, self.holder, self.seconds))

    def release(self) -> None:
        self.connection.eval(_RELEASE, 1, LEADER_KEY, self.holder)


def scheduler_round(app: Flask, lease: SchedulerLease) -> bool:
    """One round: sweep and run due schedules if this process holds the lease. Returns whether
    it did."""
    if not lease.acquire_or_renew():
        return False
    sweep_once(app, lease.connection)
    return True


def run_scheduler(
    app: Flask,
    *,
    heartbeat: Path | None = None,
    stop: threading.Event | None = None,
    interval: float = SWEEP_SECONDS,
) -> None:
    """The scheduler process: a round every ``interval`` seconds until ``stop`` is set,
    touching ``heartbeat`` after each round (the liveness probe reads its age)."""
    stop = stop or threading.Event()
    with app.app_context():
        connection = redis_connection()
    lease = SchedulerLease(connection)
    log.info("scheduler %s started", lease.holder)
    try:
        while True:
            try:
                if scheduler_round(app, lease):
                    log.debug("scheduler round done by %s", lease.holder)
            except Exception as exc:
                log.warning("scheduler round failed: %r", exc)
            if heartbeat is not None:
                heartbeat.touch()
            if stop.wait(interval):
                break
    finally:
        try:
            lease.release()
        except Exception as exc:
            log.warning("could not release the scheduler lease: %r", exc)
        connection.close()


def run_worker(app: Flask, *, burst: bool = False, with_scheduler: bool = True) -> bool:
    """Work the queue (``burst``: until it is empty). Returns whether any job was done.

    ``with_scheduler=False`` leaves the sweeper and schedules to `deelkracht scheduler`.
    """
    with app.app_context():
        warm_up()
        connection = redis_connection()
        queue = get_queue(connection)
        stop = threading.Event()
        if not burst and with_scheduler:
            threading.Thread(target=_sweeper, args=(app, stop), daemon=True).start()
        worker = SimpleWorker([queue], connection=connection, serializer=JSONSerializer)
        try:
            return worker.work(burst=burst, with_scheduler=not burst)
        finally:
            stop.set()


def warm_up() -> None:
    started = time.monotonic()
    try:
        pdf.warm_up()
    except ImportError:
        return
    log.info("WeasyPrint warmed up in %.2f s", time.monotonic() - started)
