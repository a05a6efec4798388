"""The SCIM protocol around the resources: the blueprint, the token check, SCIM errors and JSON,
``attributes``/``excludedAttributes``, filters (in SQL where Entra ID's ``eq`` allows) and paging
(``startIndex``/``count``, RFC 7644 3.4.2). The Users and Groups endpoints are in ``views`` and
``group_views``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, g, request
from scim2_models import (
    Context,
    Error,
    InvalidFilterException,
    InvalidSyntaxException,
    InvalidValueException,
    ListResponse,
    NotFoundException,
    ResponseParameters,
    SCIMException,
    ScimFilter,
    UnauthorizedException,
    UniquenessException,
)
from scim2_models.path import CompareOperator, Comparison
from sqlalchemy import Select, func
from sqlalchemy.exc import IntegrityError

from app.extensions import csrf, db
from app.scim import operations
from app.scim.resources import (
    MAX_RESULTS,
)
from app.transaction import commit

bp = Blueprint("scim", __name__, url_prefix="/scim/v2")
csrf.exempt(bp)
MEDIA_TYPE = "application/scim+json"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def scim_response(payload: dict, status: int = 200, headers: dict | None = None) -> Response:
    return Response(json.dumps(payload), status=status, mimetype=MEDIA_TYPE, headers=headers)


def error_response(exc: SCIMException) -> Response:
    error = exc.to_error()
    return scim_response(error.model_dump(), int(error.status))


def scim_endpoint(func_):
    """Token first (401 without a live one), then the handler; SCIM exceptions and pydantic
    validation errors become SCIM errors and roll back."""

    @functools.wraps(func_)
    def wrapper(*args, **kwargs):
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        organisation_id = (
            operations.organisation_for_token(token.strip())
            if scheme.lower() == "bearer" and token.strip()
            else None
        )
        if organisation_id is None:
            response = error_response(UnauthorizedException(detail="a valid SCIM token is needed"))
            response.headers["WWW-Authenticate"] = 'Bearer realm="scim"'
            return response
        g.scim_organisation_id = organisation_id
        try:
            return func_(organisation_id, *args, **kwargs)
        except SCIMException as exc:
            db.session.rollback()
            return error_response(exc)
        except IntegrityError:  # two clients made the same name or externalId at once
            db.session.rollback()
            return error_response(UniquenessException(detail="already in use"))
        except ValueError as exc:  # pydantic's ValidationError: the payload does not validate
            db.session.rollback()
            errors = exc.errors() if hasattr(exc, "errors") else []
            if not errors:
                return error_response(InvalidValueException(detail=str(exc)[:200]))
            error = Error.from_validation_error(errors[0])
            return scim_response(error.model_dump(), int(error.status))

    return wrapper


def request_body() -> dict:
    data = request.get_json(silent=True, force=True)
    if not isinstance(data, dict):
        raise InvalidSyntaxException(detail="the body must be a JSON object")
    return data


def dump(resource, asked: dict | None = None) -> dict:
    """The resource as SCIM JSON, with the ``attributes`` / ``excludedAttributes`` asked for."""
    if asked is None:
        asked = {
            key: request.args[key]
            for key in ("attributes", "excludedAttributes")
            if request.args.get(key)
        }
    try:
        parameters = ResponseParameters.model_validate(asked) if asked else None
    except ValueError as exc:
        raise InvalidValueException(detail="attributes or excludedAttributes") from exc
    body = resource.model_dump(
        scim_ctx=Context.RESOURCE_QUERY_RESPONSE, response_parameters=parameters
    )
    for item in [body, *body.get("Resources", [])]:
        # The extension object names its own schema, so a client that reads it back as a
        # model (scim2-client) compares like with like.
        if isinstance(item.get(ENTERPRISE), dict):
            item[ENTERPRISE].setdefault("schemas", [ENTERPRISE])
    return body


def list_of(resources: list) -> Response:
    answer = ListResponse[type(resources[0])](
        total_results=len(resources),
        start_index=1,
        items_per_page=len(resources),
        resources=resources,
    )
    return scim_response(answer.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))


def paging() -> tuple[int, int]:
    try:
        start = int(request.args.get("startIndex", 1))
        count = int(request.args.get("count", MAX_RESULTS))
    except ValueError as exc:
        raise InvalidValueException(detail="startIndex and count are integers") from exc
    return max(start, 1), min(max(count, 0), MAX_RESULTS)


@dataclass(frozen=True)
class Kind:
    """A SCIM resource type as the list and search endpoints need it: its model, the select of
    the organisation's rows in order, the id column (for the count), the conversion, and the
    attributes whose ``eq`` filter runs in SQL (lowercase name → the condition for a value)."""

    resource_type: type
    rows: Callable[[int], Select]
    id_column: Any
    to_resource: Callable
    in_sql: dict[str, Callable]


def filtered(kind: Kind, organisation_id: int, expression: str | None):
    """The organisation's rows of ``kind`` that the SCIM ``expression`` selects: a query when the
    filter is absent or is ``attribute eq value`` on one of ``kind.in_sql`` (what Entra ID sends
    before every change), else a list of the rows scim2-models matches after conversion."""
    query = kind.rows(organisation_id)
    if not expression:
        return query
    try:
        parsed = ScimFilter[kind.resource_type](expression)
    except (ValueError, SCIMException) as exc:
        raise InvalidFilterException(detail=str(exc)[:200]) from exc
    node = parsed.ast
    if isinstance(node, Comparison) and node.op == CompareOperator.eq and not node.attr_path.uri:
        condition = kind.in_sql.get(node.attr_path.attr.lower())
        if condition is not None and node.attr_path.sub_attr is None:
            return query.where(condition(str(node.value)))
    return [row for row in db.session.scalars(query) if parsed.match(kind.to_resource(row))]


def listing(kind: Kind, selected, start: int, count: int, asked):
    """One page of what :func:`filtered` selected, as a SCIM ListResponse."""
    if isinstance(selected, list):
        total, page = len(selected), selected[start - 1 : start - 1 + count]
    else:
        total = db.session.scalar(
            selected.with_only_columns(func.count(kind.id_column)).order_by(None)
        )
        page = list(db.session.scalars(selected.offset(start - 1).limit(count)))
    answer = ListResponse[kind.resource_type](
        total_results=total,
        start_index=start,
        items_per_page=len(page),
        resources=[kind.to_resource(row) for row in page],
    )
    return scim_response(dump(answer, asked))


def search_body() -> tuple[str | None, int, int, dict]:
    body = request_body()
    try:
        start = max(int(body.get("startIndex") or 1), 1)
        count = min(max(int(body.get("count") if body.get("count") is not None else 200), 0), 200)
    except (TypeError, ValueError) as exc:
        raise InvalidValueException(detail="startIndex and count are integers") from exc
    asked = {k: body[k] for k in ("attributes", "excludedAttributes") if body.get(k)}
    return body.get("filter"), start, count, asked


def search_kind(kind: Kind, organisation_id: int, expression, start: int, count: int, asked=None):
    """One page of the organisation's ``kind`` that ``expression`` selects (GET and POST)."""
    return listing(kind, filtered(kind, organisation_id, expression), start, count, asked)


