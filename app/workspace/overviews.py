"""HR's overviews of its own organisation: placements out, in and inside, with their agreements;
and the capacity offers and responses of its own staff, as far as the privacy settings let HR see
them (the clauses of :mod:`app.policy`, never a filter of our own)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.extensions import db
from app.matches.models import PLACED_STATUSES, Match
from app.policy import applications_visible, matches_visible, offers_visible, require
from app.pool.models import Application, CapacityOffer
from app.workspace.models import KeptAgreement

LIMIT = 200


@dataclass
class Placements:
    outgoing: list[Match]
    incoming: list[Match]
    internal: list[Match]
    kept: set[int]  # agreement ids kept as legal documents after an erasure


def placements(by: User) -> Placements:
    """Agreed placements (agreed, active, completed, ended) involving the own organisation."""
    require(by, "staff.manage", by.organisation)
    org = by.organisation_id
    rows = list(
        db.session.scalars(
            select(Match)
            .where(
                Match.status.in_(PLACED_STATUSES),
                or_(Match.lending_organisation_id == org, Match.borrowing_organisation_id == org),
                matches_visible(by),
            )
            .options(selectinload(Match.agreements))
            .order_by(Match.start_date.desc(), Match.id.desc())
            .limit(LIMIT * 3)
        )
    )
    agreement_ids = [a.id for m in rows for a in m.agreements]
    kept = set(
        db.session.scalars(
            select(KeptAgreement.agreement_id).where(KeptAgreement.agreement_id.in_(agreement_ids))
        )
    )
    return Placements(
        outgoing=[
            m
            for m in rows
            if m.lending_organisation_id == org and m.borrowing_organisation_id != org
        ],
        incoming=[
            m
            for m in rows
            if m.borrowing_organisation_id == org and m.lending_organisation_id != org
        ],
        internal=[
            m
            for m in rows
            if m.lending_organisation_id == org and m.borrowing_organisation_id == org
        ],
        kept=kept,
    )


def staff_offers(by: User) -> list[CapacityOffer]:
    """Offers of the own staff that HR may see (closed ones only to the employee)."""
    require(by, "staff.manage", by.organisation)
    return list(
        db.session.scalars(
            select(CapacityOffer)
            .join(User, User.id == CapacityOffer.user_id)
            .where(
                and_(
                    CapacityOffer.organisation_id == by.organisation_id,
                    CapacityOffer.user_id != by.id,
                    offers_visible(by),
                )
            )
            .order_by(CapacityOffer.created_at.desc(), CapacityOffer.id.desc())
            .limit(LIMIT)
        )
    )


def staff_applications(by: User) -> list[Application]:
    """Responses of the own staff that HR may see."""
    require(by, "staff.manage", by.organisation)
    return list(
        db.session.scalars(
            select(Application)
            .where(
                Application.organisation_id == by.organisation_id,
                Application.user_id != by.id,
                applications_visible(by),
            )
            .order_by(Application.created_at.desc(), Application.id.desc())
            .limit(LIMIT)
        )
    )
