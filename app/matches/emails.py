"""Outbox handlers of the matches domain: notice e-mails and the agreement render hand-off.

Both reload by id and check again at delivery: an e-mail about a match the recipient may not
see (any more) is dropped, never sent.
"""

from __future__ import annotations

from flask import current_app

from app.accounts.models import User
from app.extensions import db
from app.ids import public_id
from app.matches.access import can_see_match
from app.matches.models import Agreement, Match
from app.matches.notices import EMAIL_TEMPLATES, TEXTS
from worker.delivery import handler
from worker.mail import send_mail


@handler("matches.email")
def match_email(message) -> bool:
    recipient = db.session.get(User, message.recipient_id)
    match = db.session.get(Match, message.refs.get("match_id"))
    notice = message.refs.get("notice")
    if recipient is None or not recipient.active or notice not in EMAIL_TEMPLATES:
        return False
    if not can_see_match(recipient, match):
        return False
    link = (
        current_app.config["BASE_URL"].rstrip("/")
        + f"/detacheringen/{public_id('match', match.id)}"
    )
    from flask_babel import force_locale

    with force_locale(recipient.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        summary = TEXTS[notice]({"match": match})
    send_mail(
        recipient.email,
        EMAIL_TEMPLATES[notice],
        locale=recipient.locale,
        recipient=recipient,
        match=match,
        summary=summary,
        link=link,
        manager_told_later=not home_manager_knows(match),
    )
    return True


def home_manager_knows(match: Match) -> bool:
    """Whether one of the employee's own line managers can see the match already (the
    proposal e-mail says they will hear of it only after the employee's approval)."""
    from app.matches.notices import managers_of

    managers = managers_of(match.employee.department_id)
    return any(can_see_match(db.session.get(User, uid), match) for uid in managers)


@handler("matches.agreement_render")
def agreement_render(message) -> bool:
    """After the commit that recorded a version: enqueue its render job (or render here)."""
    from app.matches import agreements

    agreement = db.session.get(Agreement, message.refs.get("agreement_id"))
    if agreement is None or agreement.status != "pending":
        return False
    agreements.enqueue(agreement.id, agreement.arrangement_id, agreement.version)
    return True
