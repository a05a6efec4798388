"""SCIM Groups (RFC 7643 4.1) under ``/scim/v2/Groups``: list and search, create, read, replace,
patch (with Entra ID's dialect) and delete; the members are people of the token's organisation."""

from __future__ import annotations

from flask import Response
from scim2_models import Context, Group, InvalidValueException, PatchOp
from sqlalchemy import func

from app.accounts.models import ScimGroup
from app.scim import groups
from app.scim.protocol import (
    Kind,
    add_list_endpoints,
    bp,
    dump,
    found_or_404,
    request_body,
    saved,
    scim_endpoint,
    scim_response,
)
from app.transaction import commit

# --- Groups ----------------------------------------------------------------------------------


#: Groups: ``displayName eq`` and ``externalId eq`` run in SQL.
GROUPS = Kind(
    Group,
    lambda organisation_id: groups.groups(organisation_id).order_by(ScimGroup.id),
    ScimGroup.id,
    groups.to_scim,
    {
        "displayname": lambda value: func.lower(ScimGroup.display_name) == value.lower(),
        "externalid": lambda value: ScimGroup.external_id == value,
    },
)


add_list_endpoints("/Groups", GROUPS, list_endpoint="groups_list", search_endpoint="search_groups")


def _group_or_404(organisation_id: int, group_id: str) -> ScimGroup:
    return found_or_404(groups.get_group(organisation_id, group_id), "no such group")


@bp.route("/Groups", methods=["POST"])
@scim_endpoint
def create_group(organisation_id: int):
    resource = Group.model_validate(request_body(), scim_ctx=Context.RESOURCE_CREATION_REQUEST)
    group = groups.create(organisation_id, resource)
    return saved(groups.to_scim(group), 201)


@bp.route("/Groups/<group_id>", methods=["GET"])
@scim_endpoint
def group(organisation_id: int, group_id: str):
    return scim_response(dump(groups.to_scim(_group_or_404(organisation_id, group_id))))


@bp.route("/Groups/<group_id>", methods=["PUT"])
@scim_endpoint
def replace_group(organisation_id: int, group_id: str):
    found = _group_or_404(organisation_id, group_id)
    resource = Group.model_validate(request_body(), scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST)
    groups.replace(organisation_id, found, resource)
    return saved(groups.to_scim(found))


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
        _entra_group_patch(request_body()), scim_ctx=Context.RESOURCE_PATCH_REQUEST
    )
    resource = groups.to_scim(found)
    if patch.patch(resource):
        groups.replace(organisation_id, found, resource)
    return saved(groups.to_scim(found))


@bp.route("/Groups/<group_id>", methods=["DELETE"])
@scim_endpoint
def delete_group(organisation_id: int, group_id: str):
    groups.delete(organisation_id, _group_or_404(organisation_id, group_id))
    commit()
    return Response(status=204)
