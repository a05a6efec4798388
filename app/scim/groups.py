"""SCIM groups of an organisation, and the groups that make their members HR (issue 12).

A group belongs to the token's organisation and holds people of that organisation only. Rights
follow from the organisation's TOML file: a member of a group named in ``[organisations.scim]
hr_groups`` is HR of the organisation; leaving the last such group (removed, the group renamed
or deleted, the person deleted) takes HR away. Only people whose HR-group membership changed are
touched, so HR set up by hand stays as it is. The coordinator role is the arrangement's and is
never granted here; line managers come from the users' ``manager``.

Roles are columns of ``users``, read on every request, so a change takes effect at the next
request of a session that is already open.
"""

from __future__ import annotations

from flask import url_for
from scim2_models import Group, GroupMember, InvalidValueException, Meta, UniquenessException
from sqlalchemy import func, select

from app.accounts.models import ScimGroup, ScimGroupMember, User
from app.extensions import db
from app.ids import internal_id, public_id
from app.scim import operations
from app.scim.resources import scim_user_id
from tenants.models import Organisation, utcnow


def groups(organisation_id: int):
    return select(ScimGroup).where(ScimGroup.organisation_id == organisation_id)


#: A group's SCIM id is its public id (app/ids.py) after this prefix: an id is unique across all
#: resources of the service provider (RFC 7643 3.1), and people's ids are bare public ids.
ID_PREFIX = "grp-"


def scim_id(group: ScimGroup) -> str:
    return f"{ID_PREFIX}{public_id('scim_group', group.id)}"


def get_group(organisation_id: int, group_id: str) -> ScimGroup | None:
    text = group_id.removeprefix(ID_PREFIX)
    number = internal_id("scim_group", text) if text != group_id else None
    if number is None:
        return None
    return db.session.scalar(groups(organisation_id).where(ScimGroup.id == number))


def hr_members(organisation_id: int, names: list[str]) -> set[int]:
    """Ids of the people in any group of the organisation named in ``names`` (any case)."""
    wanted = {name.casefold() for name in names}
    if not wanted:
        return set()
    rows = db.session.execute(
        select(ScimGroup.display_name, ScimGroupMember.user_id)
        .join(ScimGroupMember, ScimGroupMember.group_id == ScimGroup.id)
        .where(ScimGroup.organisation_id == organisation_id)
    )
    return {user_id for name, user_id in rows if name.casefold() in wanted}


def settle_hr(organisation_id: int, before: set[int], after: set[int]) -> None:
    """Grant HR to everyone in an HR group now; take it from who was and no longer is."""
    changed = after | (before - after)
    if not changed:
        return
    for person in db.session.scalars(
        select(User).where(User.organisation_id == organisation_id, User.id.in_(changed))
    ):
        person.is_hr = person.id in after
    db.session.flush()


class _HrWatch:
    """``with _HrWatch(org_id):`` around a change of groups: HR follows the change."""

    def __init__(self, organisation_id: int):
        self.organisation_id = organisation_id
        organisation = db.session.get(Organisation, organisation_id)
        self.names = organisation.hr_group_names if organisation else []

    def __enter__(self):
        self.before = hr_members(self.organisation_id, self.names)
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            db.session.flush()
            settle_hr(
                self.organisation_id, self.before, hr_members(self.organisation_id, self.names)
            )
        return False


def to_scim(group: ScimGroup) -> Group:
    return Group(
        id=scim_id(group),
        external_id=group.external_id,
        display_name=group.display_name,
        members=[
            GroupMember(
                value=scim_user_id(m.user_id),
                ref=url_for("scim.user", user_id=scim_user_id(m.user_id), _external=True),
                type="User",
            )
            for m in group.members
        ],
        meta=Meta(
            resource_type="Group",
            created=group.created_at,
            last_modified=group.updated_at,
            location=url_for("scim.group", group_id=scim_id(group), _external=True),
        ),
    )


def _member_ids(organisation_id: int, resource: Group) -> list[int]:
    """The people the resource names: each must be a person of the organisation (by id).
    Anyone else, of another organisation or nobody, is the same 400, so nothing is learnt."""
    ids: list[int] = []
    for member in resource.members or []:
        if member.type and member.type != "User":
            raise InvalidValueException(detail="only people can be members (no nested groups)")
        person = operations.get_person(organisation_id, str(member.value or ""))
        if person is None:
            raise InvalidValueException(detail="a member is not a person of this organisation")
        if person.id not in ids:
            ids.append(person.id)
    return ids


def _display_name(resource: Group) -> str:
    name = (resource.display_name or "").strip()
    if not name:
        raise InvalidValueException(detail="displayName is required")
    return name[:255]


def _refuse_taken(organisation_id: int, name: str, external_id, except_id=None) -> None:
    query = groups(organisation_id).where(func.lower(ScimGroup.display_name) == name.lower())
    if except_id is not None:
        query = query.where(ScimGroup.id != except_id)
    taken = db.session.scalar(query.limit(1)) is not None
    if not taken and external_id:
        query = groups(organisation_id).where(ScimGroup.external_id == external_id)
        if except_id is not None:
            query = query.where(ScimGroup.id != except_id)
        taken = db.session.scalar(query.limit(1)) is not None
    if taken:
        raise UniquenessException(detail="displayName or externalId already in use")


def _write(group: ScimGroup, organisation_id: int, resource: Group) -> None:
    name = _display_name(resource)
    _refuse_taken(organisation_id, name, resource.external_id, except_id=group.id)
    member_ids = _member_ids(organisation_id, resource)
    with _HrWatch(organisation_id):
        group.display_name = name
        group.external_id = resource.external_id
        group.updated_at = utcnow()
        kept = {m.user_id: m for m in group.members}
        group.members = [
            kept.get(user_id)
            or ScimGroupMember(user_id=user_id, arrangement_id=group.arrangement_id)
            for user_id in member_ids
        ]


def create(organisation_id: int, resource: Group) -> ScimGroup:
    organisation = db.session.get(Organisation, organisation_id)
    group = ScimGroup(
        organisation_id=organisation_id,
        arrangement_id=organisation.arrangement_id,
        display_name=_display_name(resource),
    )
    _refuse_taken(organisation_id, group.display_name, resource.external_id)
    db.session.add(group)
    db.session.flush()
    _write(group, organisation_id, resource)
    db.session.flush()
    return group


def replace(organisation_id: int, group: ScimGroup, resource: Group) -> ScimGroup:
    _write(group, organisation_id, resource)
    db.session.flush()
    return group


def delete(organisation_id: int, group: ScimGroup) -> None:
    with _HrWatch(organisation_id):
        db.session.delete(group)


def leave_all(person: User) -> None:
    """A person deleted through SCIM leaves every group (and HR, where a group gave it)."""
    with _HrWatch(person.organisation_id):
        for membership in db.session.scalars(
            select(ScimGroupMember).where(ScimGroupMember.user_id == person.id)
        ):
            db.session.delete(membership)
