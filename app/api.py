"""The JSON API under /api/v1 (flask-smorest: marshmallow schemas and the OpenAPI document).

It follows the Dutch REST API Design Rules (Logius; tests/standards/), as CONTRACT.md states:

- JSON properties and query keys are lowerCamelCase, made in one place: :class:`ApiSchema` gives
  every field the camelCase ``data_key`` of its snake_case Python name (enum *values* stay);
- errors are RFC 9457 problem details (``application/problem+json``: ``type``, ``title``,
  ``status``, ``detail``, ``instance``, and ``invalidParams`` ``[{name, code, reason}]`` for 400),
  in the request's language (Dutch msgids, English catalogue), by :func:`problem`;
- every response carries ``API-Version`` (the full semver of :data:`API_VERSION`);
- timestamps are RFC 3339 with offset (:class:`Timestamp`; stored as naive UTC);
- the OpenAPI document (:func:`finish_document`) states all of that, so it can be linted with the
  standard's ruleset and checked against the running app (schemathesis).
"""

from __future__ import annotations

import copy
import http
from datetime import UTC, datetime

from flask import current_app, json, jsonify, request
from flask_babel import lazy_gettext as _l
from flask_smorest import Api as _Api
from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException

from app.ids import MAX_PUBLIC_ID, IdConverter, IdRule

#: The API's version (semver). The major version is the one in the path (/api/v1); every change
#: is written in docs/api-changelog.md.
API_VERSION = "1.2.1"
API_PREFIX = "/api/v1"
OPENAPI_PATH = f"{API_PREFIX}/openapi.json"
PROBLEM_JSON = "application/problem+json"

#: Title of a problem per status: the HTTP status phrase, in the request's language.
TITLES = {
    400: _l("Ongeldig verzoek"),
    401: _l("Inloggen nodig"),
    403: _l("Geen toegang"),
    404: _l("Niet gevonden"),
    405: _l("Niet toegestaan"),
    409: _l("Conflict"),
    413: _l("Te groot"),
    415: _l("Niet-ondersteund formaat"),
    429: _l("Te veel pogingen"),
    500: _l("Er ging iets mis"),
}

#: ``detail`` where the code gives none of its own (werkzeug's descriptions are English).
DETAILS = {
    400: _l("Het verzoek is ongeldig."),
    401: _l("Een geldig token is nodig."),
    403: _l("Je mag dit niet doen."),
    404: _l("Dit bestaat niet, of je mag het niet zien."),
    405: _l("Deze methode kan hier niet; zie de kop Allow."),
    409: _l("Dit kan niet in de huidige toestand."),
    413: _l("Het verzoek is te groot."),
    415: _l("Stuur JSON (application/json)."),
    429: _l("Te veel pogingen; probeer het later opnieuw."),
    500: _l("Er ging iets mis aan onze kant."),
}

#: Machine-readable problem kind per status (the ``code`` extension member; stable).
CODES = {
    400: "invalid",
    401: "unauthorised",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    429: "too_many_requests",
    500: "internal",
}

#: Reasons that mean "missing" (our Dutch ones and marshmallow's English default).
_REQUIRED = {"Dit veld is verplicht.", "Verplicht veld.", "Missing data for required field."}
_UNKNOWN = {"Unknown field."}


def camelize(name: str) -> str:
    """``hours_per_week`` -> ``hoursPerWeek``; a dotted path per part; ``_schema`` stays."""
    if "." in name:
        return ".".join(camelize(part) for part in name.split("."))
    if name.startswith("_") or "_" not in name:
        return name
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


class ApiSchema(Schema):
    """Base of every API schema: the JSON name of a field is the lowerCamelCase of its Python
    name (ADR /core/naming: one spelling, written once here, not per field). A field with its
    own ``data_key`` (``from``) keeps it."""

    def on_bind_field(self, field_name: str, field_obj: fields.Field) -> None:
        if field_obj.data_key is None:
            field_obj.data_key = camelize(field_name)


class Timestamp(fields.DateTime):
    """An RFC 3339 timestamp with offset (``…Z``). The database holds naive UTC; a naive value is
    therefore read as UTC, an aware one converted to it."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return utc_text(value)


def utc_text(value: datetime) -> str:
    """A stored (naive UTC) or aware datetime as RFC 3339 in UTC: ``2026-12-02T17:09:10Z``."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _problem_code(reason: str) -> str:
    if reason in _REQUIRED:
        return "required"
    if reason in _UNKNOWN or reason.startswith("Onbekend veld"):
        return "unknown"
    return "invalid"


