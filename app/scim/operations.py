"""SCIM provisioning use cases: the organisation's IT creates, changes, deactivates people.

Everything happens inside the token's organisation: the token sets its arrangement (so the one
scoping mechanism and row-level security apply) and every lookup also names the organisation,
so an id, ``userName`` or ``externalId`` of anyone else is "not found" (404). Operations flush;
the request commits once, so a refused request saves nothing.
"""

from __future__ import annotations

import secrets

from scim2_models import EnterpriseUser, UniquenessException
from sqlalchemy import select, update

from app.accounts import operations as accounts
from app.accounts.models import LoginIdentity, ScimToken, User, normalise_email
from app.extensions import db
from app.ids import internal_id
from app.scim import groups
from app.scim.resources import ScimUser
from app.workspace.operations import _slug
from tenants.context import set_arrangement
from tenants.models import Department, DepartmentManager, Organisation, utcnow


def issue_token(organisation: Organisation) -> str:
    """A new SCIM token for the organisation; every earlier one stops working."""
    db.session.execute(
        update(ScimToken)
        .where(ScimToken.organisation_id == organisation.id, ScimToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    token = secrets.token_urlsafe(32)
    db.session.add(
        ScimToken(
            token_hash=accounts.token_hash(token),
            organisation_id=organisation.id,
            arrangement_id=organisation.arrangement_id,
        )
    )
    db.session.flush()
    return token


def organisation_for_token(token: str) -> int | None:
    """The organisation a live token belongs to (and its arrangement set), else None."""
    row = db.session.get(ScimToken, accounts.token_hash(token))
    if row is None or row.revoked_at is not None:
        return None
    set_arrangement(row.arrangement_id)
    return row.organisation_id


def people(organisation_id: int):
    """The organisation's provisioned-visible people: deleted ones are gone from SCIM."""
    return select(User).where(
        User.organisation_id == organisation_id, User.deprovisioned_at.is_(None)
    )


def get_person(organisation_id: int, user_id: str) -> User | None:
    number = internal_id("user", user_id)
    if number is None:
        return None
    return db.session.scalar(people(organisation_id).where(User.id == number))


def _display_name(resource: ScimUser) -> str:
    if resource.display_name:
        return resource.display_name
    name = resource.name
    if name is not None:
        if name.formatted:
            return name.formatted
        joined = " ".join(p for p in (name.given_name, name.family_name) if p)
        if joined:
            return joined
    return resource.user_name.partition("@")[0]


def _email(resource: ScimUser) -> str:
    """The address: the primary (or first) work e-mail, else ``userName``."""
    emails = resource.emails or []
    chosen = next((e for e in emails if e.primary), emails[0] if emails else None)
    return normalise_email(str(chosen.value) if chosen and chosen.value else resource.user_name)


def _taken_in_organisation(organisation_id: int, email: str, external_id, except_id=None):
    clauses = [User.email == email]
    query = people(organisation_id).where(*clauses)
    if except_id is not None:
        query = query.where(User.id != except_id)
    if db.session.scalar(query.limit(1)) is not None:
        return True
    if external_id:
        query = people(organisation_id).where(User.scim_external_id == external_id)
        if except_id is not None:
            query = query.where(User.id != except_id)
        return db.session.scalar(query.limit(1)) is not None
    return False


def _apply_enterprise(person: User, resource: ScimUser, organisation_id: int) -> None:
    """``department`` picks a department of the organisation by name (made when new);
    ``manager`` makes that person a line manager of the department."""
    enterprise = resource[EnterpriseUser] or EnterpriseUser()
    # The resource is the whole truth (PUT, and PATCH applied to the current resource): an
    # attribute left out is removed.
    person.personnel_number = (enterprise.employee_number or "")[:40]
    if not enterprise.department:
        person.department = None
    else:
        name = enterprise.department.strip()[:200]
        department = db.session.scalar(
            select(Department).where(
                Department.organisation_id == organisation_id, Department.name == name
            )
        )
        if department is None:
            slug = (_slug(name) or "afdeling")[:50]
            taken = set(
                db.session.scalars(
                    select(Department.slug).where(Department.organisation_id == organisation_id)
                )
            )
            base, n = slug, 2
            while slug in taken:
                slug, n = f"{base}-{n}", n + 1
            department = Department(organisation_id=organisation_id, slug=slug, name=name)
            db.session.add(department)
            db.session.flush()
        person.department = department  # the relationship too: the answer reads it
    manager_ref = enterprise.manager.value if enterprise.manager else None
    manager = None
    if manager_ref:
        manager = get_person(organisation_id, str(manager_ref)) or db.session.scalar(
            people(organisation_id).where(User.scim_external_id == str(manager_ref))
        )
    if manager is None or manager.id == person.id:
        person.scim_manager_id = None  # removed, or not a person of the organisation
        return
    person.scim_manager_id = manager.id
    if person.department_id is not None:
        exists = db.session.scalar(
            select(DepartmentManager.id).where(
                DepartmentManager.department_id == person.department_id,
                DepartmentManager.user_id == manager.id,
            )
        )
        if exists is None:
            db.session.add(
                DepartmentManager(department_id=person.department_id, user_id=manager.id)
            )


def _set_active(person: User, active: bool | None) -> None:
    if active is False and person.active:
        accounts.deactivate(person)  # every session and API token ends at once
    elif active is True and not person.active:
        person.active = True


def create(organisation_id: int, resource: ScimUser) -> User:
    """A new person of the organisation.

    An address already used in the organisation is a 409 (the organisation's own staff). An
    address with an account elsewhere is answered as new (issue 10, finding 2): the account is
    made without password login and the holder of the other account is told, so a SCIM client
    cannot probe other organisations' staff.
    """
    email = _email(resource)
    if _taken_in_organisation(organisation_id, email, resource.external_id):
        raise UniquenessException(detail="userName or externalId already in use")
    identity = accounts.find_identity(email)
    person = accounts.create_user(
        organisation_id=organisation_id,
        email=email,
        name=_display_name(resource)[:200],
        login_identity=identity is None,
        scim_external_id=resource.external_id,
        job_title=(resource.title or "")[:200],
    )
    _apply_enterprise(person, resource, organisation_id)
    _set_active(person, resource.active)
    db.session.flush()
    if identity is not None:
        accounts.tell_existing_holder(identity)
    return person


def replace(organisation_id: int, person: User, resource: ScimUser) -> User:
    """PUT and PATCH end here: write the whole resource back onto the person."""
    email = _email(resource)
    if _taken_in_organisation(organisation_id, email, resource.external_id, except_id=person.id):
        raise UniquenessException(detail="userName or externalId already in use")
    if email != person.email:
        identity = db.session.get(LoginIdentity, person.email)
        if identity is not None and identity.user_id == person.id:
            db.session.delete(identity)
            db.session.flush()
            if accounts.find_identity(email) is None:
                db.session.add(
                    LoginIdentity(
                        email=email, user_id=person.id, arrangement_id=person.arrangement_id
                    )
                )
        person.email = email
    person.name = _display_name(resource)[:200]
    person.scim_external_id = resource.external_id
    person.job_title = (resource.title or "")[:200]
    _apply_enterprise(person, resource, organisation_id)
    _set_active(person, resource.active)
    db.session.flush()
    return person


def delete(person: User) -> None:
    """Deactivated and gone from SCIM; what agreements need stays, retention as for leavers."""

    accounts.deactivate(person)
    groups.leave_all(person)
    person.deprovisioned_at = utcnow()
    person.scim_external_id = None
    db.session.flush()
