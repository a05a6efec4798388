"""HR's use cases for its own organisation: staff, roles, departments and line managers,
deactivation, and the organisation's details and logo.

Everything here acts on the caller's own organisation only. A staff member or department of
another organisation is answered as absent (404), like one of another arrangement; the policy
(``staff.manage``, ``organisation.settings.edit``) then decides whether the caller is HR (403).
Operations flush; the request commits.

Roles: HR sets and removes the HR role of its own staff (not its own, so an organisation cannot
lock itself out by accident). The coordinator role belongs to the arrangement, not to one
organisation: it is set in the arrangement's tenant definition (``deelkracht tenants apply``) and
is shown here read-only.
"""

from __future__ import annotations

import re
import unicodedata

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from app.accounts import operations as accounts
from app.accounts.models import User
from app.errors import Conflict, FieldErrors, NotFound
from app.extensions import db
from app.policy import require
from app.workspace.models import Erasure
from tenants.models import Department, DepartmentManager, Organisation

#: Organisation details HR edits on the details page (privacy settings live in app.pool).
DETAIL_FIELDS = (
    "legal_name",
    "address",
    "kvk_number",
    "oin",
    "vat_number",
    "signatory_name",
    "signatory_role",
    "signatory_mandate",
    "cao",
    "default_hourly_rate",
)


# --- loading (own organisation only) -------------------------------------------------------------


def own_or_404(by: User, model, row_id: int):
    """A row (``model`` has ``organisation_id``) of the caller's own organisation, for its HR;
    anyone else's, or a caller who is not HR there, is answered as absent or refused."""
    row = db.session.scalar(
        select(model).where(model.id == row_id, model.organisation_id == by.organisation_id)
    )
    if row is None:
        raise NotFound()
    require(by, "staff.manage", by.organisation)
    return row


def staff_member_or_404(by: User, user_id: int) -> User:
    """A user of the caller's own organisation; anyone else is answered as absent."""
    return own_or_404(by, User, user_id)


def department_or_404(by: User, department_id: int) -> Department:
    return own_or_404(by, Department, department_id)


def departments_of(organisation_id: int) -> list[Department]:
    return list(
        db.session.scalars(
            select(Department)
            .where(Department.organisation_id == organisation_id)
            .order_by(Department.name, Department.id)
        )
    )


def managed_departments_of(member: User) -> list[Department]:
    return list(
        db.session.scalars(
            select(Department)
            .join(DepartmentManager, DepartmentManager.department_id == Department.id)
            .where(DepartmentManager.user_id == member.id)
            .order_by(Department.name)
        )
    )


# --- staff list ---------------------------------------------------------------------------------


def staff_query(by: User, *, q: str = "", department_id: int | None = None, status: str = ""):
    """A select of the caller's own staff, filtered by a search text (name, e-mail or department
    name), a department (0: none) and a status (``active`` / ``inactive``)."""
    require(by, "staff.manage", by.organisation)
    stmt = (
        select(User)
        .outerjoin(Department, Department.id == User.department_id)
        .where(User.organisation_id == by.organisation_id)
    )
    q = q.strip()
    if q:
        pattern = (
            "%" + q.lower().replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_") + "%"
        )
        stmt = stmt.where(
            or_(
                func.lower(User.name).like(pattern, escape="\\"),
                func.lower(User.email).like(pattern, escape="\\"),
                func.lower(Department.name).like(pattern, escape="\\"),
                func.lower(User.personnel_number).like(pattern, escape="\\"),
            )
        )
    if department_id == 0:
        stmt = stmt.where(User.department_id.is_(None))
    elif department_id is not None:
        stmt = stmt.where(User.department_id == department_id)
    if status == "active":
        stmt = stmt.where(User.active.is_(True))
    elif status == "inactive":
        stmt = stmt.where(User.active.is_(False))
    return stmt.order_by(func.lower(User.name), User.id)


def managers_by_department(organisation_id: int) -> dict[int, list[User]]:
    rows = db.session.execute(
        select(DepartmentManager.department_id, User)
        .join(User, User.id == DepartmentManager.user_id)
        .join(Department, Department.id == DepartmentManager.department_id)
        .where(Department.organisation_id == organisation_id)
        .order_by(func.lower(User.name), User.id)
    )
    out: dict[int, list[User]] = {}
    for department_id, user in rows:
        out.setdefault(department_id, []).append(user)
    return out


# --- one staff member -----------------------------------------------------------------------------


def _own_department_id(by: User, department_id: int | None) -> int | None:
    if not department_id:
        return None
    department = db.session.get(Department, department_id)
    if department is None or department.organisation_id != by.organisation_id:
        raise FieldErrors({"department": [_("Kies een afdeling van je eigen organisatie.")]})
    return department.id


def personnel_number_taken(organisation_id: int, number: str, except_id: int | None) -> bool:
    if not number:
        return False
    stmt = select(User.id).where(
        User.organisation_id == organisation_id, User.personnel_number == number
    )
    if except_id is not None:
        stmt = stmt.where(User.id != except_id)
    return db.session.scalar(stmt.limit(1)) is not None


