"""SCIM provisioning as Entra ID does it, and its walls (issue 12)."""

from __future__ import annotations

import pytest

from app.accounts.models import User
from tests.ids import api_id, key_of

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def patch(*operations):
    return {"schemas": [PATCH], "Operations": list(operations)}


def new_user(email, external_id, **extra):
    return {
        "schemas": [USER, ENTERPRISE],
        "userName": email,
        "externalId": external_id,
        "active": True,
        "displayName": "Nieuwe Collega",
        ENTERPRISE: {"department": "Team Uitvoering", "employeeNumber": "E-1"},
        **extra,
    }


def test_entra_provisioning_cycle_ends_sessions_and_tokens(app, world, scim_token, in_arrangement):
    """Create, set the manager, disable (Entra's "False" string), re-enable, delete: a browser
    session and an API token that worked stop working at the disable, and after the delete
    the person is gone from SCIM (404) while their row stays for the agreements."""
    headers = scim_token(world.meer.ermelo.org)
    client = app.test_client()
    lead = world.meer.ermelo.lead
    # Entra looks the person up first, then creates them.
    found = client.get('/scim/v2/Users?filter=userName eq "nieuw@ermelo.test"', headers=headers)
    assert found.status_code == 200 and found.get_json()["totalResults"] == 0
    created = client.post(
        "/scim/v2/Users", json=new_user("nieuw@ermelo.test", "aad-1"), headers=headers
    )
    assert created.status_code == 201, created.get_json()
    user_id = created.get_json()["id"]
    assert created.get_json()[ENTERPRISE]["department"] == "Team Uitvoering"
    by_external = client.get('/scim/v2/Users?filter=externalId eq "aad-1"', headers=headers)
    assert by_external.get_json()["Resources"][0]["id"] == user_id
    # Entra sends the manager as a bare id.
    managed = client.patch(
        f"/scim/v2/Users/{api_id('user', user_id)}",
        json=patch({"op": "Add", "path": f"{ENTERPRISE}:manager", "value": str(lead.id)}),
        headers=headers,
    )
    assert managed.status_code == 200, managed.get_json()
    with in_arrangement(world.meer.arrangement) as session:
        from sqlalchemy import select

        from tenants.models import DepartmentManager

        managers = session.scalars(
            select(DepartmentManager.user_id).where(
                DepartmentManager.department_id == world.meer.ermelo.team.id
            )
        ).all()
        assert lead.id in managers
    # The person works: a password set for the test, a browser session and an API token.
    with in_arrangement(world.meer.arrangement) as session:
        from app.accounts.operations import hash_password

        person = session.get(User, key_of("user", int(user_id)))
        person.password_hash = hash_password("geheim-wachtwoord-1")
        assert person.department_id == world.meer.ermelo.team.id
        session.commit()
    browser = app.test_client()
    assert (
        browser.post(
            "/login", data={"email": "nieuw@ermelo.test", "password": "geheim-wachtwoord-1"}
        ).status_code
        == 302
    )
    token = client.post(
        "/api/v1/auth/token",
        json={"email": "nieuw@ermelo.test", "password": "geheim-wachtwoord-1"},
    ).get_json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert browser.get("/start").status_code == 200
    assert client.get("/api/v1/me", headers=bearer).status_code == 200
    # Disabled the way Entra does it: a path-less replace with the string "False".
    disabled = client.patch(
        f"/scim/v2/Users/{api_id('user', user_id)}",
        json=patch({"op": "Replace", "value": {"active": "False"}}),
        headers=headers,
    )
    assert disabled.status_code == 200 and disabled.get_json()["active"] is False
    assert browser.get("/start").status_code == 302  # to the login page
    assert client.get("/api/v1/me", headers=bearer).status_code == 401
    # Re-enabled: the person may log in again (old sessions stay ended).
    enabled = client.patch(
        f"/scim/v2/Users/{api_id('user', user_id)}",
        json=patch({"op": "replace", "path": "active", "value": "True"}),
        headers=headers,
    )
    assert enabled.get_json()["active"] is True
    assert client.get("/api/v1/me", headers=bearer).status_code == 401
    # Deleted: gone from SCIM, the row stays (deactivated) for the agreements.
    assert (
        client.delete(f"/scim/v2/Users/{api_id('user', user_id)}", headers=headers).status_code
        == 204
    )
    assert (
        client.get(f"/scim/v2/Users/{api_id('user', user_id)}", headers=headers).status_code == 404
    )
    with in_arrangement(world.meer.arrangement) as session:
        person = session.get(User, key_of("user", int(user_id)))
        assert person is not None and person.active is False


