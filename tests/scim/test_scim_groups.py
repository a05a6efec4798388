"""SCIM Groups, and groups mapped to roles (issue 12).

An organisation's TOML file names its HR groups (``[organisations.scim] hr_groups``); a member
of such a group is HR of that organisation at the next request, and leaving it (removed, the
group renamed or deleted, the person deleted) takes HR away. Groups reach the token's own
organisation only."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.accounts.models import ScimGroup, ScimGroupMember, User
from tenants.models import Arrangement, Organisation
from tests.foundation.test_tenant_definitions import GOOD, _apply, _write
from tests.ids import api_id, key_of, public_id

GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
INVITE = "/medewerkers/uitnodigen"  # an HR page


def patch(*operations):
    return {"schemas": [PATCH], "Operations": list(operations)}


def new_group(name, external_id="aad-g1", members=()):
    return {
        "schemas": [GROUP],
        "displayName": name,
        "externalId": external_id,
        "members": [{"value": str(api_id("user", m))} for m in members],
    }


def set_hr_groups(in_arrangement, world, org, names):
    """What `deelkracht tenants apply` writes for ``[organisations.scim] hr_groups``."""
    with in_arrangement(world.meer.arrangement) as session:
        session.get(Organisation, org.id).scim_hr_groups = "\n".join(names)
        session.commit()


def roles(in_arrangement, world, user_id):
    with in_arrangement(world.meer.arrangement) as session:
        person = session.get(User, key_of("user", user_id))
        return person.is_hr, person.is_coordinator


def test_entra_group_cycle_grants_and_takes_hr(app, world, scim_token, in_arrangement, login):
    """Entra ID's cycle on a group named in hr_groups: create, add a member (HR at the next
    request of a session already open), remove (Entra's shape: the member in ``value``), add
    again and remove by filter, rename away and back (path-less replace), delete the group.
    Never coordinator; HR set by hand stays for a member of a group that is not an HR group."""
    ermelo = world.meer.ermelo
    set_hr_groups(in_arrangement, world, ermelo.org, ["P&O"])
    headers = scim_token(ermelo.org)
    scim = app.test_client()
    browser = app.test_client()
    login(browser, ermelo.emp)
    assert browser.get(INVITE).status_code in (403, 404)
    found = scim.get(
        "/scim/v2/Groups", query_string={"filter": 'displayName eq "P&O"'}, headers=headers
    )
    assert found.status_code == 200 and found.get_json()["totalResults"] == 0
    created = scim.post("/scim/v2/Groups", json=new_group("P&O"), headers=headers)
    assert created.status_code == 201, created.get_json()
    group_id = created.get_json()["id"]
    assert created.headers["Location"].endswith(f"/scim/v2/Groups/{group_id}")
    url = f"/scim/v2/Groups/{group_id}"
    add = patch(
        {
            "op": "Add",
            "path": "members",
            "value": [{"value": str(public_id("user", ermelo.emp.id))}],
        }
    )

    assert scim.patch(url, json=add, headers=headers).status_code == 200
    assert roles(in_arrangement, world, ermelo.emp.id) == (True, False)
    assert browser.get(INVITE).status_code == 200  # the open session, at once
    got = scim.get(url, headers=headers).get_json()
    assert [m["value"] for m in got["members"]] == [str(public_id("user", ermelo.emp.id))]
    # Entra checks a membership with a filter on id and members, and leaves members out.
    member = public_id("user", ermelo.emp.id)
    check = scim.get(
        "/scim/v2/Groups",
        query_string={
            "filter": f'id eq "{group_id}" and members[value eq "{member}"]',
            "excludedAttributes": "members",
        },
        headers=headers,
    ).get_json()
    assert check["totalResults"] == 1 and "members" not in check["Resources"][0]
    slim = scim.get(url, query_string={"excludedAttributes": "members"}, headers=headers)
    assert "members" not in slim.get_json() and slim.get_json()["displayName"] == "P&O"
    listed = scim.get('/scim/v2/Groups?filter=externalId eq "aad-g1"', headers=headers)
    assert listed.get_json()["Resources"][0]["id"] == group_id

    entra_remove = patch(
        {
            "op": "Remove",
            "path": "members",
            "value": [{"value": str(public_id("user", ermelo.emp.id))}],
        }
    )
    removed = scim.patch(url, json=entra_remove, headers=headers)
    assert removed.status_code == 200 and removed.get_json().get("members", []) == []
    assert roles(in_arrangement, world, ermelo.emp.id) == (False, False)
    assert browser.get(INVITE).status_code in (403, 404)
    assert browser.get("/start").status_code == 200  # the session keeps working

    scim.patch(url, json=add, headers=headers)
    by_filter = patch(
        {"op": "remove", "path": f'members[value eq "{public_id("user", ermelo.emp.id)}"]'}
    )
    assert scim.patch(url, json=by_filter, headers=headers).status_code == 200
    assert roles(in_arrangement, world, ermelo.emp.id) == (False, False)

    scim.patch(url, json=add, headers=headers)
    rename = patch({"op": "Replace", "value": {"id": group_id, "displayName": "Iets anders"}})
    assert scim.patch(url, json=rename, headers=headers).get_json()["displayName"] == "Iets anders"
    assert roles(in_arrangement, world, ermelo.emp.id) == (False, False)
    back = patch({"op": "replace", "path": "displayName", "value": "p&o"})  # any case
    assert scim.patch(url, json=back, headers=headers).status_code == 200
    assert roles(in_arrangement, world, ermelo.emp.id) == (True, False)

    # PUT is the whole truth: HR by hand (ermelo.hr) in an ordinary group keeps HR.
    other = scim.post(
        "/scim/v2/Groups",
        json=new_group("Iedereen", "aad-g2", [ermelo.hr.id, ermelo.emp2.id]),
        headers=headers,
    )
    assert other.status_code == 201
    assert roles(in_arrangement, world, ermelo.hr.id) == (True, False)
    put = scim.put(url, json=new_group("P&O", "aad-g1", [ermelo.emp2.id]), headers=headers)
    assert put.status_code == 200, put.get_json()
    assert roles(in_arrangement, world, ermelo.emp.id) == (False, False)
    assert roles(in_arrangement, world, ermelo.emp2.id) == (True, False)

    assert scim.delete(url, headers=headers).status_code == 204
    assert scim.get(url, headers=headers).status_code == 404
    assert roles(in_arrangement, world, ermelo.emp2.id) == (False, False)
    assert roles(in_arrangement, world, ermelo.hr.id) == (True, False)


def test_a_person_deleted_through_scim_leaves_their_groups(app, world, scim_token, in_arrangement):
    ermelo = world.meer.ermelo
    set_hr_groups(in_arrangement, world, ermelo.org, ["P&O"])
    headers = scim_token(ermelo.org)
    client = app.test_client()
    made = client.post(
        "/scim/v2/Groups", json=new_group("P&O", members=[ermelo.emp.id]), headers=headers
    )
    assert roles(in_arrangement, world, ermelo.emp.id) == (True, False)
    assert (
        client.delete(
            f"/scim/v2/Users/{public_id('user', ermelo.emp.id)}", headers=headers
        ).status_code
        == 204
    )
    assert roles(in_arrangement, world, ermelo.emp.id) == (False, False)
    group = client.get(f"/scim/v2/Groups/{made.get_json()['id']}", headers=headers).get_json()
    assert group.get("members", []) == []


def test_group_errors_and_paging(app, world, scim_token, in_arrangement):
    """A name taken is 409 uniqueness, no name 400, a member outside the organisation 400
    invalidValue with nothing saved, a bad filter 400 invalidFilter; startIndex and count page."""
    ermelo = world.meer.ermelo
    headers = scim_token(ermelo.org)
    client = app.test_client()
    for n in range(3):
        made = client.post("/scim/v2/Groups", json=new_group(f"G{n}", f"x{n}"), headers=headers)
        assert made.status_code == 201
    dup = client.post("/scim/v2/Groups", json=new_group("g0", "y"), headers=headers)
    assert dup.status_code == 409 and dup.get_json()["scimType"] == "uniqueness"
    nameless = client.post("/scim/v2/Groups", json={"schemas": [GROUP]}, headers=headers)
    assert nameless.status_code == 400
    outsider = world.meer.harderwijk.emp.id
    bad = client.post("/scim/v2/Groups", json=new_group("Vreemd", "z", [outsider]), headers=headers)
    assert bad.status_code == 400 and bad.get_json()["scimType"] == "invalidValue"
    bad_filter = client.get("/scim/v2/Groups?filter=displayName eq", headers=headers)
    assert bad_filter.status_code == 400 and bad_filter.get_json()["scimType"] == "invalidFilter"
    page = client.get("/scim/v2/Groups?startIndex=2&count=1", headers=headers).get_json()
    assert (page["totalResults"], page["startIndex"], page["itemsPerPage"]) == (3, 2, 1)
    assert page["Resources"][0]["displayName"] == "G1"
    with in_arrangement(world.meer.arrangement) as session:
        names = set(session.scalars(select(ScimGroup.display_name)))
        assert names == {"G0", "G1", "G2"}
        assert session.scalars(select(ScimGroupMember)).all() == []


@pytest.mark.parametrize("outsider", ["harderwijk", "andere"])
def test_groups_reach_their_own_organisation_only(app, world, scim_token, in_arrangement, outsider):
    """Ermelo's group, asked for with the token of another organisation of the arrangement or
    of another arrangement: 404 on every Groups endpoint, absent from lists and searches, and
    unchanged afterwards; Ermelo's people cannot be put in the outsider's groups."""
    ermelo = world.meer.ermelo
    set_hr_groups(in_arrangement, world, ermelo.org, ["P&O"])
    own = scim_token(ermelo.org)
    client = app.test_client()
    made = client.post(
        "/scim/v2/Groups", json=new_group("P&O", "aad-po", [ermelo.emp.id]), headers=own
    )
    group_id = made.get_json()["id"]
    org = world.meer.harderwijk.org if outsider == "harderwijk" else world.elders.andere.org
    other = scim_token(org)
    url = f"/scim/v2/Groups/{group_id}"
    for method, kwargs in (
        ("GET", {}),
        ("PUT", {"json": new_group("P&O", "aad-po")}),
        ("PATCH", {"json": patch({"op": "remove", "path": "members"})}),
        ("DELETE", {}),
    ):
        response = client.open(url, method=method, headers=other, **kwargs)
        assert response.status_code == 404, (method, response.get_json())
        assert response.get_json()["status"] == "404"
    for query in ('displayName eq "P&O"', 'externalId eq "aad-po"', "displayName pr"):
        listing = client.get(
            "/scim/v2/Groups", query_string={"filter": query}, headers=other
        ).get_json()
        assert listing["totalResults"] == 0, listing
    searched = client.post("/scim/v2/.search", json={}, headers=other).get_json()
    assert group_id not in str(searched) and ermelo.emp.email not in str(searched)
    searched = client.post("/scim/v2/Groups/.search", json={}, headers=other).get_json()
    assert searched["totalResults"] == 0
    theirs = client.post(
        "/scim/v2/Groups", json=new_group("P&O", "aad-po", [ermelo.emp.id]), headers=other
    )
    assert theirs.status_code == 400 and theirs.get_json()["scimType"] == "invalidValue"
    kept = client.get(url, headers=own).get_json()
    assert kept["displayName"] == "P&O" and len(kept["members"]) == 1
    assert roles(in_arrangement, world, ermelo.emp.id) == (True, False)


SCIM_TABLE = """
[organisations.scim]
hr_groups = ["P&O", "HR Epe"]
"""


def with_scim(text: str = SCIM_TABLE) -> str:
    marker = "[[organisations.departments]]"  # Epe's table goes before Epe's departments
    index = GOOD.index(marker)
    return GOOD[:index] + text.lstrip() + "\n" + GOOD[index:]


def test_hr_groups_follow_the_tenant_file(app, in_arrangement, tmp_path):
    """`deelkracht tenants apply` with ``hr_groups``: members of a named group are HR; the file
    without the table takes HR from them at once; with it again, HR comes back."""
    from app.scim.cli import scim_cli

    assert _apply(app, _write(tmp_path, "v.toml", with_scim())).exit_code == 0
    result = app.test_cli_runner().invoke(scim_cli, ["token", "epe"])
    headers = {"Authorization": f"Bearer {result.output.strip().splitlines()[-1]}"}
    client = app.test_client()
    person = client.post(
        "/scim/v2/Users",
        json={
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": "pieter@epe.nl",
            "displayName": "Pieter",
            "active": True,
        },
        headers=headers,
    ).get_json()["id"]
    made = client.post(
        "/scim/v2/Groups", json=new_group("HR Epe", members=[person]), headers=headers
    )
    assert made.status_code == 201

    def is_hr():
        with in_arrangement(None) as session:
            arrangement_id = session.scalar(
                select(Arrangement.id).where(Arrangement.slug == "veluwe")
            )
        with in_arrangement(arrangement_id) as session:
            return session.get(User, key_of("user", int(person))).is_hr

    assert is_hr() is True
    assert _apply(app, _write(tmp_path, "v.toml", GOOD)).exit_code == 0
    assert is_hr() is False
    assert _apply(app, _write(tmp_path, "v.toml", with_scim())).exit_code == 0
    assert is_hr() is True


@pytest.mark.parametrize(
    ("table", "field"),
    [
        ('hr_groups = ["P&O"]\ncoordinator_groups = ["Regie"]', "coordinator_groups"),
        ('hr_groups = ["P&O", "p&o"]', "hr_groups"),
        ('hr_groups = [" P&O"]', "hr_groups"),
        ('hr_groups = "P&O"', "hr_groups"),
    ],
)
def test_an_invalid_scim_table_is_refused_with_line_and_field(app, tmp_path, table, field):
    """Coordinator groups (the role is the arrangement's), a name twice, stray spaces, not a
    list: refused, naming the line and the field, and nothing applied."""
    text = with_scim(f"[organisations.scim]\n{table}\n")
    result = _apply(app, _write(tmp_path, "v.toml", text))
    assert result.exit_code != 0
    assert re.search(r"regel \d+", result.output) and field in result.output, result.output
    with app.app_context():
        from app.extensions import db

        assert db.session.scalar(select(Arrangement.id)) is None
