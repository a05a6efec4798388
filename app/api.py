"""The JSON API under /api/v1 (flask-smorest: marshmallow schemas and the OpenAPI document).

Errors follow CONTRACT.md: ``{"error": {"code", "message", "fields"}}``.
"""

from __future__ import annotations

from flask import jsonify
from flask_smorest import Api as _Api
from werkzeug.exceptions import HTTPException

ERROR_CODES = {
    400: "invalid",
    401: "unauthorised",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "too_many_requests",
}


def error_response(status: int, message: str, fields: dict | None = None, code: str | None = None):
    body = {"error": {"code": code or ERROR_CODES.get(status, "error"), "message": message}}
    body["error"]["fields"] = fields or {}
    response = jsonify(body)
    response.status_code = status
    return response


def flatten_fields(messages) -> dict[str, list[str]]:
    """webargs/marshmallow messages ({"json": {"field": [...]}}) to {"field": [...]}."""
    if isinstance(messages, dict) and set(messages) <= {"json", "query", "form", "files"}:
        merged: dict = {}
        for part in messages.values():
            merged.update(part if isinstance(part, dict) else {"_schema": part})
        messages = merged
    out: dict[str, list[str]] = {}
    for key, value in (messages or {}).items():
        if isinstance(value, dict):
            for sub, msgs in flatten_fields(value).items():
                out[f"{key}.{sub}"] = msgs
        elif isinstance(value, list):
            out[str(key)] = [str(m) for m in value]
        else:
            out[str(key)] = [str(value)]
    return out


class Api(_Api):
    def handle_http_exception(self, error: HTTPException):
        status = error.code or 500
        data = getattr(error, "data", None) or {}
        messages = data.get("messages")
        if status == 422:
            status = 400  # CONTRACT.md: invalid input is a 400 with the fields named
        fields = flatten_fields(messages) if messages else {}
        message = data.get("message") or error.description or ""
        if fields and status == 400:
            message = "Ongeldige invoer / invalid input"
        response = error_response(status, message, fields)
        if status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="deelkracht"'
        for name, value in (data.get("headers") or {}).items():
            response.headers[name] = value
        return response


api = Api(spec_kwargs={"info": {"description": "Deelkracht JSON API (CONTRACT.md v1)"}})
