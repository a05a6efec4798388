"""The one error model: what operations raise, and how it is answered.

Operations raise a :class:`DomainError` (never ``abort()``): it carries the HTTP status
CONTRACT.md asks for, a message (Dutch msgid, shown to the user) and, for bad input, the fields
(``{name: [messages]}``). One handler answers it: problem details (RFC 9457) under /api, the error
page in the site's style elsewhere (the page shows the status only, like ``abort()`` did, so an
error page reveals nothing an operation knows). A view that wants the messages on its form
catches the error and calls :func:`put_on_form`.

Privacy: where the existence of an object is itself private, operations raise
:class:`NotFound` for "not allowed" too (DESIGN.md); :class:`Forbidden` is for what the caller
already knows exists.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from werkzeug.exceptions import HTTPException

from app.api import TITLES, api, problem
from app.extensions import db

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A refusal by an operation: ``status`` (HTTP), ``message`` and ``fields``.

    ``message`` (may be None) sums the refusal up for the user; ``fields`` maps a field name
    (Python name) to messages. Under /api the problem's ``detail`` is the message, else the
    class's ``default_detail``, else the status's standard text (app.api.DETAILS)."""

    status = 409
    default_detail: str | None = None

    def __init__(self, message: str | None = None, fields: dict[str, list[str]] | None = None):
        super().__init__(*([message] if message is not None else []))
        self.message = message
        self.fields = fields or {}

    @property
    def detail(self) -> str | None:
        return self.message if self.message is not None else self.default_detail

    def __str__(self) -> str:
        return str(self.message) if self.message is not None else ""


class InvalidInput(DomainError):
    """Bad input that only the operation can judge (400, with the fields)."""

    status = 400

    @classmethod
    def on(cls, field: str, message: str) -> InvalidInput:
        """The one message, for ``field``."""
        return cls(message, {field: [message]})


class FieldErrors(InvalidInput):
    """Bad input given as fields only (``{name: [messages]}``); under /api the detail is the
    generic one the API has always given for it."""

    default_detail = "Ongeldige invoer / invalid input"

    def __init__(self, fields: dict[str, list[str]]):
        super().__init__(None, fields)


class Forbidden(DomainError):
    """The caller knows the object exists but may not do this (403)."""

    status = 403


class NotFound(DomainError):
    """Absent, or present but private to the caller: the same answer (404)."""

    status = 404


class Conflict(DomainError):
    """The request does not fit the object's current state (409); the message says why."""

    status = 409


class StateError(Conflict):
    """A status change that the current status does not allow (409)."""


def put_on_form(form, error: DomainError, names: Mapping[str, str] | None = None) -> None:
    """Put an operation's refusal on a WTForms form, the same way on every form: each field's
    messages next to that field (``names`` maps an operation's name to the form's, e.g.
    ``contact_id`` -> ``contact``). Above the form: the error's message when none landed on a
    field (it sums up what the form cannot show next to a field); without a message, the
    messages of fields the form lacks. The caller rolls back and answers with the status."""
    names = names or {}
    placed = False
    elsewhere: list[str] = []
    for name, messages in error.fields.items():
        field = getattr(form, names.get(name, name), None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*list(field.errors), *messages]
            placed = True
        else:
            elsewhere.extend(messages)
    if error.message is None:
        form.form_errors.extend(elsewhere)
    elif not placed:
        form.form_errors.append(error.message)


#: When even the error page cannot be rendered (the database is down, a template is broken).
FALLBACK = (
    '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>{title}</title>'
    '<link rel="stylesheet" href="/static/style.css"></head><body>'
    '<a class="skip-link" href="#main">Naar de inhoud</a><header class="site-header">'
    '<div class="bar"><a class="brand" href="/">Deelkracht</a></div></header>'
    '<main id="main" tabindex="-1"><h1>{title}</h1><p><a href="/">Naar de startpagina</a></p>'
    '</main><footer class="site-footer"><p>Deelkracht</p></footer></body></html>'
)


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def error_page(status: int, title=None, message=None):
    """The error page in the site's layout, or a plain one if the layout itself fails."""
    title = title or TITLES.get(status, _l("Fout"))
    try:
        return render_template(
            "errors/error.html", status=status, title=title, message=message
        ), status
    except Exception:
        log.exception("the error page for %s could not be rendered", status)
        return FALLBACK.format(title=escape(str(title))), status


def register(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        """Every refusal of an operation that no view caught: nothing of it is saved."""

        db.session.rollback()
        if _wants_json():
            return problem(error.status, error.detail, error.fields)
        return error_page(error.status)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        if _wants_json():
            return problem(400, "CSRF")
        return error_page(
            400,
            _("Formulier verlopen"),
            _("Het formulier was verlopen of ongeldig. Ga terug en probeer het opnieuw."),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        status = error.code or 500
        if _wants_json():
            # smorest's handler keeps the per-field messages of a rejected body (400 + fields)

            return api.handle_http_exception(error)
        return error_page(status, message=getattr(error, "page_message", None))

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        log.exception("unhandled error on %s", request.path)

        try:
            db.session.rollback()
        except Exception:
            log.exception("rollback after an unhandled error failed")
        if _wants_json():
            return problem(500)
        return error_page(500)
