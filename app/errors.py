"""Error pages in the site's style, and problem details (RFC 9457) under /api."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from werkzeug.exceptions import HTTPException

from app.api import TITLES, problem

log = logging.getLogger(__name__)


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
            from app.api import api

            return api.handle_http_exception(error)
        return error_page(status, message=getattr(error, "page_message", None))

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        log.exception("unhandled error on %s", request.path)
        from app.extensions import db

        try:
            db.session.rollback()
        except Exception:
            log.exception("rollback after an unhandled error failed")
        if _wants_json():
            return problem(500)
        return error_page(500)
