"""RQ job functions. Arguments are ids only; each job sets its own arrangement context."""

from __future__ import annotations

import functools

from flask import current_app, has_app_context

from app.extensions import db


def in_app_context(func):
    """Run under the worker's app context (or a new one when RQ runs us elsewhere)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if has_app_context():
            try:
                return func(*args, **kwargs)
            finally:
                db.session.remove()
        from app import create_app

        with create_app().app_context():
            try:
                return func(*args, **kwargs)
            finally:
                db.session.remove()

    return wrapper


@in_app_context
def deliver_outbox(outbox_id: int, arrangement_id: int) -> str:
    from worker.delivery import deliver

    return deliver(outbox_id, arrangement_id)


@in_app_context
def sweep_outbox() -> int:
    from worker.delivery import sweep

    current_app.logger.debug("sweeping the outbox")
    return sweep()
