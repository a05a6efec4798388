"""Outbox handlers for the pool's e-mails. They render at delivery time from ids and check the
privacy rule again: an e-mail about something the recipient may no longer see is dropped.

Imported by :mod:`app.pool.applications.views`, so the handlers register with the app.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app

from app.accounts.models import User
from app.extensions import db
from app.outbox.mail import send_mail
from app.pool.models import Notification
from app.pool.notifications import digest
from app.pool.notifications import operations as notifications


def link(endpoint: str, **values) -> str:
    """An absolute link for an e-mail (no request needed)."""
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["BASE_URL"].rstrip("/") + path


def _recipient(message) -> User | None:
    user = db.session.get(User, message.recipient_id)
    return user if user is not None and user.active else None


def notification_email(message) -> bool:
    """The e-mail twin of an in-app notification (templates/emails/pool_<kind>.txt)."""
    user = _recipient(message)
    notification = db.session.get(Notification, message.refs.get("notification_id"))
    if user is None or notification is None:
        return False
    shown = notifications.resolve(user, notification)  # checks the privacy rule again
    if shown is None:
        return False
    send_mail(
        user.email,
        f"pool_{notification.kind}",
        locale=user.locale,
        user=user,
        refs=notification.refs or {},
        link=link(shown.endpoint, **shown.values),
        **shown.objects,
    )
    return True


def digest_email(message) -> bool:
    """The weekly list of new jobs, composed now from what the employee may see now."""
    user = _recipient(message)
    if user is None or not user.weekly_digest:
        return False
    until = message.created_at
    found, matched = digest.new_jobs_for(user, until - digest.WEEK, until + timedelta(seconds=1))
    if not found:
        return False  # no e-mail without news
    send_mail(
        user.email,
        "pool_digest",
        locale=user.locale,
        user=user,
        jobs=[(job, link("pool.job_detail", job_id=job.id)) for job in found],
        matched=matched,
        skills=[skill.name for skill in digest.skills_of(user)],
        settings_link=link("pool.notification_settings"),
    )
    return True


#: The outbox kinds this module sends (registered by the domain's ``init_app``).
HANDLERS = {
    "pool.notification": notification_email,
    digest.KIND: digest_email,
}
