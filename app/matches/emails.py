"""Outbox handlers of the matches domain: notice e-mails and the agreement render hand-off.

Both reload by id and check again at delivery: an e-mail about a match the recipient may not
see (any more) is dropped, never sent.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale

from app import policy
from app.accounts.models import User
from app.extensions import db
from app.ids import public_id
from app.matches import rendering
from app.matches.exchange import flow
from app.matches.models import Agreement, Match
from app.matches.notices import EMAIL_TEMPLATES, TEXTS, kind_noun, managers_of
from app.outbox.mail import send_mail


def match_email(message) -> bool:
    recipient = db.session.get(User, message.recipient_id)
    match = db.session.get(Match, message.refs.get("match_id"))
    notice = message.refs.get("notice")
    if recipient is None or not recipient.active or notice not in EMAIL_TEMPLATES:
        return False
    if not policy.allowed(recipient, "match.view", match):
        return False
    link = (
        current_app.config["BASE_URL"].rstrip("/")
        + f"/detacheringen/{public_id('match', match.id)}"
    )

    with force_locale(recipient.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        summary = TEXTS[notice]({"match": match})
        kind = kind_noun(match)
    send_mail(
        recipient.email,
        EMAIL_TEMPLATES[notice],
        locale=recipient.locale,
        recipient=recipient,
        match=match,
        summary=summary,
        kind=kind,
        document=flow(match).title,
        link=link,
        manager_told_later=not home_manager_knows(match),
    )
    return True


def home_manager_knows(match: Match) -> bool:
    """Whether one of the employee's own line managers can see the match already (the
    proposal e-mail says they will hear of it only after the employee's approval)."""

    managers = managers_of(match.employee.department_id)
    return any(policy.allowed(db.session.get(User, uid), "match.view", match) for uid in managers)


def agreement_render(message) -> bool:
    """After the commit that recorded a version: enqueue its render job (or render here)."""

    agreement = db.session.get(Agreement, message.refs.get("agreement_id"))
    if agreement is None or agreement.status != "pending":
        return False
    rendering.enqueue(agreement.id, agreement.arrangement_id, agreement.version)
    return True


#: The outbox kinds this module sends (registered by the domain's ``init_app``).
HANDLERS = {
    "matches.email": match_email,
    "matches.agreement_render": agreement_render,
}
