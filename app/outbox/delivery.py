"""Delivering outbox rows exactly once: claim atomically, build, send, mark."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.outbox.claims import claim, claimable, in_every_arrangement
from app.outbox.models import OutboxMessage
from app.outbox.queue import enqueue_delivery, redis_connection
from tenants.context import use_arrangement
from tenants.models import utcnow

log = logging.getLogger(__name__)

#: kind → handler(message) that sends the side effect (or returns False to drop it, e.g. when the
#: recipient may no longer know). Each domain's ``init_app`` adds its ``emails.HANDLERS`` with
#: :func:`register_handlers`; nothing registers on import.
HANDLERS: dict[str, Callable[[OutboxMessage], bool | None]] = {}
MAX_ATTEMPTS = 6
STALE_CLAIM = timedelta(minutes=10)


def register_handlers(handlers: Mapping[str, Callable[[OutboxMessage], bool | None]]) -> None:
    """Add a domain's outbox handlers (kind → handler). Per process: registering the same kind
    again (a second app in the same process) replaces it with the same function."""
    HANDLERS.update(handlers)


def deliver(outbox_id: int, arrangement_id: int) -> str:
    """Deliver one row. Returns "sent", "dropped", "retry", "failed" or "skipped"."""
    session = db.session()
    session.rollback()
    with use_arrangement(arrangement_id):
        now = utcnow()
        due = OutboxMessage.available_at <= now
        if not claim(OutboxMessage, outbox_id, due, working="sending", now=now, stale=STALE_CLAIM):
            return "skipped"  # delivered already, claimed by another worker, or not yet due
        message = session.get(OutboxMessage, outbox_id)
        try:
            func = HANDLERS[message.kind]
            outcome = "dropped" if func(message) is False else "sent"
            message.status = outcome
            message.sent_at = utcnow()
            message.last_error = None
        except Exception as exc:
            log.warning("delivery of outbox %s (%s) failed: %r", outbox_id, message.kind, exc)
            session.rollback()
            message = session.get(OutboxMessage, outbox_id)
            outcome = "failed" if message.attempts >= MAX_ATTEMPTS else "retry"
            message.status = "failed" if outcome == "failed" else "pending"
            message.available_at = utcnow() + timedelta(seconds=30 * 2**message.attempts)
            message.last_error = type(exc).__name__
        session.commit()
        return outcome


def due_messages(limit: int = 500) -> list[tuple[int, int]]:
    """Rows waiting for delivery in every arrangement (the sweeper's view)."""
    now = utcnow()
    found = in_every_arrangement(
        lambda: (
            select(OutboxMessage.id)
            .where(
                OutboxMessage.available_at <= now,
                claimable(OutboxMessage, "sending", now, STALE_CLAIM),
            )
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
    )
    return [(outbox_id, arrangement_id) for (outbox_id,), arrangement_id in found]


def sweep() -> int:
    """Hand every due row to delivery: enqueue on Redis, or deliver here without it.

    Enqueueing a row twice is harmless: :func:`deliver` claims a row once.
    """
    due = due_messages()
    if current_app.config.get("REDIS_URL"):
        connection = redis_connection()
        try:
            for outbox_id, arrangement_id in due:
                enqueue_delivery(outbox_id, arrangement_id, connection=connection)
        finally:
            connection.close()
    else:
        for outbox_id, arrangement_id in due:
            deliver(outbox_id, arrangement_id)
    return len(due)
