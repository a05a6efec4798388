"""The privacy tables and the line-manager snapshots, run again over a world whose Ermelo staff
were made by Ermelo's SCIM client (issue 12): the line manager that SCIM names (through the
enterprise extension's ``manager``) is as blind to their staff's offers and responses as one
set up by HR.

The tests are the existing ones, imported; only the world differs (``make_world`` below)."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select

from app.accounts.models import LoginIdentity, User
from tenants.models import DepartmentManager
from tests.ids import key_of
from tests.pool.test_privacy_line_manager_snapshot import (
    test_the_own_line_manager_sees_exactly_the_same as test_pool_line_manager_snapshot,
)
from tests.pool.test_privacy_rules import (  # noqa: F401  the scene fixture of the table
    scene,
)
from tests.pool.test_privacy_rules import (
    test_who_sees_an_offer_and_a_response as test_privacy_table,
)
from tests.privacy_audit.test_line_manager_snapshot import (
    test_the_own_line_manager_sees_exactly_the_same as test_audit_line_manager_snapshot,
)
from tests.support.world import PASSWORD, plain_snapshot

__all__ = [
    "test_audit_line_manager_snapshot",
    "test_pool_line_manager_snapshot",
    "test_privacy_table",
]

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
#: Ermelo's staff made by SCIM: role → (department attribute, manager role).
PROVISIONED = {
    "lead": ("team", None),
    "lead_other": ("other", None),
    "emp": ("team", "lead"),
    "emp2": ("team", "lead"),
    "emp_other": ("other", "lead_other"),
}


def provision_ermelo(app, in_arrangement, world):
    """Replace Ermelo's line managers and employees by people made through /scim/v2 (POST,
    then PATCH of the manager, as Entra ID does), with the same addresses and names."""
    from app.accounts.operations import hash_password
    from app.scim.cli import scim_cli

    ermelo = world.meer.ermelo
    people = {role: getattr(ermelo, role) for role in PROVISIONED}
    with in_arrangement(world.meer.arrangement) as session:
        ids = [p.id for p in people.values()]
        session.execute(delete(DepartmentManager).where(DepartmentManager.user_id.in_(ids)))
        session.execute(delete(LoginIdentity).where(LoginIdentity.user_id.in_(ids)))
        session.execute(delete(User).where(User.id.in_(ids)))
        session.commit()
    result = app.test_cli_runner().invoke(scim_cli, ["token", "meer/ermelo"])
    headers = {"Authorization": f"Bearer {result.output.strip().splitlines()[-1]}"}
    client = app.test_client()
    made: dict[str, str] = {}
    for role, (department, _) in PROVISIONED.items():
        person = people[role]
        response = client.post(
            "/scim/v2/Users",
            json={
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
                "userName": person.email,
                "externalId": f"aad-{role}",
                "displayName": person.name,
                "active": True,
                ENTERPRISE: {"department": getattr(ermelo, department).name},
            },
            headers=headers,
        )
        assert response.status_code == 201, response.get_json()
        made[role] = response.get_json()["id"]
    for role, (_, manager) in PROVISIONED.items():
        if manager:
            response = client.patch(
                f"/scim/v2/Users/{made[role]}",
                json={
                    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                    "Operations": [
                        {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": made[manager]}
                    ],
                },
                headers=headers,
            )
            assert response.status_code == 200, response.get_json()
    with in_arrangement(world.meer.arrangement) as session:
        for role, user_id in made.items():
            user = session.get(User, key_of("user", int(user_id)))  # SCIM ids are public ids
            user.password_hash = hash_password(PASSWORD)  # the tests log in with it
            session.flush()
            setattr(ermelo, role, plain_snapshot(user))
        managers = set(session.scalars(select(DepartmentManager.user_id)))
        assert {key_of("user", int(made[r])) for r in ("lead", "lead_other")} <= managers
        session.commit()
    return world


@pytest.fixture
def make_world(make_world, app, in_arrangement):
    def factory(settings: dict | None = None):
        return provision_ermelo(app, in_arrangement, make_world(settings))

    return factory


@pytest.fixture
def saved_scene(saved_scene):
    """Scenes of this world are saved apart from those of the standard world."""

    def get(key, build):
        return saved_scene(("provisioned", key), build)

    return get