def invalid_params(fields_: dict[str, list[str]], as_sent: bool = False) -> list[dict]:
    """``{"field": [reasons]}`` -> ``[{"name", "code", "reason"}]``. Names from an operation
    (Python names: ``end_date``) become camelCase; names from parsing (``as_sent``) are the
    JSON or query keys as sent, an unknown ``organisation_id`` included."""
    return [
        {
            "name": name if as_sent else camelize(name),
            "code": _problem_code(str(reason)),
            "reason": str(reason),
        }
        for name, reasons in fields_.items()
        for reason in reasons
    ]


def problem(
    status: int,
    detail: str | None = None,
    fields: dict | None = None,
    code: str | None = None,
    headers: dict | None = None,
    as_sent: bool = False,
):
    """An RFC 9457 problem response in the request's language. ``fields`` (``{name:
    [reasons]}``) become ``invalidParams``."""
    body = {
        "type": "about:blank",
        "title": str(TITLES.get(status) or http.HTTPStatus(status).phrase),
        "status": status,
        "detail": str(detail or DETAILS.get(status) or http.HTTPStatus(status).phrase),
        "instance": request.path,
        "code": code or CODES.get(status, "error"),
    }
    if fields:
        body["invalidParams"] = invalid_params(fields, as_sent)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_JSON
    for name, value in (headers or {}).items():
        response.headers[name] = value
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


def _id_parameter(converter) -> dict:
    """A path id is a public id (app/ids.py): an opaque integer below 2^52."""
    return {"type": "integer", "minimum": 1, "maximum": MAX_PUBLIC_ID}


def _is_api_path(path: str) -> bool:
    return path == API_PREFIX or path.startswith(API_PREFIX + "/")


def api_headers(response):
    """After every request: ``API-Version`` on every API response; the OpenAPI document may be
    read from any origin (it is public; nothing else is)."""
    if _is_api_path(request.path):
        response.headers["API-Version"] = API_VERSION
        if request.path == OPENAPI_PATH:
            response.headers["Access-Control-Allow-Origin"] = "*"
    return response


class Api(_Api):
    def init_app(self, app, *args, **kwargs):
        app.url_rule_class = IdRule  # before any route is added: public ids (app/ids.py)
        app.url_map.converters["int"] = IdConverter
        super().init_app(app, *args, **kwargs)
        self.register_converter(IdConverter, _id_parameter)
        app.after_request(api_headers)

    def handle_http_exception(self, error: HTTPException):
        status = error.code or 500
        data = getattr(error, "data", None) or {}
        messages = data.get("messages")
        if status == 422:
            status = 400  # invalid input is a 400 with the fields named
        fields_ = flatten_fields(messages) if messages else {}
        detail = data.get("message")
        if not detail and error.description != type(error).description:
            detail = error.description  # our own abort(…, description=…)
        if fields_ and status == 400:
            detail = _l("Een of meer velden zijn ongeldig; zie invalidParams.")
        headers = {
            name: value
            for name, value in error.get_headers()
            if name.lower() not in ("content-type", "content-length")
        }
        headers.update(data.get("headers") or {})
        if status == 401:
            headers["WWW-Authenticate"] = 'Bearer realm="deelkracht"'
        return problem(status, detail, fields_, headers=headers, as_sent=True)

    def _openapi_json(self):
        return current_app.response_class(
            json.dumps(self.document(), indent=2, sort_keys=False), mimetype="application/json"
        )

    def document(self) -> dict:
        """The OpenAPI document as served (see :func:`finish_document`)."""
        return finish_document(self.spec.to_dict(), current_app.config)


# --- the OpenAPI document --------------------------------------------------------------------

DESCRIPTION = """\
The JSON API of Deelkracht, a *klussenbank* where the member organisations of a Dutch
shared-service arrangement (*gemeenschappelijke regeling*) share staff.

It follows the REST API Design Rules (Logius): lowerCamelCase JSON properties and query keys,
RFC 9457 problem details for every error (`invalidParams` for invalid input), the
`API-Version` header on every response, RFC 3339 timestamps with offset, no trailing slashes.
Changes are listed in the API changelog (`docs/api-changelog.md`).

**Resource names in English (explained, "pas toe of leg uit").** The rules ask for Dutch
names. Deelkracht's code, database and API use one English vocabulary, fixed in its glossary,
so that a term means the same thing in the code, the API and the documentation; the user
interface is Dutch. The glossary:

| API (English) | Dutch | meaning |
|---|---|---|
| arrangement | gemeenschappelijke regeling | the shared-service body; the tenant |
| organisation | (deelnemende) organisatie, gemeente | a member organisation |
| department | afdeling | a unit within an organisation |
| job | klus | a task or temporary role posted by an organisation |
| capacity (offer) | kracht, capaciteitsaanbod | an employee's offer of spare hours and skills |
| application | reactie | an employee's response to a job |
| match | match, voorstel | a proposed placement of an employee on a job |
| agreement | detacheringsovereenkomst | the signed terms of a placement |
| line manager | leidinggevende | manages a department |
| HR | P&O | HR of an organisation |
| coordinator | coördinator | runs the arrangement's exchange |

Who may see what follows the privacy rules of the arrangement: what a caller may not see is
answered `404`, exactly like what does not exist.
"""

