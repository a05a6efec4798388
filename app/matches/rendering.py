"""Rendering an agreement version, exactly once, in the worker (or in-process without Redis).

:func:`render` is idempotent: it *claims* the row (``pending`` → ``rendering`` with a timestamp,
``app.outbox.claims``: the outbox's protocol) in its own transaction before the slow part, so a
second run, or a second copy of the job, finds nothing to claim and does nothing. A worker that
dies mid-render leaves a ``rendering`` claim behind; once older than the stale limit the sweeper
(:func:`sweep`) hands it out again. A render that raises is stored as ``failed`` with the error,
shown to HR with a retry button.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from datetime import timedelta

from flask import current_app
from rq.exceptions import NoSuchJobError
from rq.job import Job as RQJob
from rq.serializers import JSONSerializer
from sqlalchemy import and_, or_, select, update

from app.extensions import db
from app.matches.agreements import render_pdf
from app.matches.models import Agreement
from app.outbox.claims import claim, in_every_arrangement
from app.outbox.queue import enqueue as put
from app.outbox.queue import redis_connection
from tenants.context import use_arrangement
from tenants.models import utcnow

log = logging.getLogger(__name__)

RENDER_JOB = "app.matches.tasks.render_agreement"
#: A ``rendering`` claim older than this belongs to a worker that died (config overrides).
STALE_CLAIM_SECONDS = 600
#: A ``pending`` version older than this lost its enqueue (Redis was down): enqueue again.
LOST_PENDING_SECONDS = 120
#: Test hook: seconds to sleep after claiming, so a test can kill the worker mid-render.
RENDER_DELAY_ENV = "DEELKRACHT_TEST_RENDER_DELAY"


def job_id(agreement_id: int, version: int) -> str:
    """One RQ job per (agreement, version): enqueueing it again reuses the id."""
    return f"deelkracht-agreement-{agreement_id}-v{version}"


def stale_after() -> timedelta:
    """``AGREEMENT_STALE_SECONDS`` in the app config or the environment (a worker process has
    only the environment), else STALE_CLAIM_SECONDS."""
    seconds = current_app.config.get("AGREEMENT_STALE_SECONDS") or os.environ.get(
        "AGREEMENT_STALE_SECONDS", STALE_CLAIM_SECONDS
    )
    return timedelta(seconds=float(seconds))


def render(agreement_id: int, arrangement_id: int) -> str:
    """Render one agreement version, once. Returns "ready", "failed", "skipped" or "lost"."""
    session = db.session()
    session.rollback()
    with use_arrangement(arrangement_id):
        now = utcnow()
        if not claim(Agreement, agreement_id, working="rendering", now=now, stale=stale_after()):
            return "skipped"  # ready already, failed, or being rendered by a live worker
        mine = and_(
            Agreement.id == agreement_id,
            Agreement.status == "rendering",
            Agreement.claimed_at == now,
        )
        try:
            delay = float(os.environ.get(RENDER_DELAY_ENV) or 0)
            if delay:
                time.sleep(delay)
            agreement = session.get(Agreement, agreement_id)
            pdf = render_pdf(agreement)
        except Exception as exc:
            session.rollback()
            log.warning("agreement %s failed to render: %r", agreement_id, exc)
            session.execute(
                update(Agreement)
                .where(mine)
                .values(status="failed", error=f"{type(exc).__name__}: {exc}"[:300])
                .execution_options(synchronize_session=False)
            )
            session.commit()
            return "failed"
        done = session.execute(
            update(Agreement)
            .where(mine)
            .values(
                status="ready",
                pdf=pdf,
                sha256=hashlib.sha256(pdf).hexdigest(),
                size=len(pdf),
                rendered_at=utcnow(),
                error=None,
            )
            .execution_options(synchronize_session=False)
        )
        session.commit()
        # "lost": our claim went stale and another run took over; its result stands.
        return "ready" if done.rowcount == 1 else "lost"


def enqueue(agreement_id: int, arrangement_id: int, version: int) -> str:
    """Hand a version to the queue under its deterministic job id (or render it here)."""
    if not current_app.config.get("REDIS_URL"):
        return render(agreement_id, arrangement_id)

    connection = redis_connection()
    try:
        identifier = job_id(agreement_id, version)
        try:
            existing = RQJob.fetch(identifier, connection=connection, serializer=JSONSerializer)
            if existing.get_status(refresh=False) in ("queued", "deferred", "scheduled"):
                return "queued already"
        except NoSuchJobError:
            pass
        put(RENDER_JOB, agreement_id, arrangement_id, job_id=identifier, connection=connection)
        return "enqueued"
    finally:
        connection.close()


def due(limit: int = 200) -> list[tuple[int, int, int]]:
    """(agreement id, arrangement id, version) of every version that needs a render run:
    pending ones whose enqueue may have been lost, and stale claims of dead workers."""
    now = utcnow()
    found = in_every_arrangement(
        lambda: (
            select(Agreement.id, Agreement.version)
            .where(
                or_(
                    and_(
                        Agreement.status == "pending",
                        Agreement.created_at < now - timedelta(seconds=LOST_PENDING_SECONDS),
                    ),
                    and_(
                        Agreement.status == "rendering", Agreement.claimed_at < now - stale_after()
                    ),
                )
            )
            .order_by(Agreement.id)
            .limit(limit)
        )
    )
    return [
        (agreement_id, arrangement_id, version) for (agreement_id, version), arrangement_id in found
    ]


def sweep() -> int:
    """Re-enqueue (or render here) every version :func:`due` finds."""
    found = due()
    for agreement_id, arrangement_id, version in found:
        try:
            enqueue(agreement_id, arrangement_id, version)
        except Exception as exc:  # Redis down: the next sweep tries again
            log.warning("agreement %s not enqueued: %r", agreement_id, exc)
            break
    return len(found)
