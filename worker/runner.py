"""`deelkracht worker`: an RQ worker plus the sweeper and schedules, for ``REDIS_URL``.

The worker runs jobs in its own process (``SimpleWorker``): WeasyPrint's cold start (import and
first render) is paid once at start, not per job. A sweeper thread re-enqueues outbox rows whose
enqueue was lost (Redis was down when the request committed) and runs the periodic schedules.
Without Redis (the embedded default) :func:`start_in_process` runs the same sweep and schedules
in a thread of the web process.
"""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask
from rq import SimpleWorker
from rq.serializers import JSONSerializer

from worker.queue import get_queue, redis_connection

log = logging.getLogger(__name__)
SWEEP_SECONDS = 15


def sweep_once(app: Flask, connection=None) -> None:
    """One round of the sweeper: due outbox rows and due schedules."""
    from app.extensions import db
    from worker.delivery import sweep
    from worker.schedules import run_due_schedules

    with app.app_context():
        # The two halves fail independently: a broken outbox row must not stop the schedules.
        for name, step in (
            ("outbox sweep", sweep),
            ("schedules", lambda: run_due_schedules(connection)),
        ):
            try:
                step()
            except Exception as exc:
                log.warning("%s failed: %r", name, exc)
                db.session.rollback()
        db.session.remove()


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


def start_in_process(app: Flask) -> threading.Event:
    """The embedded default: sweep the outbox and run schedules in this process.

    Returns the event that stops the thread.
    """
    stop = threading.Event()

    def loop() -> None:
        sweep_once(app)
        while not stop.wait(SWEEP_SECONDS):
            sweep_once(app)

    threading.Thread(target=loop, name="deelkracht-in-process-sweeper", daemon=True).start()
    return stop


def run_worker(app: Flask, *, burst: bool = False) -> bool:
    """Work the queue (``burst``: until it is empty). Returns whether any job was done."""
    with app.app_context():
        warm_up()
        connection = redis_connection()
        queue = get_queue(connection)
        stop = threading.Event()
        if not burst:
            threading.Thread(target=_sweeper, args=(app, stop), daemon=True).start()
        worker = SimpleWorker([queue], connection=connection, serializer=JSONSerializer)
        try:
            return worker.work(burst=burst, with_scheduler=not burst)
        finally:
            stop.set()


def warm_up() -> None:
    started = time.monotonic()
    try:
        from app.matches import pdf

        pdf.warm_up()
    except ImportError:
        return
    log.info("WeasyPrint warmed up in %.2f s", time.monotonic() - started)
