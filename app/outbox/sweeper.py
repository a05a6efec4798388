"""The sweeper's round (due outbox rows, then due schedules) and the embedded default's thread.

A round is app work and needs no Redis: :func:`start_in_process` runs it in a thread of the web
process when there is no ``REDIS_URL`` (`deelkracht demo`); with Redis the worker processes
(:mod:`worker.runner`) run the same round under a lease.
"""

from __future__ import annotations

import logging
import threading

from flask import Flask

from app.extensions import db
from app.outbox.delivery import sweep
from app.outbox.schedules import run_due_schedules

log = logging.getLogger(__name__)
SWEEP_SECONDS = 15


def sweep_once(app: Flask, connection=None) -> None:
    """One round of the sweeper: due outbox rows and due schedules."""
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
