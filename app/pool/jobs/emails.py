"""Outbox handler for the reminder that a job is about to expire (renew with one click)."""

from __future__ import annotations

from flask import current_app

from app import policy
from app.accounts.models import User
from app.extensions import db
from app.ids import public_id
from app.outbox.mail import send_mail
from app.pool.jobs.operations import effective_status
from app.pool.models import Job


def job_expiring(message) -> bool:
    """Re-checked at delivery: the job still open and not renewed since, the recipient still
    on its posting side; otherwise dropped."""

    user = db.session.get(User, message.recipient_id)
    job = db.session.get(Job, message.refs.get("job_id"))
    if user is None or not user.active or job is None:
        return False
    if effective_status(job) != "open" or job.reminder_sent_on is None:
        return False
    if not policy.allowed(user, "job.manage", job):
        return False
    base = current_app.config["BASE_URL"].rstrip("/")
    send_mail(
        user.email,
        "pool_job_expiring",
        locale=user.locale,
        user=user,
        job=job,
        renew_link=f"{base}/klussen/{public_id('job', job.id)}/verlengen",
        job_link=f"{base}/klussen/{public_id('job', job.id)}",
    )
    return True


#: The outbox kinds this module sends (registered by the domain's ``init_app``).
HANDLERS = {
    "pool.job_expiring": job_expiring,
}
