"""Periodic work, run by the worker's sweeper (and in-process for the embedded default).

Each schedule is a name, an interval and a callable run under the app context. With Redis, a key
per schedule makes sure one worker process runs it once per interval; without it (the embedded
default, one process) this process keeps the times itself.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable

from app.extensions import db

log = logging.getLogger(__name__)

#: name → (interval in seconds, callable run under the app context). Each domain's ``init_app``
#: adds its ``tasks.SCHEDULES`` with :func:`register_schedules`; nothing registers on import.
SCHEDULES: dict[str, tuple[int, Callable[[], object]]] = {}
_last_run: dict[str, float] = {}


def register_schedules(schedules: Iterable[tuple[str, int, Callable[[], object]]]) -> None:
    """Add a domain's schedules, each (name, interval in seconds, callable)."""
    for name, every_seconds, func in schedules:
        SCHEDULES[name] = (every_seconds, func)


def _claim(connection, name: str, every: int) -> bool:
    if connection is not None:
        return bool(connection.set(f"deelkracht:schedule:{name}", "1", nx=True, ex=every))
    now = time.monotonic()
    last = _last_run.get(name)
    if last is not None and now - last < every:
        return False
    _last_run[name] = now
    return True


def run_due_schedules(connection=None) -> list[str]:
    """Run every schedule whose interval has passed; one failing schedule stops no other."""
    ran = []
    for name, (every, func) in SCHEDULES.items():
        if not _claim(connection, name, every):
            continue
        try:
            func()
            ran.append(name)
        except Exception:
            log.exception("schedule %s failed", name)
        finally:
            db.session.rollback()
    return ran
