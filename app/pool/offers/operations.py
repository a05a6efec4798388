"""Capacity offers (krachten): offer, edit, withdraw; register for staff; browse; view log.

Who sees an offer is decided in :mod:`app.policy`; every read here goes through it.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import and_, not_, or_, select

from app import policy
from app.accounts.models import User
from app.dates import today
from app.errors import Conflict
from app.extensions import db
from app.policy import require
from app.pool import skills
from app.pool.models import CapacityOffer, OfferSkill, OfferView, Skill, skill_key
from app.pool.notifications.operations import notify
from app.pool.schema_fields import FieldError
from app.pool.wordforms import like_prefix
from tenants.models import Department, Organisation, utcnow

EDITABLE = (
    "skills",
    "hours_per_week",
    "available_from",
    "available_until",
    "reason",
    "reason_shared_with_hr",
    "note",
)


def _set_skills(offer: CapacityOffer, names: list[str]) -> None:
    """The offer shows the spelling its author typed; no other offer's or job's text changes.

    Marks the offer changed (``updated_at``), as a job's skills do through its skills_text:
    the ranking index's version (app.matches.sides) reads the offers' newest change."""
    offer.updated_at = utcnow()
    skills.relink(
        offer.offer_skills,
        skills.get_or_create(names),
        lambda skill, name: OfferSkill(skill_id=skill.id, skill=skill, name=name),
    )


def check_not_ended(until: date | None) -> None:
    """An offer whose period has already ended is refused: nobody can be placed in the past,
    and such an offer would only clutter HR's and the coordinator's lists."""
    if until is not None and until < today():
        raise FieldError({"available_until": [_("Deze datum ligt in het verleden.")]})


def create(user: User, *, employee_id: int | None = None, **fields) -> CapacityOffer:
    """An employee offers hours and skills; or a line manager registers that for their staff
    (only where the home organisation routes registration through line managers). An offer
    that has already ended is refused (FieldError)."""
    check_not_ended(fields.get("available_until"))
    employee = user
    if employee_id is not None and employee_id != user.id:
        employee = db.session.get(User, employee_id)
        require(user, "offer.register_for", employee)
    if employee is not user and fields.get("reason_shared_with_hr"):
        raise FieldError({"reason_shared_with_hr": [_("Alleen de medewerker zelf kiest dit.")]})
    offer = CapacityOffer(
        user_id=employee.id,
        organisation_id=employee.organisation_id,
        registered_by_id=None if employee is user else user.id,
        hours_per_week=fields["hours_per_week"],
        available_from=fields["available_from"],
        available_until=fields.get("available_until"),
        reason=fields.get("reason") or "other",
        reason_shared_with_hr=bool(fields.get("reason_shared_with_hr")),
        note=fields.get("note") or "",
        status="open",
    )
    db.session.add(offer)
    _set_skills(offer, fields.get("skills") or [])
    db.session.flush()
    if offer.registered_by_id is not None:
        notify(employee.id, "offer_registered", offer_id=offer.id)
    return offer


def visible_offer_or_404(user: User, offer_id: int) -> CapacityOffer:
    offer = db.session.get(CapacityOffer, offer_id)
    require(user, "offer.view", offer)
    return offer


def editable_offer(user: User, offer_id: int) -> CapacityOffer:
    offer = visible_offer_or_404(user, offer_id)
    require(user, "offer.edit", offer)
    if offer.status != "open":
        raise Conflict(_("Dit aanbod is ingetrokken of afgesloten en kan niet meer veranderen."))
    return offer


def update(user: User, offer_id: int, **changes) -> CapacityOffer:
    offer = editable_offer(user, offer_id)
    start = changes.get("available_from", offer.available_from)
    until = changes.get("available_until", offer.available_until)
    if until is not None and until < start:
        raise FieldError({"available_until": [_("De einddatum ligt vóór de begindatum.")]})
    if "available_until" in changes and until != offer.available_until:
        check_not_ended(until)
    if "reason_shared_with_hr" in changes and offer.user_id != user.id:
        # The consent is the employee's own: who registered the offer cannot give it.
        raise FieldError({"reason_shared_with_hr": [_("Alleen de medewerker zelf kiest dit.")]})
    for name, value in changes.items():
        if name not in EDITABLE:
            raise KeyError(name)
        if name == "skills":
            _set_skills(offer, value)
        elif name == "note":
            offer.note = value or ""
        else:
            setattr(offer, name, value)
    offer.updated_at = utcnow()
    db.session.flush()
    return offer


def withdraw(user: User, offer_id: int) -> CapacityOffer:
    offer = editable_offer(user, offer_id)
    offer.status = "withdrawn"
    offer.closed_at = utcnow()
    db.session.flush()
    return offer


def view(user: User, offer_id: int) -> CapacityOffer:
    """Open an offer's detail. A view by anyone but the employee is logged for the employee."""
    offer = visible_offer_or_404(user, offer_id)
    if offer.user_id != user.id:
        db.session.add(OfferView(offer_id=offer.id, viewer_id=user.id))
        db.session.flush()
    return offer


