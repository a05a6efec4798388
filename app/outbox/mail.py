"""E-mail: rendered from `templates/emails/` in the recipient's language, sent by Flask-Mailman.

With no ``MAIL_SERVER`` the message is written to the log instead (the demo and a laptop).
"""

from __future__ import annotations

import logging

from flask import current_app, render_template
from flask_babel import force_locale
from flask_mailman import EmailMessage
from flask_mailman.backends.base import BaseEmailBackend

log = logging.getLogger("deelkracht.mail")


class LogEmailBackend(BaseEmailBackend):
    """Writes each message to the log: the embedded default's stand-in for SMTP.

    (Flask-Mailman loads a dotted backend path only when the class name ends in
    ``EmailBackend``.)
    """

    def send_messages(self, email_messages):
        for message in email_messages:
            log.info("e-mail to %s: %s\n%s", ", ".join(message.to), message.subject, message.body)
        return len(email_messages)


LogBackend = LogEmailBackend


def send_mail(
    to: str,
    template: str,
    *,
    locale: str | None = None,
    headers: dict[str, str] | None = None,
    **context,
) -> None:
    """Render ``emails/<template>.txt`` (first line: subject) and send it, with extra
    ``headers`` if given (e.g. List-Unsubscribe)."""
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        text = render_template(f"emails/{template}.txt", **context)
    subject, _, body = text.strip().partition("\n")
    EmailMessage(
        subject=subject.strip(),
        body=body.strip() + "\n",
        to=[to],
        from_email=current_app.config["MAIL_DEFAULT_SENDER"],
        headers=headers or None,
    ).send()
