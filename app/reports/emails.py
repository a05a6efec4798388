"""Outbox handler of reports: the coordinators' weekly summary, composed at delivery from the
figures as they are then. Dropped when the recipient is no longer an active coordinator."""

from __future__ import annotations

from flask import current_app

from app.accounts.models import User
from app.extensions import db
from app.outbox.mail import send_mail
from app.reports import summary


def _link(endpoint: str, **values) -> str:
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["BASE_URL"].rstrip("/") + path


def coordinator_summary_email(message) -> bool:
    user = db.session.get(User, message.recipient_id)
    if user is None or not user.active or not user.is_coordinator:
        return False
    figures = summary.summary_for(user, message.created_at)
    send_mail(
        user.email,
        "reports_coordinator_summary",
        locale=user.locale,
        user=user,
        arrangement=user.organisation.arrangement,
        figures=figures,
        link=_link("reports.overview"),
    )
    return True


#: The outbox kinds this module sends (registered by the domain's ``init_app``).
HANDLERS = {
    summary.KIND: coordinator_summary_email,
}
