"""`deelkracht worker`: an RQ worker plus the sweeper and schedules, for ``REDIS_URL``.

The worker runs jobs in its own process (``SimpleWorker``): WeasyPrint's cold start (import and
first render) is paid once at start, not per job. A sweeper thread re-enqueues outbox rows whose
enqueue was lost (Redis was down when the request committed) and runs the periodic schedules.
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


def _sweeper(app: Flask, stop: threading.Event) -> None:
    from worker.delivery import sweep
    from worker.schedules import run_due_schedules

    while not stop.wait(SWEEP_SECONDS):
        with app.app_context():
            try:
                connection = redis_connection()
                # One sweeper at a time across worker processes.
                if connection.set("deelkracht:sweeper", "1", nx=True, ex=SWEEP_SECONDS - 1):
                    sweep()
                    run_due_schedules(connection)
            except Exception as exc:
                log.warning("sweep failed: %r", exc)
            finally:
                from app.extensions import db

                db.session.remove()


def run_worker(app: Flask, *, burst: bool = False) -> None:
    with app.app_context():
        warm_up()
        connection = redis_connection()
        queue = get_queue(connection)
        stop = threading.Event()
        if not burst:
            threading.Thread(target=_sweeper, args=(app, stop), daemon=True).start()
        worker = SimpleWorker([queue], connection=connection, serializer=JSONSerializer)
        try:
            worker.work(burst=burst, with_scheduler=not burst)
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
