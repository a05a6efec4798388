"""The one rule for a new password, wherever one is set (reset link, invitation, any later form or
API): :func:`password_problem`, used by the forms' :class:`NewPasswordRule` validator and checked
again by :func:`app.accounts.operations.set_password`.

A new password must be 10 to 200 characters and must not be easy to guess (OWASP ASVS V6.2:
checked against common and breached passwords, offline). The check is zxcvbn's (the Python port
of Dropbox's estimator): it ships lists of some 30,000 of the most common passwords plus
dictionaries, and sees through the usual tricks (``wachtwoord123``, ``P@ssw0rd``, ``welkomwelkom``,
keyboard walks, dates). It runs offline, so no password or hash of one leaves the server. Words of
the person's own context (their name, e-mail address, organisation, arrangement and the app's
name) count as common too, so ``Harderwijk2026`` is refused to someone at Harderwijk.

A password passes when zxcvbn's score is at least :data:`MIN_SCORE` (3: "safely unguessable",
about 10^10 guesses). No composition rules (NIST SP 800-63B): a few plain words pass, a
capitalised word with a digit and a sign does not.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _
from wtforms.validators import ValidationError
from zxcvbn import zxcvbn

from app.errors import InvalidInput

MIN_LENGTH = 10
MAX_LENGTH = 200
MIN_SCORE = 3
#: zxcvbn looks at this many characters; anything longer is strong enough anyway (and the
#: estimate grows slow with length).
CHECKED_LENGTH = 72


class WeakPassword(InvalidInput, ValueError):
    """A new password that the rule refuses; ``message`` says why, in the request's language."""


def context_words(user=None) -> list[str]:
    """Words an attacker who knows the person would try first."""
    words = ["deelkracht"]
    if user is None:
        return words
    values = [getattr(user, "name", None), getattr(user, "email", None)]
    organisation = getattr(user, "organisation", None)
    if organisation is not None:
        values.append(organisation.name)
        arrangement = getattr(organisation, "arrangement", None)
        if arrangement is not None:
            values.append(arrangement.name)
    for value in values:
        if value:
            words.append(value.lower())
            words.extend(part for part in re.split(r"[\W_]+", value.lower()) if len(part) > 2)
    return words


def password_problem(password: str, user=None) -> str | None:
    """Why ``password`` may not be set for ``user`` (a translated message), or None if it may."""
    if len(password) < MIN_LENGTH:
        return _("Kies een wachtwoord van minstens %(count)d tekens.", count=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("Kies een wachtwoord van hoogstens %(count)d tekens.", count=MAX_LENGTH)
    result = zxcvbn(
        password[:CHECKED_LENGTH], user_inputs=context_words(user), max_length=CHECKED_LENGTH
    )
    if result["score"] < MIN_SCORE:
        return _(
            "Dit wachtwoord is te makkelijk te raden: het staat op een lijst van veelgebruikte of "
            "gelekte wachtwoorden, of lijkt er sterk op. Kies bijvoorbeeld een zin van drie of "
            "vier woorden die je nergens anders gebruikt."
        )
    return None


def check_password(password: str, user=None) -> None:
    """Raise :class:`WeakPassword` when the rule refuses ``password``."""
    problem = password_problem(password, user)
    if problem is not None:
        raise WeakPassword(problem)


class NewPasswordRule:
    """WTForms validator: the rule above. The person comes from the form's ``password_user``
    (set by the view when it knows whose password this is)."""

    def __call__(self, form, field) -> None:
        problem = password_problem(field.data or "", getattr(form, "password_user", None))
        if problem is not None:
            raise ValidationError(problem)
