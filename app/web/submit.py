"""One way for a page to run an operation: commit on success, and on a refusal roll back and show
why, on the form's fields or as a message above the page.

Every POST handler that changes data goes through :func:`submit`, so none forgets the rollback
(nothing half-done is saved) or answers a refusal differently from the others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from flask import flash
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app.errors import Conflict, DomainError, InvalidInput, put_on_form
from app.extensions import db
from app.transaction import commit

T = TypeVar("T")
log = logging.getLogger(__name__)

#: When someone else changed the same rows between loading the page and saving it.
CHANGED_MEANWHILE = _l("Dit is intussen door iemand anders gewijzigd. Bekijk het opnieuw.")


def submit(
    operation: Callable[..., T],
    *args: Any,
    form=None,
    names: Mapping[str, str] | None = None,
    changed: str | None = None,
    catch: type[DomainError] | tuple[type[DomainError], ...] = (InvalidInput, Conflict),
    **kwargs: Any,
) -> tuple[T | None, int | None]:
    """Call ``operation(*args, **kwargs)`` and commit: ``(result, None)``.

    On a refusal (``catch``: by default bad input and conflicts; a 403 or 404 goes on to the
    error page, which shows the status only) the transaction is rolled back and the error goes on
    ``form`` (:func:`~app.errors.put_on_form`, ``names`` mapping the operation's field names to
    the form's) or, without a form, its message (else its fields' messages) is flashed; the
    answer is ``(None, the error's status)``. A concurrent change (a stale version, a unique row
    that appeared meanwhile) is answered the same way with ``changed`` (or a general message)
    and 409."""
    try:
        result = operation(*args, **kwargs)
        commit()
        return result, None
    except catch as exc:
        db.session.rollback()
        if form is not None:
            put_on_form(form, exc, names)
        else:
            messages = (
                [exc.message] if exc.message else [m for ms in exc.fields.values() for m in ms]
            )
            for message in messages:
                flash(message, "error")
        return None, exc.status
    except (StaleDataError, IntegrityError) as exc:
        db.session.rollback()
        # Mostly a race; a bug (a NOT NULL, a foreign key) answers the same 409, so the log says
        # which rule refused: the constraint's name only, never the row's values (personal data).
        diag = getattr(getattr(exc, "orig", None), "diag", None)
        log.warning(
            "submit: %s answered 409 (constraint %s)",
            type(exc).__name__,
            getattr(diag, "constraint_name", None) or "unknown",
        )
        message = str(changed or CHANGED_MEANWHILE)
        if form is not None:
            form.form_errors.append(message)
        else:
            flash(message, "error")
        return None, 409
