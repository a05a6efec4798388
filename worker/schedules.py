"""Periodic work, run by the worker's sweeper (and in-process for the embedded default).

Each schedule is a name, an interval and a job path; a Redis key per schedule makes sure one
worker process runs it once per interval.
"""

from __future__ import annotations

from collections.abc import Callable

#: name → (interval in seconds, callable run under the app context)
SCHEDULES: dict[str, tuple[int, Callable[[], object]]] = {}


def schedule(name: str, every_seconds: int):
    def register(func):
        SCHEDULES[name] = (every_seconds, func)
        return func

    return register


def run_due_schedules(connection) -> list[str]:
    ran = []
    for name, (every, func) in SCHEDULES.items():
        if connection.set(f"deelkracht:schedule:{name}", "1", nx=True, ex=every):
            func()
            ran.append(name)
    return ran