_HEADER_REF = {"$ref": "#/components/headers/API-Version"}
_PROBLEM_CONTENT = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
_WRITES = ("post", "put", "patch", "delete")


def _components(document: dict) -> None:
    components = document.setdefault("components", {})
    components.setdefault("headers", {})["API-Version"] = {
        "description": "The full version (semver) of the API that answered.",
        "schema": {"type": "string", "example": API_VERSION},
        "required": True,
    }
    schemas = components.setdefault("schemas", {})
    schemas.pop("Error", None)  # flask-smorest's default error shape: not ours
    schemas["InvalidParam"] = {
        "type": "object",
        "properties": {
            "name": {"type": "string", "description": "the field or query key (camelCase)"},
            "code": {"type": "string", "enum": ["required", "unknown", "invalid"]},
            "reason": {"type": "string"},
        },
        "required": ["name", "code", "reason"],
    }
    schemas["Problem"] = {
        "type": "object",
        "description": "RFC 9457 problem details.",
        "properties": {
            "type": {"type": "string", "format": "uri-reference"},
            "title": {"type": "string"},
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "detail": {"type": "string"},
            "instance": {"type": "string", "format": "uri-reference"},
            "code": {"type": "string", "description": "machine-readable kind (stable)"},
            "invalidParams": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/InvalidParam"},
            },
        },
        "required": ["type", "title", "status", "detail"],
    }
    components.pop("responses", None)  # flask-smorest's defaults; every response is inline


def _finish_operation(method: str, path: str, operation: dict) -> None:
    responses = operation.setdefault("responses", {})
    responses.pop("default", None)  # every status the API answers is listed, no catch-all
    if operation.get("security"):
        responses.setdefault("401", {})
    if "{" in path:
        responses.setdefault("404", {})
    if method in _WRITES:
        responses.setdefault("400", {})
        responses.setdefault("413", {})
    if "{" in path or operation.get("parameters"):
        # Text in the path or query is cleaned before any view (app.cleaning): a control
        # character or a lone surrogate there is a 400 on every operation that takes some.
        responses.setdefault("400", {})
    for status, response in list(responses.items()):
        if "$ref" in response:  # a flask-smorest default response (e.g. BAD_REQUEST)
            response = {}
        code = int(status)
        response.setdefault("description", http.HTTPStatus(code).phrase)
        response.setdefault("headers", {})["API-Version"] = _HEADER_REF
        if code >= 400:
            response["content"] = copy.deepcopy(_PROBLEM_CONTENT)
        responses[status] = response
    operation["responses"] = dict(sorted(responses.items()))


def finish_document(document: dict, config) -> dict:
    """The OpenAPI document as the rules want it, from what flask-smorest makes of the schemas:
    semver ``info.version``, ``info.contact``, ``servers`` with ``/api/v1`` (paths relative to
    it), ``API-Version`` on every response, problem details for every error status, ``401`` on
    every operation that needs a token, ``404`` where a path names an object, ``400`` and
    ``413`` on every write, ``400`` wherever the path or query carries text."""
    document = copy.deepcopy(document)
    info = document.setdefault("info", {})
    info["version"] = API_VERSION
    info["description"] = DESCRIPTION
    info["contact"] = {
        "name": config.get("API_CONTACT_NAME"),
        "email": config.get("API_CONTACT_EMAIL"),
        "url": config.get("API_CONTACT_URL"),
    }
    info["license"] = {"name": "EUPL-1.2", "url": "https://eupl.eu/1.2/nl/"}
    document["servers"] = [{"url": API_PREFIX, "description": "this installation"}]
    paths = {}
    for path, item in document.get("paths", {}).items():
        relative = path[len(API_PREFIX) :] if _is_api_path(path) else path
        for method, operation in item.items():
            if method in ("get", "put", "post", "patch", "delete"):
                _finish_operation(method, relative, operation)
        paths[relative or "/"] = item
    document["paths"] = paths
    _components(document)
    return document


api = Api()
