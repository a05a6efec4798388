"""SCIM 2.0 (RFC 7644) under ``/scim/v2``: Users, the root search and the discovery endpoints
(Groups: ``group_views``; tokens, errors, filters and paging: ``protocol``).

Authenticated by the organisation's bearer token (``deelkracht scim token ORG``); no cookies,
so no CSRF. Errors are SCIM errors (``application/scim+json``, ``status``, ``scimType``) and never
name anything outside the token's organisation.
"""

from __future__ import annotations

from flask import Response, request, url_for
from scim2_models import (
    Context,
    Error,
    Group,
    InvalidFilterException,
    ListResponse,
    NotFoundException,
    PatchOp,
)
from sqlalchemy import func

from app.accounts.models import User
from app.extensions import db
from app.scim import operations
from app.scim.group_views import GROUPS
from app.scim.protocol import (
    Kind,
    add_list_endpoints,
    bp,
    dump,
    filtered,
    found_or_404,
    list_of,
    request_body,
    saved,
    scim_endpoint,
    scim_response,
    search_body,
)
from app.scim.resources import ScimUser, published_schemas, service_provider, to_scim
from app.transaction import commit

# --- discovery -------------------------------------------------------------------------------


@bp.route("/ServiceProviderConfig")
@scim_endpoint
def service_provider_config(organisation_id: int):
    config = service_provider().config
    config.meta = {"resourceType": "ServiceProviderConfig", "location": request.base_url}
    return scim_response(config.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))


def _discovered(found: list, resource_type: str, endpoint: str, variable: str, wanted, missing):
    """A discovery list (RFC 7644 4), each item with its ``meta``; or the one item ``wanted``."""
    for item in found:
        location = url_for(endpoint, **{variable: item.id}, _external=True)
        item.meta = {"resourceType": resource_type, "location": location}
    if wanted is None:
        return list_of(found)
    item = found_or_404(next((i for i in found if i.id == wanted), None), missing)
    return scim_response(item.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))


@bp.route("/Schemas")
@bp.route("/Schemas/<path:schema_id>")
@scim_endpoint
def schemas(organisation_id: int, schema_id: str | None = None):
    return _discovered(
        published_schemas(), "Schema", "scim.schemas", "schema_id", schema_id, "no such schema"
    )


@bp.route("/ResourceTypes")
@bp.route("/ResourceTypes/<resource_type_id>")
@scim_endpoint
def resource_types(organisation_id: int, resource_type_id: str | None = None):
    return _discovered(
        list(service_provider().resource_types),
        "ResourceType",
        "scim.resource_types",
        "resource_type_id",
        resource_type_id,
        "no such resource type",
    )


# --- Users -----------------------------------------------------------------------------------


USERS = Kind(
    ScimUser,
    lambda organisation_id: operations.people(organisation_id).order_by(User.id),
    User.id,
    to_scim,
    {
        "username": lambda value: func.lower(User.email) == value.lower(),
        "externalid": lambda value: User.scim_external_id == value,
    },
)


add_list_endpoints("/Users", USERS, list_endpoint="users", search_endpoint="search")


@bp.route("/.search", methods=["POST"])
@scim_endpoint
def search_all(organisation_id: int):
    """POST search at the root (RFC 7644 3.4.3): people and groups of the organisation, people
    first. A filter that names what only one of the two has selects from that one; a filter
    that fits neither is a 400."""
    expression, start, count, asked = search_body()
    found: list = []
    refused = 0
    for kind in (USERS, GROUPS):
        try:
            selected = filtered(kind, organisation_id, expression)
        except InvalidFilterException:
            refused += 1
            continue
        if not isinstance(selected, list):
            selected = list(db.session.scalars(selected))
        found.extend(kind.to_resource(item) for item in selected)
    if refused == 2:
        raise InvalidFilterException(detail="the filter fits neither Users nor Groups")
    page = found[start - 1 : start - 1 + count]
    answer = ListResponse[ScimUser | Group](
        total_results=len(found),
        start_index=start,
        items_per_page=len(page),
        resources=page,
    )
    return scim_response(dump(answer, asked))


@bp.route("/Users", methods=["POST"])
@scim_endpoint
def create_user(organisation_id: int):
    resource = ScimUser.model_validate(request_body(), scim_ctx=Context.RESOURCE_CREATION_REQUEST)
    person = operations.create(organisation_id, resource)
    return saved(to_scim(person), 201)


def _person_or_404(organisation_id: int, user_id: str) -> User:
    return found_or_404(operations.get_person(organisation_id, user_id), "no such user")


@bp.route("/Users/<user_id>", methods=["GET"])
@scim_endpoint
def user(organisation_id: int, user_id: str):
    return scim_response(dump(to_scim(_person_or_404(organisation_id, user_id))))


@bp.route("/Users/<user_id>", methods=["PUT"])
@scim_endpoint
def replace_user(organisation_id: int, user_id: str):
    person = _person_or_404(organisation_id, user_id)
    resource = ScimUser.model_validate(
        request_body(), scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST
    )
    operations.replace(organisation_id, person, resource)
    return saved(to_scim(person))


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
        _entra_patch(request_body()), scim_ctx=Context.RESOURCE_PATCH_REQUEST
    )
    resource = to_scim(person)
    if patch.patch(resource):
        operations.replace(organisation_id, person, resource)
    return saved(to_scim(person))


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
