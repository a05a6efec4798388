"""SCIM 2.0 (RFC 7644) under ``/scim/v2``: Users, Groups and the discovery endpoints.

Authenticated by the organisation's bearer token (``deelkracht scim token ORG``); no cookies,
so no CSRF. Errors are SCIM errors (``application/scim+json``, ``status``, ``scimType``) and never
name anything outside the token's organisation.
"""

from __future__ import annotations

import functools
import json

from flask import Blueprint, Response, g, request, url_for
from scim2_models import (
    Context,
    Error,
    Group,
    InvalidFilterException,
    InvalidSyntaxException,
    InvalidValueException,
    ListResponse,
    NotFoundException,
    PatchOp,
    ResponseParameters,
    SCIMException,
    ScimFilter,
    UnauthorizedException,
    UniquenessException,
)
from scim2_models.path import CompareOperator, Comparison
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from app.accounts.models import ScimGroup, User
from app.extensions import csrf, db
from app.scim import groups, operations
from app.scim.resources import (
    MAX_RESULTS,
    ScimUser,
    published_schemas,
    service_provider,
    to_scim,
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


def _body() -> dict:
    data = request.get_json(silent=True, force=True)
    if not isinstance(data, dict):
        raise InvalidSyntaxException(detail="the body must be a JSON object")
    return data


def _dump(resource, asked: dict | None = None) -> dict:
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


# --- discovery -------------------------------------------------------------------------------


@bp.route("/ServiceProviderConfig")
@scim_endpoint
def service_provider_config(organisation_id: int):
    config = service_provider().config
    config.meta = {"resourceType": "ServiceProviderConfig", "location": request.base_url}
    return scim_response(config.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))


@bp.route("/Schemas")
@bp.route("/Schemas/<path:schema_id>")
@scim_endpoint
def schemas(organisation_id: int, schema_id: str | None = None):
    found = published_schemas()
    for schema in found:
        schema.meta = {
            "resourceType": "Schema",
            "location": url_for("scim.schemas", schema_id=schema.id, _external=True),
        }
    if schema_id is not None:
        match = next((s for s in found if s.id == schema_id), None)
        if match is None:
            raise NotFoundException(detail="no such schema")
        return scim_response(match.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))
    return _list_of(found)


@bp.route("/ResourceTypes")
@bp.route("/ResourceTypes/<resource_type_id>")
@scim_endpoint
def resource_types(organisation_id: int, resource_type_id: str | None = None):
    found = list(service_provider().resource_types)
    for resource_type in found:
        resource_type.meta = {
            "resourceType": "ResourceType",
            "location": url_for(
                "scim.resource_types", resource_type_id=resource_type.id, _external=True
            ),
        }
    if resource_type_id is not None:
        match = next((r for r in found if r.id == resource_type_id), None)
        if match is None:
            raise NotFoundException(detail="no such resource type")
        return scim_response(match.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))
    return _list_of(found)


def _list_of(resources: list) -> Response:
    listing = ListResponse[type(resources[0])](
        total_results=len(resources),
        start_index=1,
        items_per_page=len(resources),
        resources=resources,
    )
    return scim_response(listing.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))


# --- Users -----------------------------------------------------------------------------------


def _paging() -> tuple[int, int]:
    try:
        start = int(request.args.get("startIndex", 1))
        count = int(request.args.get("count", MAX_RESULTS))
    except ValueError as exc:
        raise InvalidValueException(detail="startIndex and count are integers") from exc
    return max(start, 1), min(max(count, 0), MAX_RESULTS)


def _filtered(query, resource_type, expression: str | None, in_sql: dict, to_resource):
    """The rows of ``query`` that the SCIM ``expression`` selects: a query when the filter is
    absent or is ``attribute eq value`` on one of the attributes of ``in_sql`` (lowercase
    attribute name → a function of the value giving the SQL condition: what Entra ID sends
    before every change), else a list of the rows scim2-models matches after ``to_resource``."""
    if not expression:
        return query
    try:
        parsed = ScimFilter[resource_type](expression)
    except (ValueError, SCIMException) as exc:
        raise InvalidFilterException(detail=str(exc)[:200]) from exc
    node = parsed.ast
    if isinstance(node, Comparison) and node.op == CompareOperator.eq and not node.attr_path.uri:
        condition = in_sql.get(node.attr_path.attr.lower())
        if condition is not None and node.attr_path.sub_attr is None:
            return query.where(condition(str(node.value)))
    return [row for row in db.session.scalars(query) if parsed.match(to_resource(row))]


def _listing(selected, id_column, resource_type, to_resource, start: int, count: int, asked):
    """One page of what :func:`_filtered` selected, as a SCIM ListResponse."""
    if isinstance(selected, list):
        total, page = len(selected), selected[start - 1 : start - 1 + count]
    else:
        total = db.session.scalar(selected.with_only_columns(func.count(id_column)).order_by(None))
        page = list(db.session.scalars(selected.offset(start - 1).limit(count)))
    listing = ListResponse[resource_type](
        total_results=total,
        start_index=start,
        items_per_page=len(page),
        resources=[to_resource(row) for row in page],
    )
    return scim_response(_dump(listing, asked))