def update_member(
    by: User,
    member: User,
    *,
    name: str,
    department_id: int | None,
    job_title: str,
    personnel_number: str,
    contract_hours: int | None,
    is_hr: bool,
) -> User:
    """HR edits a staff member's record and HR role."""
    require(by, "staff.manage", by.organisation)
    if member.organisation_id != by.organisation_id:
        raise NotFound()
    if is_erased(member):
        raise Conflict(_("De gegevens van dit account zijn gewist; het kan niet worden gewijzigd."))
    errors: dict[str, list[str]] = {}
    if member.id == by.id and not is_hr:
        errors["is_hr"] = [_("Je kunt je eigen P&O-rol niet afnemen. Vraag een collega van P&O.")]
    personnel_number = personnel_number.strip()
    if personnel_number_taken(by.organisation_id, personnel_number, member.id):
        errors["personnel_number"] = [_("Dit personeelsnummer hoort al bij een andere medewerker.")]
    try:
        department_id = _own_department_id(by, department_id)
    except FieldErrors as exc:
        errors.update(exc.fields)
    if errors:
        raise FieldErrors(errors)
    member.name = name.strip()
    member.department_id = department_id
    member.job_title = job_title.strip()
    member.personnel_number = personnel_number
    member.contract_hours = contract_hours
    member.is_hr = bool(is_hr)
    db.session.flush()
    return member


def is_erased(member: User) -> bool:

    return db.session.scalar(select(Erasure.id).where(Erasure.user_id == member.id)) is not None


def deactivate_member(by: User, member: User) -> User:
    """Every browser session and API token of the member ends at once (accounts.deactivate)."""
    require(by, "staff.manage", by.organisation)
    if member.organisation_id != by.organisation_id:
        raise NotFound()
    if member.id == by.id:
        raise Conflict(_("Je kunt je eigen account niet deactiveren."))
    accounts.deactivate(member)
    db.session.flush()
    return member


def reactivate_member(by: User, member: User) -> User:
    require(by, "staff.manage", by.organisation)
    if member.organisation_id != by.organisation_id:
        raise NotFound()
    if is_erased(member):
        raise Conflict(_("De gegevens van dit account zijn gewist; het kan niet terugkomen."))
    member.active = True
    db.session.flush()
    return member


# --- departments and line managers ----------------------------------------------------------------


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:50] or "afdeling"


def _check_department_name(by: User, name: str, except_id: int | None = None) -> str:
    name = name.strip()
    stmt = select(Department.id).where(
        Department.organisation_id == by.organisation_id,
        func.lower(Department.name) == name.lower(),
    )
    if except_id is not None:
        stmt = stmt.where(Department.id != except_id)
    if db.session.scalar(stmt) is not None:
        raise FieldErrors({"name": [_("Er is al een afdeling met deze naam.")]})
    return name


def create_department(by: User, name: str) -> Department:
    require(by, "staff.manage", by.organisation)
    name = _check_department_name(by, name)
    base = _slug(name)
    taken = set(
        db.session.scalars(
            select(Department.slug).where(Department.organisation_id == by.organisation_id)
        )
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    department = Department(organisation_id=by.organisation_id, slug=slug, name=name)
    db.session.add(department)
    db.session.flush()
    return department


def rename_department(by: User, department: Department, name: str) -> Department:
    require(by, "staff.manage", by.organisation)
    department.name = _check_department_name(by, name, department.id)
    db.session.flush()
    return department


def add_manager(by: User, department: Department, user_id: int) -> DepartmentManager:
    """Make a member of the own organisation a line manager of the department."""
    require(by, "staff.manage", by.organisation)
    member = db.session.scalar(
        select(User).where(
            User.id == user_id, User.organisation_id == by.organisation_id, User.active.is_(True)
        )
    )
    if member is None:
        raise FieldErrors({"user": [_("Kies een actieve medewerker van je eigen organisatie.")]})
    existing = db.session.scalar(
        select(DepartmentManager).where(
            DepartmentManager.department_id == department.id,
            DepartmentManager.user_id == member.id,
        )
    )
    if existing is not None:
        raise FieldErrors({"user": [_("Deze medewerker is al leidinggevende van deze afdeling.")]})
    row = DepartmentManager(department_id=department.id, user_id=member.id)
    db.session.add(row)
    db.session.flush()
    return row


def remove_manager(by: User, department: Department, user_id: int) -> None:
    require(by, "staff.manage", by.organisation)
    row = db.session.scalar(
        select(DepartmentManager).where(
            DepartmentManager.department_id == department.id,
            DepartmentManager.user_id == user_id,
        )
    )
    if row is None:
        raise NotFound()
    db.session.delete(row)
    db.session.flush()


# --- organisation details and logo ----------------------------------------------------------------


def update_details(by: User, organisation: Organisation, **changes) -> Organisation:
    """Legal details for the agreement and the default hourly rate (not the privacy settings)."""
    require(by, "organisation.settings.edit", organisation)
    for name, value in changes.items():
        if name not in DETAIL_FIELDS:
            raise KeyError(name)
        if isinstance(value, str):
            value = value.strip()
        setattr(organisation, name, value)
    db.session.flush()
    return organisation


def set_logo(by: User, organisation: Organisation, data: bytes, mime: str) -> Organisation:
    """Store a logo already checked by :func:`app.workspace.logo.clean_logo`."""
    require(by, "organisation.settings.edit", organisation)
    organisation.logo = data
    organisation.logo_mime = mime
    db.session.flush()
    return organisation


def remove_logo(by: User, organisation: Organisation) -> Organisation:
    require(by, "organisation.settings.edit", organisation)
    organisation.logo = None
    organisation.logo_mime = None
    db.session.flush()
    return organisation
