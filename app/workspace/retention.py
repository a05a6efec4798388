"""Retention: what is no longer needed is erased, daily, by the worker (DESIGN.md section 3).

This is the one daily retention run. Per organisation, after its ``retention_days`` (counted
from when a thing was closed):

- capacity offers that were withdrawn or closed, with their skills and view log, and responses
  that were withdrawn or declined (:func:`app.pool.retention.erase_for_organisation`; a response
  that led to a placement stays with the placement);
- notifications to its staff, in-app, created longer ago than that, and notifications about the
  offers and responses erased here;
- delivered outbox rows (sent, dropped or failed) addressed to its staff; rows addressed to
  nobody (agreement renders) after the shortest retention of the arrangement's organisations;
- browser sessions and API tokens of its staff that ended or expired longer ago than that.

And for the arrangement as a whole:

- staff import batches older than :data:`IMPORT_BATCH_HOURS` (they hold the uploaded names and
  addresses between preview and confirmation);
- placements whose agreements were kept after the employee's erasure, once the keep-until date
  has passed (:mod:`app.workspace.data_rights`): the match goes with its agreements.

Open offers and responses, and recent closed ones, stay. The job runs each arrangement in its
own context and transaction (:func:`run_retention`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select

from app.accounts.models import AuthSession, User
from app.extensions import db
from app.matches.models import Agreement, Match
from app.outbox.models import OutboxMessage
from app.pool.models import Notification
from app.pool.retention import erase_for_organisation
from app.transaction import commit
from app.workspace.models import ImportBatch, KeptAgreement
from tenants.context import use_arrangement
from tenants.models import Arrangement, Organisation, utcnow

DELIVERED = ("sent", "dropped", "failed")
IMPORT_BATCH_HOURS = 24
EVERY_SECONDS = 24 * 3600


def _delete(model, *conditions) -> int:
    result = db.session.execute(
        delete(model).where(*conditions).execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def _organisation(org: Organisation, now: datetime, totals: dict[str, int]) -> None:
    cutoff = now - timedelta(days=org.retention_days)
    staff = select(User.id).where(User.organisation_id == org.id)
    pool = erase_for_organisation(org.id, cutoff)
    totals["capacity_offers"] += pool["offers"]
    totals["applications"] += pool["applications"]
    totals["notifications"] += pool["notifications"]
    totals["notifications"] += _delete(
        Notification, Notification.user_id.in_(staff), Notification.created_at < cutoff
    )
    totals["outbox"] += _delete(
        OutboxMessage,
        OutboxMessage.recipient_id.in_(staff),
        OutboxMessage.status.in_(DELIVERED),
        OutboxMessage.created_at < cutoff,
    )
    totals["sessions"] += _delete(
        AuthSession,
        AuthSession.arrangement_id == org.arrangement_id,
        AuthSession.user_id.in_(staff),
        or_(AuthSession.ended_at < cutoff, AuthSession.expires_at < cutoff),
    )


def purge_arrangement(now: datetime | None = None) -> dict[str, int]:
    """Erase what the current arrangement no longer needs (flushes; the caller commits)."""
    now = now or utcnow()
    totals = dict.fromkeys(
        (
            "capacity_offers",
            "applications",
            "notifications",
            "outbox",
            "sessions",
            "import_batches",
            "kept_placements",
        ),
        0,
    )
    organisations = list(db.session.scalars(select(Organisation).order_by(Organisation.id)))
    for org in organisations:
        _organisation(org, now, totals)
    if organisations:
        shortest = min(org.retention_days for org in organisations)
        totals["outbox"] += _delete(
            OutboxMessage,
            OutboxMessage.recipient_id.is_(None),
            OutboxMessage.status.in_(DELIVERED),
            OutboxMessage.created_at < now - timedelta(days=shortest),
        )
    totals["import_batches"] += _delete(
        ImportBatch, ImportBatch.created_at < now - timedelta(hours=IMPORT_BATCH_HOURS)
    )
    expired = (
        select(Agreement.match_id)
        .join(KeptAgreement, KeptAgreement.agreement_id == Agreement.id)
        .where(KeptAgreement.keep_until < now.date())
    )
    totals["kept_placements"] += _delete(Match, Match.id.in_(expired))
    db.session.flush()
    return totals


def run_retention(now: datetime | None = None) -> dict[str, int]:
    """Every arrangement, each in its own context and transaction."""

    session = db.session()
    arrangement_ids = session.scalars(select(Arrangement.id).order_by(Arrangement.id)).all()
    session.rollback()
    totals: dict[str, int] = {}
    for arrangement_id in arrangement_ids:
        with use_arrangement(arrangement_id):
            for key, value in purge_arrangement(now).items():
                totals[key] = totals.get(key, 0) + value
            commit()
    return totals


def retention() -> dict[str, int]:
    return run_retention()