#: Users: ``userName eq`` and ``externalId eq`` run in SQL.
_USERS_IN_SQL = {
    "username": lambda value: func.lower(User.email) == value.lower(),
    "externalid": lambda value: User.scim_external_id == value,
}


@bp.route("/Users", methods=["GET"])
@scim_endpoint
def users(organisation_id: int):
    return _search(organisation_id, request.args.get("filter"), *_paging())


def _search_body() -> tuple[str | None, int, int, dict]:
    body = _body()
    try:
        start = max(int(body.get("startIndex") or 1), 1)
        count = min(max(int(body.get("count") if body.get("count") is not None else 200), 0), 200)
    except (TypeError, ValueError) as exc:
        raise InvalidValueException(detail="startIndex and count are integers") from exc
    asked = {k: body[k] for k in ("attributes", "excludedAttributes") if body.get(k)}
    return body.get("filter"), start, count, asked


@bp.route("/Users/.search", methods=["POST"])
@scim_endpoint
def search(organisation_id: int):
    """POST search (RFC 7644 3.4.3): the query in the body, the same answer as GET."""
    return _search(organisation_id, *_search_body())


@bp.route("/.search", methods=["POST"])
@scim_endpoint
def search_all(organisation_id: int):
    """POST search at the root (RFC 7644 3.4.3): people and groups of the organisation, people
    first. A filter that names what only one of the two has selects from that one; a filter
    that fits neither is a 400."""
    expression, start, count, asked = _search_body()
    found: list = []
    refused = 0
    for query, resource_type, in_sql, convert in (
        (operations.people(organisation_id).order_by(User.id), ScimUser, _USERS_IN_SQL, to_scim),
        (
            groups.groups(organisation_id).order_by(ScimGroup.id),
            Group,
            _GROUPS_IN_SQL,
            groups.to_scim,
        ),
    ):
        try:
            selected = _filtered(query, resource_type, expression, in_sql, convert)
        except InvalidFilterException:
            refused += 1
            continue
        if not isinstance(selected, list):
            selected = list(db.session.scalars(selected))
        found.extend(convert(item) for item in selected)
    if refused == 2:
        raise InvalidFilterException(detail="the filter fits neither Users nor Groups")
    page = found[start - 1 : start - 1 + count]
    listing = ListResponse[ScimUser | Group](
        total_results=len(found),
        start_index=start,
        items_per_page=len(page),
        resources=page,
    )
    return scim_response(_dump(listing, asked))


def _search(organisation_id: int, expression, start: int, count: int, asked=None):
    query = operations.people(organisation_id).order_by(User.id)
    selected = _filtered(query, ScimUser, expression, _USERS_IN_SQL, to_scim)
    return _listing(selected, User.id, ScimUser, to_scim, start, count, asked)


@bp.route("/Users", methods=["POST"])
@scim_endpoint
def create_user(organisation_id: int):
    resource = ScimUser.model_validate(_body(), scim_ctx=Context.RESOURCE_CREATION_REQUEST)
    person = operations.create(organisation_id, resource)
    body = _dump(to_scim(person))
    commit()
    return scim_response(body, 201, {"Location": body["meta"]["location"]})


def _person_or_404(organisation_id: int, user_id: str) -> User:
    person = operations.get_person(organisation_id, user_id)
    if person is None:
        raise NotFoundException(detail="no such user")
    return person


@bp.route("/Users/<user_id>", methods=["GET"])
@scim_endpoint
def user(organisation_id: int, user_id: str):
    return scim_response(_dump(to_scim(_person_or_404(organisation_id, user_id))))


@bp.route("/Users/<user_id>", methods=["PUT"])
@scim_endpoint
def replace_user(organisation_id: int, user_id: str):
    person = _person_or_404(organisation_id, user_id)
    resource = ScimUser.model_validate(_body(), scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST)
    operations.replace(organisation_id, person, resource)
    body = _dump(to_scim(person))
    commit()
    return scim_response(body)


def _entra_patch(body: dict) -> dict:
    """Entra ID sends the manager as a bare id (``"value": "<id>"``); RFC 7643 has it as
    ``{"value": id}``. Everything else (``"False"`` strings, path-less replace) scim2-models
    reads as it comes."""
    for operation in body.get("Operations") or []:
        if (
            isinstance(operation, dict)
            and str(operation.get("path", "")).lower().endswith(":manager")
            and isinstance(operation.get("value"), str)
        ):
            operation["value"] = {"value": operation["value"]}
    return body


@bp.route("/Users/<user_id>", methods=["PATCH"])
@scim_endpoint
def patch_user(organisation_id: int, user_id: str):
    person = _person_or_404(organisation_id, user_id)
    patch = PatchOp[ScimUser].model_validate(
        _entra_patch(_body()), scim_ctx=Context.RESOURCE_PATCH_REQUEST
    )
    resource = to_scim(person)
    if patch.patch(resource):
        operations.replace(organisation_id, person, resource)
    body = _dump(to_scim(person))
    commit()
    return scim_response(body)


