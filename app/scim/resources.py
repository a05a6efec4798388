"""Deelkracht's people as SCIM 2.0 resources (RFC 7643), through scim2-models.

A ``users`` row is a SCIM ``User`` with the enterprise extension: ``userName`` and the work
e-mail are the address, ``externalId`` is the organisation's own id (Entra: the object id),
``urn:…:enterprise:2.0:User`` carries ``employeeNumber``, ``department`` (a department of the
organisation, by name) and ``manager`` (the line manager of that department).
"""

from __future__ import annotations

from flask import url_for
from scim2_models import (
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    EnterpriseUser,
    ETag,
    Filter,
    Group,
    Manager,
    Meta,
    Patch,
    ResourceType,
    ScimProvider,
    ServiceProviderConfig,
    Sort,
    User,
)
from sqlalchemy import select

from app.accounts.models import User as Person
from app.extensions import db
from app.ids import public_id

ScimUser = User[EnterpriseUser]
#: Most users a list answer holds; larger ``count`` values are lowered to it (RFC 7644 3.4.2.4).
MAX_RESULTS = 200


def service_provider() -> ScimProvider:
    """What the service announces: Users with the enterprise extension, Groups, PATCH and
    filters; no bulk, sort, ETags or password changes (people sign in through their
    organisation)."""
    config = ServiceProviderConfig(
        documentation_uri=None,
        patch=Patch(supported=True),
        bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
        filter=Filter(supported=True, max_results=MAX_RESULTS),
        change_password=ChangePassword(supported=False),
        sort=Sort(supported=False),
        etag=ETag(supported=False),
        authentication_schemes=[
            AuthenticationScheme(
                type="oauthbearertoken",
                name="Bearer token",
                description="A token made with `deelkracht scim token ORG`",
                primary=True,
            )
        ],
    )
    return ScimProvider(
        models=[User, EnterpriseUser, Group],
        resource_types=[ResourceType.from_resource(ScimUser), ResourceType.from_resource(Group)],
        config=config,
    )


#: The attributes Deelkracht keeps, per schema; the Schemas endpoint publishes only these, so a
#: client (Entra ID's attribute mapping, scim2-tester) knows that nothing else is stored. Data
#: minimisation: phone numbers, addresses, photos and the like are not ours to keep. Also
#: accepted on input, without being published: ``name`` and ``emails`` (the display name and
#: the address when ``displayName`` or an e-mail-shaped ``userName`` are missing) and the
#: enterprise ``manager`` (the id of a provisioned person: their line manager).
KEPT = {
    "urn:ietf:params:scim:schemas:core:2.0:User": {"userName", "displayName", "title", "active"},
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
        "employeeNumber",
        "department",
        "manager",
    },
    # Group members are people, by id: their names are the Users' business.
    "urn:ietf:params:scim:schemas:core:2.0:Group": {"displayName", "members"},
}
#: Sub-attributes kept of a complex attribute.
KEPT_SUB = {"members": {"value", "$ref", "type"}}


def published_schemas() -> list:
    schemas = []
    for schema in service_provider().schemas:
        kept = KEPT.get(schema.id)
        if kept is not None:
            schema.attributes = [a for a in schema.attributes or [] if a.name in kept]
            for attribute in schema.attributes:
                if attribute.name in KEPT_SUB and attribute.sub_attributes:
                    attribute.sub_attributes = [
                        s for s in attribute.sub_attributes if s.name in KEPT_SUB[attribute.name]
                    ]
                if attribute.name in ("displayName", "active"):
                    attribute.required = True  # every person has a name and a state here
        schemas.append(schema)
    return schemas


def scim_user_id(user_id: int) -> str:
    """A person's SCIM id: their public id (app/ids.py), the same number as the API's."""
    return str(public_id("user", user_id))


def to_scim(person: Person) -> ScimUser:
    manager = (
        db.session.scalar(
            select(Person).where(
                Person.id == person.scim_manager_id,
                Person.organisation_id == person.organisation_id,
                Person.deprovisioned_at.is_(None),
            )
        )
        if person.scim_manager_id
        else None
    )
    enterprise = EnterpriseUser(
        schemas=[str(EnterpriseUser.__schema__)],
        employee_number=person.personnel_number or None,
        department=person.department.name if person.department else None,
        manager=Manager(
            value=scim_user_id(manager.id),
            ref=url_for("scim.user", user_id=scim_user_id(manager.id), _external=True),
        )
        if manager
        else None,
    )
    location = url_for("scim.user", user_id=scim_user_id(person.id), _external=True)
    resource = ScimUser(
        id=scim_user_id(person.id),
        external_id=person.scim_external_id,
        user_name=person.email,
        display_name=person.name,
        title=person.job_title or None,
        active=person.active,
        meta=Meta(
            resource_type="User",
            created=person.created_at,
            last_modified=person.created_at,
            location=location,
        ),
    )
    resource[EnterpriseUser] = enterprise
    return resource