def add_list_endpoints(path: str, kind: Kind, *, list_endpoint: str, search_endpoint: str) -> None:
    """``GET path`` (the query in ``?filter=&startIndex=&count=``) and ``POST path/.search``
    (RFC 7644 3.4.3: the query in the body, the same answer) for ``kind``, on :data:`bp`."""

    @scim_endpoint
    def listed(organisation_id: int):
        return search_kind(kind, organisation_id, request.args.get("filter"), *paging())

    @scim_endpoint
    def searched(organisation_id: int):
        return search_kind(kind, organisation_id, *search_body())

    bp.add_url_rule(path, list_endpoint, listed, methods=["GET"])
    bp.add_url_rule(f"{path}/.search", search_endpoint, searched, methods=["POST"])


def saved(resource, status: int = 200) -> Response:
    """Commit and answer ``resource`` (a new one: 201 with its ``Location``). Dumped before the
    commit, so the answer is what was written and costs no reload."""
    body = dump(resource)
    commit()
    headers = {"Location": body["meta"]["location"]} if status == 201 else None
    return scim_response(body, status, headers)


def found_or_404(row, detail: str):
    """``row``, or a SCIM 404 (``detail`` says what was missing: nothing about other
    organisations, whose rows the look-up never finds)."""
    if row is None:
        raise NotFoundException(detail=detail)
    return row