@bp.route("/Users/<user_id>", methods=["DELETE"])
@scim_endpoint
def delete_user(organisation_id: int, user_id: str):
    operations.delete(_person_or_404(organisation_id, user_id))
    commit()
    return Response(status=204)


@bp.route("/<path:unknown>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
@scim_endpoint
def not_found(organisation_id: int, unknown: str):
    """Anything else under /scim/v2 is a SCIM 404 (RFC 7644 3.12); a method an endpoint does
    not take is a 405."""
    if unknown.split("/", 1)[0] in {
        "ServiceProviderConfig",
        "ResourceTypes",
        "Schemas",
        "Users",
        "Groups",
    }:
        error = Error(status=405, detail="method not allowed")
        return scim_response(error.model_dump(), 405)
    raise NotFoundException(detail="no such endpoint")


# --- Groups ----------------------------------------------------------------------------------


#: Groups: ``displayName eq`` and ``externalId eq`` run in SQL.
_GROUPS_IN_SQL = {
    "displayname": lambda value: func.lower(ScimGroup.display_name) == value.lower(),
    "externalid": lambda value: ScimGroup.external_id == value,
}


@bp.route("/Groups", methods=["GET"])
@scim_endpoint
def groups_list(organisation_id: int):
    return _search_groups(organisation_id, request.args.get("filter"), *_paging())


@bp.route("/Groups/.search", methods=["POST"])
@scim_endpoint
def search_groups(organisation_id: int):
    """POST search of the groups: the query in the body, the same answer as GET."""
    return _search_groups(organisation_id, *_search_body())


def _search_groups(organisation_id: int, expression, start: int, count: int, asked=None):
    query = groups.groups(organisation_id).order_by(ScimGroup.id)
    selected = _filtered(query, Group, expression, _GROUPS_IN_SQL, groups.to_scim)
    return _listing(selected, ScimGroup.id, Group, groups.to_scim, start, count, asked)


def _group_or_404(organisation_id: int, group_id: str) -> ScimGroup:
    group = groups.get_group(organisation_id, group_id)
    if group is None:
        raise NotFoundException(detail="no such group")
    return group


@bp.route("/Groups", methods=["POST"])
@scim_endpoint
def create_group(organisation_id: int):
    resource = Group.model_validate(_body(), scim_ctx=Context.RESOURCE_CREATION_REQUEST)
    group = groups.create(organisation_id, resource)
    body = _dump(groups.to_scim(group))
    commit()
    return scim_response(body, 201, {"Location": body["meta"]["location"]})


@bp.route("/Groups/<group_id>", methods=["GET"])
@scim_endpoint
def group(organisation_id: int, group_id: str):
    return scim_response(_dump(groups.to_scim(_group_or_404(organisation_id, group_id))))


@bp.route("/Groups/<group_id>", methods=["PUT"])
@scim_endpoint
def replace_group(organisation_id: int, group_id: str):
    found = _group_or_404(organisation_id, group_id)
    resource = Group.model_validate(_body(), scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST)
    groups.replace(organisation_id, found, resource)
    body = _dump(groups.to_scim(found))
    commit()
    return scim_response(body)


def _entra_group_patch(body: dict) -> dict:
    """Entra ID removes members with ``"path": "members"`` and the members in ``value``;
    RFC 7644 selects them with a filter in the path. Rewritten to the RFC's shape (one remove
    per member) before scim2-models reads the request."""
    operations_ = []
    for operation in body.get("Operations") or []:
        if (
            isinstance(operation, dict)
            and str(operation.get("op", "")).lower() == "remove"
            and str(operation.get("path", "")).lower() == "members"
            and isinstance(operation.get("value"), list)
        ):
            for member in operation["value"]:
                value = member.get("value") if isinstance(member, dict) else None
                if not isinstance(value, str) or '"' in value or "\\" in value:
                    raise InvalidValueException(detail="a member to remove needs its id")
                operations_.append({"op": "remove", "path": f'members[value eq "{value}"]'})
        else:
            operations_.append(operation)
    if "Operations" in body:
        body["Operations"] = operations_
    return body


@bp.route("/Groups/<group_id>", methods=["PATCH"])
@scim_endpoint
def patch_group(organisation_id: int, group_id: str):
    found = _group_or_404(organisation_id, group_id)
    patch = PatchOp[Group].model_validate(
        _entra_group_patch(_body()), scim_ctx=Context.RESOURCE_PATCH_REQUEST
    )
    resource = groups.to_scim(found)
    if patch.patch(resource):
        groups.replace(organisation_id, found, resource)
    body = _dump(groups.to_scim(found))
    commit()
    return scim_response(body)


@bp.route("/Groups/<group_id>", methods=["DELETE"])
@scim_endpoint
def delete_group(organisation_id: int, group_id: str):
    groups.delete(organisation_id, _group_or_404(organisation_id, group_id))
    commit()
    return Response(status=204)
