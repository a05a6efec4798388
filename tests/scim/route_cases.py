"""SCIM routes asked by the SCIM client of an organisation in another arrangement: 404."""

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
    url = f"/scim/v2/Users/{emp.id}"
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
