"""The background thread that puts committed outbox rows on the RQ queue.

An enqueue to a dead Redis blocks for the socket timeout (or fails at once when the port is
closed). A request only puts ids on an in-memory queue, which never blocks; one daemon thread per
process and app does the enqueueing. When Redis fails, the thread drops what is waiting: the rows
stay ``pending`` in the database and the sweeper (``deelkracht worker``) enqueues them later, so
nothing is lost and nothing waits in memory for long.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time

from flask import Flask

from app.outbox.queue import enqueue_delivery, redis_connection

log = logging.getLogger(__name__)

#: Ids waiting in memory at most; beyond this the sweeper picks the rows up.
MAX_WAITING = 10_000
_EXTENSION = "deelkracht_outbox_enqueuer"
_create_lock = threading.Lock()


class Enqueuer:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self.pid = os.getpid()
        self.waiting: queue.Queue[tuple[int, int]] = queue.Queue(MAX_WAITING)
        self.thread = threading.Thread(
            target=self._run, name="deelkracht-outbox-enqueuer", daemon=True
        )
        self.thread.start()

    def submit(self, items: list[tuple[int, int]]) -> None:
        """Hand ids to the thread. Never blocks: a full queue leaves the rest to the sweeper."""
        for item in items:
            try:
                self.waiting.put_nowait(item)
            except queue.Full:
                log.warning("outbox enqueue queue full; outbox %s left for the sweeper", item[0])
                return

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait until every submitted id was enqueued or dropped (shutdown and tests)."""
        deadline = time.monotonic() + timeout
        while self.waiting.unfinished_tasks:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.01)
        return True

    def _run(self) -> None:
        connection = None
        while True:
            outbox_id, arrangement_id = self.waiting.get()
            try:
                with self.app.app_context():
                    if connection is None:
                        connection = redis_connection()
                    enqueue_delivery(outbox_id, arrangement_id, connection=connection)
            except Exception as exc:  # Redis down: the sweeper enqueues these later
                connection = None
                dropped = self._drop_waiting()
                log.warning(
                    "enqueue of outbox %s failed (%r); %s row(s) left for the sweeper",
                    outbox_id,
                    exc,
                    dropped + 1,
                )
            finally:
                self.waiting.task_done()

    def _drop_waiting(self) -> int:
        dropped = 0
        while True:
            try:
                self.waiting.get_nowait()
            except queue.Empty:
                return dropped
            self.waiting.task_done()
            dropped += 1


def enqueuer(app: Flask) -> Enqueuer:
    """This process's enqueuer for the app (a new one after a fork: threads do not survive)."""
    current = app.extensions.get(_EXTENSION)
    if current is not None and current.pid == os.getpid() and current.thread.is_alive():
        return current
    with _create_lock:
        current = app.extensions.get(_EXTENSION)
        if current is None or current.pid != os.getpid() or not current.thread.is_alive():
            current = app.extensions[_EXTENSION] = Enqueuer(app)
        return current
