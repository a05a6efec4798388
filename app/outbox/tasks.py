"""RQ job functions. Arguments are ids only; each job sets its own arrangement context."""

from __future__ import annotations

import functools

from flask import current_app, has_app_context

from app import create_app
from app.extensions import db
from app.outbox.delivery import deliver, sweep
from tenants.context import set_arrangement

_app = None


def _worker_app():
    """One app per process for jobs run outside ``deelkracht worker`` (e.g. plain ``rq worker``):
    creating an app (and its database engine) per job would be slow and leak connections."""
    global _app
    if _app is None:
        _app = create_app()
    return _app


def in_app_context(func):
    """Run under the worker's app context (or this process's own app when RQ runs us
    elsewhere); each job ends with a fresh database session and no arrangement set."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if has_app_context():
            return _run(func, args, kwargs)
        with _worker_app().app_context():
            return _run(func, args, kwargs)

    return wrapper


def _run(func, args, kwargs):
    try:
        return func(*args, **kwargs)
    finally:
        set_arrangement(None)
        db.session.remove()


@in_app_context
def deliver_outbox(outbox_id: int, arrangement_id: int) -> str:
    return deliver(outbox_id, arrangement_id)


@in_app_context
def sweep_outbox() -> int:
    current_app.logger.debug("sweeping the outbox")
    return sweep()
