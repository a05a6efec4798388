"""Error pages in the site's style, and JSON errors under /api."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.api import error_response

log = logging.getLogger(__name__)

TITLES = {
    400: "Ongeldig verzoek",
    403: "Geen toegang",
    404: "Niet gevonden",
    405: "Niet toegestaan",
    409: "Conflict",
    413: "Te groot",
    429: "Te veel pogingen",
    500: "Er ging iets mis",
}


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        if _wants_json():
            return error_response(400, "CSRF")
        return (
            render_template(
                "errors/error.html",
                status=400,
                title=_("Formulier verlopen"),
                message=_(
                    "Het formulier was verlopen of ongeldig. Ga terug en probeer het opnieuw."
                ),
            ),
            400,
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        status = error.code or 500
        if _wants_json():
            # smorest's handler keeps the field messages (400) and abort(..., message=...).
            from app.api import api

            return api.handle_http_exception(error)
        return (
            render_template(
                "errors/error.html", status=status, title=_(TITLES.get(status, "Fout"))
            ),
            status,
        )

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        log.exception("unhandled error on %s", request.path)
        from app.extensions import db

        db.session.rollback()
        if _wants_json():
            return error_response(500, "internal error", code="internal")
        return render_template(
            "errors/error.html", status=500, title=_(TITLES[500])
        ), InternalServerError.code
