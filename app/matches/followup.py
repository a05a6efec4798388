"""What follows a placement: the short evaluations afterwards and the hours the borrowing
organisation confirms per month (the finance statement's realised hours)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.extensions import db
from app.matches.models import Match
from tenants.models import ArrangementScoped, utcnow


class Evaluation(ArrangementScoped, db.Model):
    """The short evaluation after a completed placement: one by the employee, one by the host."""

    __tablename__ = "match_evaluations"
    __table_args__ = (
        UniqueConstraint("match_id", "role"),
        CheckConstraint("role IN ('employee', 'host')", name="role"),
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("matches.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(10))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    rating: Mapped[int]
    went_well: Mapped[str] = mapped_column(Text, default="")
    could_improve: Mapped[str] = mapped_column(Text, default="")
    again: Mapped[bool | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    match: Mapped[Match] = relationship()
    author: Mapped[User | None] = relationship()


class RealisedHours(ArrangementScoped, db.Model):
    """The hours worked in one calendar month of a placement, as the borrowing organisation
    confirmed them (issue 14). Without a row, the finance statement uses the agreed hours."""

    __tablename__ = "realised_hours"
    __table_args__ = (
        UniqueConstraint("match_id", "month"),
        CheckConstraint("hours >= 0 AND hours <= 744", name="hours"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("matches.id", ondelete="CASCADE"), index=True)
    month: Mapped[date]  # the first day of the month
    hours: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    confirmed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    confirmed_at: Mapped[datetime] = mapped_column(default=utcnow)

    match: Mapped[Match] = relationship()
    confirmed_by: Mapped[User | None] = relationship()