def test_scim_errors_and_paging(app, world, scim_token):
    """Bad input is a SCIM error with scimType and saves nothing; paging uses startIndex and
    count; a missing or revoked token is 401."""
    headers = scim_token(world.meer.ermelo.org)
    client = app.test_client()
    bad = client.post("/scim/v2/Users", json={"schemas": [USER]}, headers=headers)
    assert bad.status_code == 400 and bad.get_json()["schemas"] == [
        "urn:ietf:params:scim:api:messages:2.0:Error"
    ]
    bad_filter = client.get("/scim/v2/Users?filter=userName eq", headers=headers)
    assert bad_filter.status_code == 400 and bad_filter.get_json()["scimType"] == "invalidFilter"
    dup = client.post(
        "/scim/v2/Users", json=new_user(world.meer.ermelo.emp.email, "x"), headers=headers
    )
    assert dup.status_code == 409 and dup.get_json()["scimType"] == "uniqueness"
    page = client.get("/scim/v2/Users?startIndex=2&count=2", headers=headers).get_json()
    assert (
        page["startIndex"] == 2 and page["itemsPerPage"] == 2 and page["totalResults"] == 7
    )  # six staff and the coordinator
    assert client.get("/scim/v2/Users").status_code == 401
    newer = scim_token(world.meer.ermelo.org)
    assert client.get("/scim/v2/Users", headers=headers).status_code == 401  # revoked
    assert client.get("/scim/v2/Users", headers=newer).status_code == 200


@pytest.mark.parametrize("outsider", ["harderwijk", "andere"])
def test_scim_reaches_its_own_organisation_only(app, world, scim_token, outsider):
    """Ermelo's people by id, userName or externalId, asked with the token of another
    organisation of the arrangement or of another arrangement: 404 or not in the list."""
    ermelo = app.test_client()
    own = scim_token(world.meer.ermelo.org)
    made = ermelo.post("/scim/v2/Users", json=new_user("a@ermelo.test", "ext-a"), headers=own)
    target = made.get_json()["id"]
    org = world.meer.harderwijk.org if outsider == "harderwijk" else world.elders.andere.org
    other = scim_token(org)
    client = app.test_client()
    for method, kwargs in (
        ("GET", {}),
        ("PUT", {"json": new_user("b@x.test", "b")}),
        ("PATCH", {"json": patch({"op": "replace", "path": "active", "value": False})}),
        ("DELETE", {}),
    ):
        for user_id in (target, str(world.meer.ermelo.emp.id)):
            response = client.open(
                f"/scim/v2/Users/{api_id('user', user_id)}", method=method, headers=other, **kwargs
            )
            assert response.status_code == 404, (method, user_id, response.get_json())
    for query in ('userName eq "a@ermelo.test"', 'externalId eq "ext-a"', "displayName pr"):
        listing = client.get(f"/scim/v2/Users?filter={query}", headers=other).get_json()
        assert all(r["userName"] != "a@ermelo.test" for r in listing.get("Resources", []))
        assert "ermelo" not in str(listing)
    # Creating the same address in the other organisation is answered as new (no oracle).
    created = client.post("/scim/v2/Users", json=new_user("a@ermelo.test", "ext-a"), headers=other)
    assert created.status_code == 201
    assert (
        ermelo.get(f"/scim/v2/Users/{api_id('user', target)}", headers=own).get_json()["active"]
        is True
    )
