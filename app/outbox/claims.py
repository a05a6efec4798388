"""Claiming rows for exactly-once work, and finding the rows a sweeper must hand out again.

Two kinds of rows are worked on by whichever worker gets them first: outbox messages
(``app.outbox.delivery``) and agreement versions (``app.matches.rendering``). Both follow one
protocol, written here once: a row is ``pending`` until a run *claims* it (``pending`` → the
working status, stamped with the claim's time, one attempt more) in its own committed
transaction, so a second run finds nothing to claim; a claim older than the stale limit belongs
to a worker that died and may be claimed again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Select, and_, or_, select, update

from app.extensions import db
from tenants.context import use_arrangement
from tenants.models import Arrangement


def claimable(model, working: str, now: datetime, stale: timedelta):
    """The SQL clause: ``pending``, or claimed (``working``) longer ago than ``stale``."""
    return or_(
        model.status == "pending",
        and_(model.status == working, model.claimed_at < now - stale),
    )


def claim(model, row_id: int, *conditions, working: str, now: datetime, stale: timedelta) -> bool:
    """Claim one row (and commit): True when this run got it, False when it is done already,
    claimed by a live worker, or fails one of ``conditions`` (e.g. not yet due)."""
    session = db.session()
    result = session.execute(
        update(model)
        .where(model.id == row_id, claimable(model, working, now, stale), *conditions)
        .values(status=working, claimed_at=now, attempts=model.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return result.rowcount == 1


def in_every_arrangement(statement: Callable[[], Select]) -> list[tuple[tuple, int]]:
    """(row, arrangement id) of what ``statement()`` selects in each arrangement (the sweeper's
    view). ``arrangements`` is a platform table; each arrangement's rows are read in its own
    context, so the scoping and row-level security hold as for any other read."""
    session = db.session()
    found: list[tuple[tuple, int]] = []
    for arrangement_id in session.scalars(select(Arrangement.id)).all():
        with use_arrangement(arrangement_id):
            rows = session.execute(statement()).all()
        found.extend((tuple(row), arrangement_id) for row in rows)
    session.rollback()
    return found
