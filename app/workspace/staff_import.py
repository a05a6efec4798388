"""Importing staff from a CSV export of an HR system: upload, map, preview, confirm.

1. :func:`upload` parses the file (:mod:`app.workspace.import_csv`) and stores it server-side as
   an :class:`~app.workspace.models.ImportBatch` with a first guess of the column mapping.
2. :func:`set_mapping` records which column holds which field (HR chose them on screen).
3. :func:`plan` works out, row by row, what confirming would do: *create* (a new colleague, who
   gets an invitation e-mail), *update* (an existing colleague, matched on e-mail address, then on
   personnel number; only the fields the file fills and that differ), *unchanged*, or *reject*
   with the reasons. The preview shows this plan and carries its digest.
4. :func:`apply` re-computes the plan from the stored rows and applies it only when its digest is
   the one HR saw: if anything changed in between (another import, an edit), nothing is applied
   and HR sees the new preview. The batch is claimed with one conditional UPDATE, so a double
   click applies it once. Afterwards the rows are cleared; the batch keeps counts only.

Whether an address has an account outside the organisation (another organisation of the
arrangement, or another arrangement) is never shown (issue 10, finding 2): the preview looks
only at the organisation's own staff, so such a row is planned like any new colleague (or,
matched on personnel number, like any change of address). Confirming resolves the collision
without telling HR, as an invitation by hand does (:func:`app.accounts.operations.invite`): no
second account is made, the address keeps its holder, and the holder is mailed a notice. An
upload of 5,000 addresses therefore answers nothing about them, and probing costs a notice to
every person probed.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select, update

from app.accounts import operations as accounts
from app.accounts.models import LoginIdentity, User, normalise_email
from app.errors import Conflict, FieldErrors
from app.extensions import db
from app.policy import require
from app.workspace.import_csv import FIELD_LABELS, FIELDS, MAX_CELL, guess_mapping, parse
from app.workspace.models import ImportBatch
from app.workspace.operations import own_or_404
from tenants.models import Department, utcnow

EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
#: "36", "36,0" or "36.00" (HR systems write whole hours with decimals).
HOURS_SHAPE = re.compile(r"^(\d{1,3})(?:[.,]0+)?$")
LIMITS = {"email": 254, "name": 200, "personnel_number": 40, "job_title": 200}
#: Fields an update may change, in the order the preview lists them.
UPDATABLE = ("email", "name", "department_id", "personnel_number", "job_title", "contract_hours")


class StalePlan(Conflict):
    """What confirming would do is no longer what HR saw in the preview."""


@dataclass
class RowPlan:
    line: int  # the line in the file (the header is line 1)
    action: str = "reject"  # "create" | "update" | "unchanged" | "reject"
    email: str = ""
    raw_email: str = ""  # an invalid address as it stood in the file (shortened), to show
    name: str = ""
    values: dict = field(default_factory=dict)  # cleaned values of the mapped fields
    changes: dict = field(default_factory=dict)  # field → [old, new] for an update
    reasons: list[str] = field(default_factory=list)
    user_id: int | None = None
    matched_by: str = ""  # "email" | "personnel_number"
    inactive: bool = False


# --- the batch -----------------------------------------------------------------------------------


def batch_or_404(by: User, batch_id: int) -> ImportBatch:
    return own_or_404(by, ImportBatch, batch_id)


def upload(by: User, data: bytes) -> ImportBatch:
    """Store a parsed upload; :class:`app.workspace.import_csv.CsvError` when it is unreadable."""
    require(by, "staff.manage", by.organisation)
    headers, rows = parse(data)
    batch = ImportBatch(
        organisation_id=by.organisation_id,
        created_by_id=by.id,
        headers=headers,
        rows=rows,
        mapping=guess_mapping(headers),
        upload_sha256=hashlib.sha256(data).hexdigest(),
    )
    db.session.add(batch)
    db.session.flush()
    return batch


def _require_open(batch: ImportBatch) -> None:
    if batch.status not in ("uploaded", "mapped"):
        raise Conflict(_("Deze import is al verwerkt of geannuleerd."))


def set_mapping(by: User, batch: ImportBatch, mapping: dict[str, str]) -> ImportBatch:
    """field → header ("" for none). The e-mail column is required; a column is used once."""
    require(by, "staff.manage", by.organisation)
    _require_open(batch)
    clean = {f: mapping.get(f) or "" for f in FIELDS}
    errors: dict[str, list[str]] = {}
    for name, header in clean.items():
        if header and header not in batch.headers:
            errors[name] = [_("Kies een kolom uit het bestand.")]
    if not clean["email"]:
        errors["email"] = [_("Kies de kolom met het e-mailadres: daarop worden mensen herkend.")]
    used = [h for h in clean.values() if h]
    for name, header in clean.items():
        if header and used.count(header) > 1:
            errors.setdefault(name, []).append(_("Deze kolom is al voor een ander veld gekozen."))
    if errors:
        raise FieldErrors(errors)
    batch.mapping = {f: h for f, h in clean.items() if h}
    batch.status = "mapped"
    db.session.flush()
    return batch


def discard(by: User, batch: ImportBatch) -> ImportBatch:
    require(by, "staff.manage", by.organisation)
    _require_open(batch)
    batch.status = "discarded"
    batch.rows, batch.headers = [], []
    db.session.flush()
    return batch


# --- the plan ------------------------------------------------------------------------------------


def _cells(batch: ImportBatch, row: list[str]) -> dict[str, str]:
    index = {h: i for i, h in enumerate(batch.headers)}
    out = {}
    for name, header in batch.mapping.items():
        i = index.get(header)
        out[name] = row[i].strip() if i is not None and i < len(row) else ""
    return out


def _clean(row: RowPlan, cells: dict[str, str], departments: dict[str, Department]) -> None:
    """Check the cells of one row; fill ``row.values`` and ``row.reasons``."""
    email = cells.get("email", "")
    if not email:
        row.reasons.append(_("E-mailadres ontbreekt."))
    elif len(email) > LIMITS["email"] or not EMAIL_SHAPE.match(email):
        # The rejected value is shown (shortened), so HR sees what to correct in their file.
        row.raw_email = _shortened(email)
        row.reasons.append(_("E-mailadres „%(value)s” is ongeldig.", value=row.raw_email))
    else:
        row.email = normalise_email(email)
        row.values["email"] = row.email
    for name in ("name", "personnel_number", "job_title"):
        value = cells.get(name, "")
        if len(value) > LIMITS[name]:
            row.reasons.append(
                _(
                    "%(field)s is te lang (hoogstens %(n)s tekens).",
                    field=_label(name),
                    n=LIMITS[name],
                )
            )
        elif value:
            row.values[name] = value
    row.name = row.values.get("name", "")
    department = cells.get("department", "")
    if department:
        found = departments.get(department.casefold())
        if found is None:
            row.reasons.append(
                _("Afdeling „%(name)s” bestaat niet in je organisatie.", name=department[:80])
            )
        else:
            row.values["department_id"] = found.id
    hours = cells.get("contract_hours", "")
    if hours:
        whole = HOURS_SHAPE.match(hours)
        if whole is None or int(whole.group(1)) > 60:
            row.reasons.append(
                _(
                    "Contracturen „%(value)s”: dat moet een heel getal van 0 tot en met 60 zijn.",
                    value=_shortened(hours),
                )
            )
        else:
            row.values["contract_hours"] = int(whole.group(1))


def _shortened(value: str, limit: int = 80) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _label(name: str) -> str:
    return str(FIELD_LABELS[name])


def _mark_duplicates(rows: list[RowPlan], key, message) -> None:
    lines: dict[str, list[int]] = {}
    for row in rows:
        value = key(row)
        if value:
            lines.setdefault(value, []).append(row.line)
    for row in rows:
        value = key(row)
        if value and len(lines[value]) > 1:
            others = ", ".join(str(n) for n in lines[value] if n != row.line)
            row.reasons.append(message(others))


def _match(row: RowPlan, by_email: dict, by_number: dict) -> None:
    """Find the colleague the row is about, or decide it is a new one."""
    number = row.values.get("personnel_number", "")
    user = by_email.get(row.email)
    if user is not None:
        row.matched_by = "email"
        holders = by_number.get(number, []) if number else []
        if any(h.id != user.id for h in holders):
            row.reasons.append(_("Het personeelsnummer hoort bij een andere medewerker."))
    elif number and len(by_number.get(number, [])) == 1:
        user = by_number[number][0]
        row.matched_by = "personnel_number"
    elif number and len(by_number.get(number, [])) > 1:
        row.reasons.append(_("Meer medewerkers hebben dit personeelsnummer."))
        return
    if user is None:
        if not row.name:
            row.reasons.append(_("Naam ontbreekt (nodig voor een nieuwe medewerker)."))
        row.action = "create"
        return
    row.user_id, row.inactive = user.id, not user.active
    for name in UPDATABLE:
        if name in row.values and getattr(user, name) != row.values[name]:
            row.changes[name] = [getattr(user, name), row.values[name]]
    row.action = "update" if row.changes else "unchanged"


def plan(by: User, batch: ImportBatch) -> list[RowPlan]:
    """What confirming would do, row by row (nothing is changed here)."""
    require(by, "staff.manage", by.organisation)
    departments: dict[str, Department] = {}
    for department in db.session.scalars(
        select(Department).where(Department.organisation_id == by.organisation_id)
    ):
        departments.setdefault(department.slug.casefold(), department)
        departments[department.name.casefold()] = department
    staff = list(db.session.scalars(select(User).where(User.organisation_id == by.organisation_id)))
    by_email = {u.email: u for u in staff}
    by_number: dict[str, list[User]] = {}
    for user in staff:
        if user.personnel_number:
            by_number.setdefault(user.personnel_number, []).append(user)
    rows = []
    for offset, raw in enumerate(batch.rows):
        row = RowPlan(line=offset + 2)
        if len(raw) > len(batch.headers) or any(len(cell) > MAX_CELL for cell in raw):
            row.reasons.append(_("De regel heeft te veel kolommen of een te lange waarde."))
        _clean(row, _cells(batch, raw), departments)
        rows.append(row)
    _mark_duplicates(
        rows,
        lambda r: r.email,
        lambda lines: _(
            "Dit e-mailadres staat vaker in het bestand (ook regel %(lines)s).", lines=lines
        ),
    )
    _mark_duplicates(
        rows,
        lambda r: r.values.get("personnel_number", ""),
        lambda lines: _(
            "Dit personeelsnummer staat vaker in het bestand (ook regel %(lines)s).", lines=lines
        ),
    )
    # Only the organisation's own staff are looked at: addresses elsewhere are not consulted.
    for row in rows:
        if not row.reasons:
            _match(row, by_email, by_number)
    _mark_duplicates(
        [r for r in rows if r.user_id is not None and not r.reasons],
        lambda r: str(r.user_id),
        lambda lines: _("Regel %(lines)s gaat over dezelfde medewerker.", lines=lines),
    )
    for row in rows:
        if row.reasons:
            row.action, row.changes = "reject", {}
    return rows


def digest(rows: list[RowPlan]) -> str:
    """A fingerprint of what the plan would do: it changes when any outcome changes."""
    payload = [
        [r.line, r.action, r.user_id, sorted(r.values.items()), sorted(r.changes), r.reasons]
        for r in rows
    ]
    return hashlib.sha256(json.dumps(payload, default=str).encode()).hexdigest()


def counts(rows: list[RowPlan]) -> dict[str, int]:
    out = {"create": 0, "update": 0, "unchanged": 0, "reject": 0}
    for row in rows:
        out[row.action] += 1
    return out


# --- applying ------------------------------------------------------------------------------------


def _change_login_email(user: User, email: str) -> None:
    """The login address follows the new e-mail address; the old one stops working at once.

    An address that has an account elsewhere stays its holder's: the colleague keeps their
    address and the holder gets the notice an invitation would give (the preview said nothing).
    """
    taken = accounts.find_identity(email)
    if taken is not None:
        accounts.tell_existing_holder(taken)
        return
    old = db.session.get(LoginIdentity, user.email)
    if old is not None:
        db.session.delete(old)
        db.session.flush()
    user.email = email
    db.session.add(LoginIdentity(email=email, user_id=user.id, arrangement_id=user.arrangement_id))


def apply(by: User, batch: ImportBatch, seen_digest: str) -> dict[str, int]:
    """Apply exactly the plan HR confirmed (:class:`StalePlan` when it changed meanwhile)."""
    require(by, "staff.manage", by.organisation)
    _require_open(batch)
    if batch.status != "mapped":
        raise Conflict(_("Kies eerst welke kolom welk gegeven bevat."))
    rows = plan(by, batch)
    if digest(rows) != seen_digest:
        raise StalePlan()
    claimed = db.session.execute(
        update(ImportBatch)
        .where(ImportBatch.id == batch.id, ImportBatch.status == "mapped")
        .values(status="applied", applied_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise Conflict(_("Deze import is al verwerkt of geannuleerd."))
    for row in rows:
        if row.action == "create":
            user = accounts.invite(
                by,
                email=row.email,
                name=row.name,
                department_id=row.values.get("department_id"),
            )
            if user is None:  # the address has an account elsewhere: its holder was told
                continue
            user.personnel_number = row.values.get("personnel_number", "")
            user.job_title = row.values.get("job_title", "")
            user.contract_hours = row.values.get("contract_hours")
        elif row.action == "update":
            user = db.session.get(User, row.user_id)
            for name, (_old, new) in row.changes.items():
                if name == "email":
                    _change_login_email(user, new)
                else:
                    setattr(user, name, new)
    summary = counts(rows)
    db.session.refresh(batch)
    batch.rows, batch.headers, batch.summary = [], [], summary
    db.session.flush()
    return summary
