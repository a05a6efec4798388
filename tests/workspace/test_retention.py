"""Retention (issue 5 acceptance): the daily job erases closed offers and responses older than
the home organisation's retention_days; open ones and recent ones stay. It also clears old
notifications, delivered outbox rows, ended sessions, stale import batches and placements whose
kept agreements have passed their keep-until date."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.accounts.models import AuthSession, User
from app.matches.models import Match
from app.outbox.models import OutboxMessage
from app.pool.models import Application, CapacityOffer, Notification
from app.workspace.models import Erasure, ImportBatch, KeptAgreement
from tenants.models import Organisation, utcnow
from tests.workspace import seed

OLD = utcnow() - timedelta(days=40)
RECENT = utcnow() - timedelta(days=10)


def seed_ages(world, in_arrangement):
    ermelo, harderwijk = world.meer.ermelo, world.meer.harderwijk
    with in_arrangement(world.meer.arrangement) as s:
        s.get(Organisation, ermelo.org.id).retention_days = 30
        emp, emp2 = s.get(User, ermelo.emp.id), s.get(User, ermelo.emp2.id)
        other = s.get(User, harderwijk.emp.id)
        job = seed.job(s, harderwijk.org, s.get(User, harderwijk.lead.id))
        job2 = seed.job(s, harderwijk.org, s.get(User, harderwijk.lead.id), title="Tweede")
        job3 = seed.job(s, harderwijk.org, s.get(User, harderwijk.lead.id), title="Derde")
        gone = {
            "withdrawn offer": seed.offer(s, emp, status="withdrawn", closed_at=OLD),
            "closed offer": seed.offer(s, emp2, status="closed", closed_at=OLD),
            "withdrawn response": seed.application(
                s, job.id, emp, status="withdrawn", closed_at=OLD
            ),
            "declined response": seed.application(
                s, job.id, emp2, status="declined", closed_at=OLD
            ),
        }
        stay = {
            "recently withdrawn offer": seed.offer(s, emp, status="withdrawn", closed_at=RECENT),
            "old open offer": seed.offer(s, emp2),
            "other organisation's offer": seed.offer(s, other, status="withdrawn", closed_at=OLD),
            "open response": seed.application(s, job2.id, emp),
            "recently declined response": seed.application(
                s, job2.id, emp2, status="declined", closed_at=RECENT
            ),
            "matched response": seed.application(s, job3.id, emp, status="matched", closed_at=OLD),
        }
        stay["old open offer"].created_at = OLD - timedelta(days=400)
        stay["open response"].created_at = OLD - timedelta(days=400)
        about_gone = seed.notification(s, emp, application_id=gone["withdrawn response"].id)
        about_gone.created_at = RECENT
        old_note = seed.notification(s, emp2, "settings_changed", organisation_id=ermelo.org.id)
        old_note.created_at = OLD
        recent_note = seed.notification(s, emp2, "settings_changed", organisation_id=ermelo.org.id)
        old_sent = OutboxMessage(kind="x", recipient_id=emp.id, status="sent", created_at=OLD)
        old_pending = OutboxMessage(kind="x", recipient_id=emp.id, status="pending", created_at=OLD)
        recent_sent = OutboxMessage(kind="x", recipient_id=emp.id, status="sent", created_at=RECENT)
        stale_batch = ImportBatch(
            organisation_id=ermelo.org.id,
            upload_sha256="0" * 64,
            created_at=utcnow() - timedelta(days=2),
        )
        fresh_batch = ImportBatch(organisation_id=ermelo.org.id, upload_sha256="1" * 64)
        s.add_all([old_sent, old_pending, recent_sent, stale_batch, fresh_batch])
        ended = AuthSession(
            token_hash="a" * 64,
            kind="web",
            user_id=emp.id,
            arrangement_id=emp.arrangement_id,
            created_at=OLD,
            expires_at=OLD + timedelta(hours=8),
            ended_at=OLD,
        )
        live = AuthSession(
            token_hash="b" * 64,
            kind="api",
            user_id=emp.id,
            arrangement_id=emp.arrangement_id,
            expires_at=utcnow() + timedelta(days=1),
        )
        s.add_all([ended, live])
        # A placement kept after an erasure, past its keep-until date, and one still within it.
        lender = s.get(User, ermelo.hr.id)
        host = s.get(User, harderwijk.lead.id)
        expired = seed.placement(s, job, emp, lending_approver=lender, borrowing_approver=host)
        kept = seed.placement(s, job, emp2, lending_approver=lender, borrowing_approver=host)
        erasure = Erasure(organisation_id=ermelo.org.id, user_id=emp.id)
        s.add(erasure)
        s.flush()
        s.add_all(
            [
                KeptAgreement(
                    agreement_id=expired.agreements[0].id,
                    erasure_id=erasure.id,
                    keep_until=date.today() - timedelta(days=1),
                ),
                KeptAgreement(
                    agreement_id=kept.agreements[0].id,
                    erasure_id=erasure.id,
                    keep_until=date.today() + timedelta(days=365),
                ),
            ]
        )
        s.flush()
        out = {
            "gone": {k: (type(v), v.id) for k, v in gone.items()},
            "stay": {k: (type(v), v.id) for k, v in stay.items()},
        }
        out["gone"].update(
            {
                "notification about an erased response": (Notification, about_gone.id),
                "old notification": (Notification, old_note.id),
                "old delivered outbox row": (OutboxMessage, old_sent.id),
                "stale import batch": (ImportBatch, stale_batch.id),
                "placement past its keep-until date": (Match, expired.id),
            }
        )
        out["stay"].update(
            {
                "recent notification": (Notification, recent_note.id),
                "old pending outbox row": (OutboxMessage, old_pending.id),
                "recent delivered outbox row": (OutboxMessage, recent_sent.id),
                "fresh import batch": (ImportBatch, fresh_batch.id),
                "kept placement within its date": (Match, kept.id),
            }
        )
        s.commit()
    return out


def test_the_retention_job_erases_what_is_closed_and_old_only(app, world, in_arrangement):
    """Run the daily job: closed offers and responses past 30 days (Ermelo's setting) are gone,
    with their notifications; open ones, recent ones, and another organisation's (365 days)
    stay; so do pending outbox rows and live sessions."""
    from app.workspace.retention import run_retention

    records = seed_ages(world, in_arrangement)
    with app.app_context():
        totals = run_retention()
    assert totals["capacity_offers"] == 2 and totals["applications"] == 2
    with in_arrangement(world.meer.arrangement) as s:
        for label, (model, key) in records["gone"].items():
            assert s.get(model, key) is None, label
        for label, (model, key) in records["stay"].items():
            assert s.get(model, key) is not None, label
        hashes = set(s.scalars(select(AuthSession.token_hash)))
        assert "a" * 64 not in hashes and "b" * 64 in hashes
        assert (
            s.scalar(
                select(CapacityOffer).where(
                    CapacityOffer.status == "withdrawn",
                    CapacityOffer.organisation_id == world.meer.ermelo.org.id,
                )
            )
            is not None
        )  # the recent one
        assert s.scalars(select(Application.status).order_by(Application.id)).all() == [
            "submitted",
            "declined",
            "matched",
        ]
    with app.app_context():
        again = run_retention()
    assert sum(again.values()) == 0


def test_retention_runs_daily_from_the_worker_schedules(app, world, in_arrangement):
    """The job is a daily schedule of the worker (and of the in-process sweeper)."""
    from app.outbox.schedules import SCHEDULES

    every, func = SCHEDULES["workspace.retention"]
    assert every == 24 * 3600
    records = seed_ages(world, in_arrangement)
    with app.app_context():
        func()
    with in_arrangement(world.meer.arrangement) as s:
        model, key = records["gone"]["withdrawn offer"]
        assert s.get(model, key) is None
