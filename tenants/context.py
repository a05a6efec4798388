"""The current arrangement of this request or worker job.

Held in a context variable so the web process (one request per thread) and the worker (one job at
a time) share one mechanism. Nothing is visible until it is set: with no arrangement, scoped
queries return no rows and PostgreSQL's policies match nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import text

#: Execution option that lets one statement reach across arrangements. Only platform work
#: (applying tenant definitions, the outbox sweeper) may use it: grep for it in review.
ACROSS_ARRANGEMENTS = "deelkracht_across_arrangements"

_current: ContextVar[int | None] = ContextVar("deelkracht_arrangement", default=None)

RLS_SETTING = "deelkracht.arrangement_id"


def current_arrangement_id() -> int | None:
    return _current.get()


def set_arrangement(arrangement_id: int | None) -> None:
    """Set the arrangement for what follows, and for the open transaction on PostgreSQL."""
    _current.set(arrangement_id)
    # deferred: import cycle: app.extensions -> tenants.session -> tenants.context
    from app.extensions import db

    session = db.session()
    if session.in_transaction() and session.get_bind().dialect.name == "postgresql":
        apply_rls_setting(session.connection(), arrangement_id)


def apply_rls_setting(connection, arrangement_id: int | None) -> None:
    # `true`: local to the transaction, so a pooled connection never carries it to the next one.
    connection.execute(
        text("SELECT set_config(:name, :value, true)"),
        {"name": RLS_SETTING, "value": "" if arrangement_id is None else str(arrangement_id)},
    )


def _flush_pending() -> None:
    """Write what is pending under the arrangement it was made in, before switching."""
    # deferred: import cycle: app.extensions -> tenants.session -> tenants.context
    from app.extensions import db

    session = db.session()
    if session.is_active and (session.new or session.dirty or session.deleted):
        session.flush()


@contextmanager
def use_arrangement(arrangement_id: int | None) -> Iterator[None]:
    """Run a block in one arrangement's context and restore the previous one afterwards.

    Pending changes are flushed on the way in and out, in the context they were made in.
    """
    previous = _current.get()
    if previous != arrangement_id:
        _flush_pending()
    set_arrangement(arrangement_id)
    try:
        yield
        if previous != arrangement_id:
            _flush_pending()
    finally:
        set_arrangement(previous)
