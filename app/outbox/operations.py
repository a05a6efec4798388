"""Writing to the outbox and handing committed rows to delivery.

Rows are added with :func:`record` inside the operation's transaction (flush only). After the
request or job commits, :func:`app.transaction.commit` passes the new ids to :func:`dispatch`:
in-process delivery for the embedded default, or an RQ enqueue by a background thread
(:mod:`app.outbox.enqueuer`), so that a request never waits on a dead Redis. Rows whose enqueue
was lost are found by the sweeper (:func:`app.outbox.delivery.sweep`). A rolled-back transaction
hands over nothing, and the delivery itself re-reads the row, so a stale id is skipped.
"""

from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from app.extensions import db
from app.outbox.delivery import deliver
from app.outbox.enqueuer import enqueuer
from app.outbox.models import OutboxMessage

log = logging.getLogger(__name__)

_NEW = "deelkracht_outbox_new"
_COMMITTED = "deelkracht_outbox_committed"


def record(kind: str, *, recipient_id: int | None, **refs: int | str | None) -> OutboxMessage:
    """Add a side effect to the current transaction. ``refs`` are ids, never personal data."""
    for key, value in refs.items():
        # Keeps the promise that outbox rows and job payloads carry ids only.
        short_code = isinstance(value, str) and value.isidentifier() and len(value) <= 40
        if value is not None and not isinstance(value, int) and not short_code:
            raise ValueError(f"outbox ref {key!r} must be an id or a short code")
    if recipient_id is not None and not isinstance(recipient_id, int):
        raise ValueError("outbox recipient must be a user id")
    message = OutboxMessage(kind=kind, recipient_id=recipient_id, refs=refs)
    db.session.add(message)
    db.session.flush()
    return message


@event.listens_for(Session, "after_flush")
def _remember_new(session: Session, flush_context) -> None:
    # Plain (id, arrangement id) pairs, taken while the rows are fresh (``session.new`` still
    # lists them here and their ids are assigned): after the commit the objects are expired.
    new = [(obj.id, obj.arrangement_id) for obj in session.new if isinstance(obj, OutboxMessage)]
    if new:
        session.info.setdefault(_NEW, []).extend(new)


@event.listens_for(Session, "after_commit")
def _mark_committed(session: Session) -> None:
    new = session.info.pop(_NEW, [])
    if new:
        session.info.setdefault(_COMMITTED, []).extend(new)


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, previous_transaction: SessionTransaction) -> None:
    # Only the outermost rollback discards the rows; after a savepoint's rollback an id that no
    # longer exists is harmless (delivery finds no row to claim).
    if previous_transaction.parent is None:
        session.info.pop(_NEW, None)


def take_committed(session: Session) -> list[tuple[int, int]]:
    return session.info.pop(_COMMITTED, [])


def dispatch(items: list[tuple[int, int]]) -> None:
    """Hand committed outbox rows to delivery. Never raises, never blocks on Redis."""
    if not items:
        return
    app = current_app._get_current_object()
    if app.config.get("REDIS_URL"):
        enqueuer(app).submit(items)
        return
    for outbox_id, arrangement_id in items:
        try:
            deliver(outbox_id, arrangement_id)
        except Exception:  # a failed delivery stays in the outbox for the next sweep
            log.exception("in-process delivery of outbox %s failed", outbox_id)
