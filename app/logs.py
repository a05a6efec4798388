"""Logging: a request id on every request, and JSON lines as an option (``LOG_FORMAT=json``).

In JSON mode every record is one object with ``time``, ``level``, ``logger``, ``message``, the
``request_id`` (the caller's ``X-Request-ID`` when it is a plain token, else a new one; sent
back in the answer) and the ``arrangement_id`` in whose context it was logged. Each request
ends with one ``deelkracht.request`` record: method, route *template*, status and duration, never
the URL (it may hold ids or a search for a name) nor the client's address or account, so the
log holds no personal data that the application itself does not put there.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from flask import Flask, g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter

from tenants.context import current_arrangement_id

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
request_log = logging.getLogger("deelkracht.request")


class ContextFilter(logging.Filter):
    """Adds the request id and the current arrangement to every record."""

    def filter(self, record: logging.LogRecord) -> bool:

        record.request_id = g.get("request_id") if has_request_context() else None
        record.arrangement_id = current_arrangement_id()
        return True


def json_formatter() -> logging.Formatter:
    return JsonFormatter(
        "{asctime}{levelname}{name}{message}{request_id}{arrangement_id}",
        style="{",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        datefmt="%Y-%m-%dT%H:%M:%S%z",
    )


def use_json(logger: logging.Logger | None = None) -> None:
    """Every handler of ``logger`` (the root logger) writes JSON with the context fields."""
    logger = logger or logging.getLogger()
    if not logger.handlers:
        logger.addHandler(logging.StreamHandler())
    for handler in logger.handlers:
        if not getattr(handler, "_deelkracht_json", False):
            handler.setFormatter(json_formatter())
            handler.addFilter(ContextFilter())
            handler._deelkracht_json = True


def init_app(app: Flask) -> None:
    json_mode = app.config.get("LOG_FORMAT", "text").lower() == "json"
    if json_mode:
        use_json()

    @app.before_request
    def _request_id() -> None:
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def _send_request_id(response):
        request_id = g.get("request_id")
        if request_id:
            response.headers.setdefault("X-Request-ID", request_id)
        if json_mode:
            rule = request.url_rule
            started = g.get("request_started") or time.perf_counter()
            request_log.info(
                "%s %s %s",
                request.method,
                rule.rule if rule is not None else "<unmatched>",
                response.status_code,
                extra={
                    "method": request.method,
                    "route": rule.rule if rule is not None else "<unmatched>",
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
        return response