def registrar_of(offer: CapacityOffer) -> User | None:
    """The line manager who registered the offer for the employee, if anyone."""
    if offer.registered_by_id is None:
        return None
    return db.session.get(User, offer.registered_by_id)


def views_of(user: User, offer: CapacityOffer) -> list[tuple[OfferView, User | None]]:
    """The view log, for the employee only (newest first)."""
    if offer.user_id != user.id:
        return []
    rows = db.session.execute(
        select(OfferView, User)
        .outerjoin(User, User.id == OfferView.viewer_id)
        .where(OfferView.offer_id == offer.id)
        .order_by(OfferView.viewed_at.desc(), OfferView.id.desc())
    )
    return [(row[0], row[1]) for row in rows]


# --- lists ---------------------------------------------------------------------------------------


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def visible_offers(
    user: User,
    *,
    q: str | None = None,
    skill: str | None = None,
    organisation: str | None = None,
    reason: str | None = None,
    include_own: bool = True,
    status: str | None = "open",
):
    """A select of the offers the caller may see (the browse list and the API), newest first."""
    stmt = select(CapacityOffer).where(policy.offers_visible(user))
    if not include_own:
        stmt = stmt.where(CapacityOffer.user_id != user.id)
    if status:
        stmt = stmt.where(CapacityOffer.status == status)
    if reason == policy.SENSITIVE_REASON:
        stmt = stmt.where(CapacityOffer.reason == reason, policy.reasons_readable(user))
    elif reason == "other":
        # What the caller reads as "other" includes the re-integration they may not read.
        stmt = stmt.where(
            or_(
                CapacityOffer.reason == "other",
                and_(
                    CapacityOffer.reason == policy.SENSITIVE_REASON,
                    not_(policy.reasons_readable(user)),
                ),
            )
        )
    elif reason:
        stmt = stmt.where(CapacityOffer.reason == reason)
    if organisation:
        stmt = stmt.where(
            CapacityOffer.organisation_id.in_(
                select(Organisation.id).where(Organisation.slug == organisation)
            )
        )
    if skill:
        stmt = stmt.where(
            CapacityOffer.id.in_(
                select(OfferSkill.offer_id)
                .join(Skill, Skill.id == OfferSkill.skill_id)
                # On a prefix, as the job list's filter: "Exc" finds "Excel".
                .where(Skill.key.like(like_prefix(skill_key(skill)), escape="\\"))
            )
        )
    if q and q.strip():
        # Skills and names only: the note is read on the offer itself, where the view is logged.
        pattern = _like(q.strip().casefold())
        stmt = stmt.where(
            or_(
                CapacityOffer.id.in_(
                    select(OfferSkill.offer_id)
                    .join(Skill, Skill.id == OfferSkill.skill_id)
                    .where(Skill.key.like(pattern, escape="\\"))
                ),
                CapacityOffer.user_id.in_(
                    select(User.id).where(User.name.ilike(pattern, escape="\\"))
                ),
            )
        )
    return stmt.order_by(CapacityOffer.created_at.desc(), CapacityOffer.id.desc())


def own_offers(user: User) -> list[CapacityOffer]:
    return list(
        db.session.scalars(
            select(CapacityOffer)
            .where(CapacityOffer.user_id == user.id)
            .order_by(CapacityOffer.created_at.desc(), CapacityOffer.id.desc())
        )
    )


def registered_by(user: User) -> list[CapacityOffer]:
    """Offers this line manager registered for their staff."""
    return list(
        db.session.scalars(
            select(CapacityOffer)
            .where(CapacityOffer.registered_by_id == user.id)
            .order_by(CapacityOffer.created_at.desc(), CapacityOffer.id.desc())
        )
    )


def current(offer: CapacityOffer) -> bool:
    return offer.available_until is None or offer.available_until >= today()


def close_ended(on: date) -> int:
    """Close the current arrangement's open offers whose period ended before ``on``.

    Rule: an offer past its end closes itself (status ``closed``, ``closed_at`` set, so the
    retention clock starts); it leaves the lists of HR and coordinators without anyone tidying.
    The employee is told by an in-app notification, so the offer does not vanish unexplained."""
    ended = db.session.scalars(
        select(CapacityOffer).where(
            CapacityOffer.status == "open",
            CapacityOffer.available_until.is_not(None),
            CapacityOffer.available_until < on,
        )
    ).all()
    now = utcnow()
    for offer in ended:
        offer.status = "closed"
        offer.closed_at = now
        notify(offer.user_id, "offer_ended", email=False, offer_id=offer.id)
    db.session.flush()
    return len(ended)


def department_name(department_id: int | None) -> str | None:
    """The name of a department (for the offer and response pages), None for none."""
    if department_id is None:
        return None
    department = db.session.get(Department, department_id)
    return department.name if department else None
