"""SCIM routes asked by the SCIM client of an organisation in another arrangement: 404."""

from tests.ids import public_id
from tests.route_cases import PUBLIC, Req, route_case

PUBLIC["scim.service_provider_config"] = "what the service supports; no tenant data"
PUBLIC["scim.schemas"] = "the published SCIM schemas; no tenant data"
PUBLIC["scim.resource_types"] = "the SCIM resource types; no tenant data"
PUBLIC["scim.not_found"] = "every unknown path is a SCIM 404"
PUBLIC["scim.users"] = "lists the token's own organisation only (tests/scim/test_scim_scope.py)"
PUBLIC["scim.create_user"] = "creates in the token's own organisation only"


@route_case("scim.user", "scim.replace_user", "scim.patch_user", "scim.delete_user")
def _user(ctx):
    emp = ctx.world.meer.ermelo.emp
    ctx.extra["secrets"] = [emp.email, emp.name]
    url = f"/scim/v2/Users/{public_id('user', emp.id)}"
    body = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "x@y.test"}
    patch = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": "active", "value": False}],
    }
    return [
        Req("GET", url, auth="scim"),
        Req("PUT", url, json=body, auth="scim"),
        Req("PATCH", url, json=patch, auth="scim"),
        Req("DELETE", url, auth="scim"),
    ]


PUBLIC["scim.search"] = "searches the token's own organisation only (as scim.users)"


PUBLIC["scim.groups_list"] = (
    "lists the token's own organisation's groups only (test_scim_groups.py)"
)
PUBLIC["scim.search_groups"] = "searches the token's own organisation's groups only"
PUBLIC["scim.search_all"] = "searches the token's own organisation only (people and groups)"
PUBLIC["scim.create_group"] = "creates in the token's own organisation only"


@route_case("scim.group", "scim.replace_group", "scim.patch_group", "scim.delete_group")
def _group(ctx):
    """A group of Ermelo (in "meer") with a member, asked for by another arrangement's client."""
    from app.accounts.models import ScimGroup, ScimGroupMember

    ermelo = ctx.world.meer.ermelo
    with ctx.in_arrangement(ctx.world.meer.arrangement) as session:
        group = ScimGroup(
            organisation_id=ermelo.org.id,
            arrangement_id=ctx.world.meer.arrangement.id,
            display_name="P&O Ermelo geheim",
        )
        group.members = [
            ScimGroupMember(user_id=ermelo.emp.id, arrangement_id=ctx.world.meer.arrangement.id)
        ]
        session.add(group)
        session.commit()
        group_id = f"grp-{public_id(group)}"
    ctx.extra["secrets"] = ["P&O Ermelo geheim"]
    url = f"/scim/v2/Groups/{group_id}"
    body = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "x"}
    patch = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "remove", "path": "members"}],
    }
    return [
        Req("GET", url, auth="scim"),
        Req("PUT", url, json=body, auth="scim"),
        Req("PATCH", url, json=patch, auth="scim"),
        Req("DELETE", url, auth="scim"),
    ]
