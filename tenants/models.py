"""Arrangements, their member organisations and departments.

``arrangements`` is a platform table (slug and name only: platform admins manage it). Everything
else that belongs to an arrangement carries ``arrangement_id`` through :class:`ArrangementScoped`
and is filtered by :mod:`tenants.scoping` and, on PostgreSQL, by row-level security.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db

CAPACITY_VISIBILITY = ("hr", "hr_coordinators", "arrangement")
JOB_VISIBILITY = ("organisation", "arrangement")


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class ArrangementScoped:
    """Mixin for every arrangement-owned model: one column, one wall."""

    arrangement_id: Mapped[int] = mapped_column(
        ForeignKey("arrangements.id", ondelete="CASCADE"), index=True
    )


class Arrangement(db.Model):
    __tablename__ = "arrangements"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # External hourly rate used to estimate hiring avoided (coordinator figures).
    external_hourly_rate: Mapped[Decimal] = mapped_column(Numeric(8, 2), default=Decimal("95.00"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Organisation(ArrangementScoped, db.Model):
    __tablename__ = "organisations"
    __table_args__ = (
        UniqueConstraint("arrangement_id", "slug"),
        CheckConstraint("report_min_group_size >= 3", name="min_group_size"),
        CheckConstraint("retention_days >= 1", name="retention_days"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(63), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # Legal details for the secondment agreement.
    legal_name: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(400), default="")
    kvk_number: Mapped[str] = mapped_column(String(20), default="")
    oin: Mapped[str] = mapped_column(String(30), default="")
    vat_number: Mapped[str] = mapped_column(String(30), default="")
    signatory_name: Mapped[str] = mapped_column(String(200), default="")
    signatory_role: Mapped[str] = mapped_column(String(200), default="")
    signatory_mandate: Mapped[str] = mapped_column(String(300), default="")
    cao: Mapped[str] = mapped_column(String(60), default="Cao Gemeenten")
    agreement_template: Mapped[str | None] = mapped_column(db.Text, default=None)
    # Privacy settings (CONTRACT.md), decided by the employee's home organisation.
    capacity_visibility: Mapped[str] = mapped_column(String(20), default="hr_coordinators")
    line_manager_sees_own_staff: Mapped[bool] = mapped_column(default=False)
    registration_via_line_manager: Mapped[bool] = mapped_column(default=False)
    report_min_group_size: Mapped[int] = mapped_column(default=5)
    retention_days: Mapped[int] = mapped_column(default=365)
    # Defaults for jobs and placements.
    default_job_visibility: Mapped[str] = mapped_column(String(20), default="arrangement")
    job_expiry_days: Mapped[int] = mapped_column(default=42)
    default_hourly_rate: Mapped[Decimal | None] = mapped_column(Numeric(8, 2), default=None)
    # Branding.
    brand_colour: Mapped[str] = mapped_column(String(7), default="#1f5f8b")
    logo: Mapped[bytes | None] = mapped_column(db.LargeBinary, default=None, deferred=True)
    logo_mime: Mapped[str | None] = mapped_column(String(40), default=None)
    # SCIM groups (by display name, one a line) whose members are HR of this organisation;
    # from ``[organisations.scim] hr_groups`` in the arrangement's TOML file.
    scim_hr_groups: Mapped[str] = mapped_column(db.Text, default="")

    @property
    def hr_group_names(self) -> list[str]:
        return [line for line in (self.scim_hr_groups or "").split("\n") if line]

    arrangement: Mapped[Arrangement] = relationship()
    departments: Mapped[list[Department]] = relationship(
        back_populates="organisation", order_by="Department.name"
    )


class Department(ArrangementScoped, db.Model):
    __tablename__ = "departments"
    __table_args__ = (UniqueConstraint("organisation_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    slug: Mapped[str] = mapped_column(String(63))
    name: Mapped[str] = mapped_column(String(200))

    organisation: Mapped[Organisation] = relationship(back_populates="departments")
    managers: Mapped[list[DepartmentManager]] = relationship(
        back_populates="department", cascade="all, delete-orphan"
    )


class DepartmentManager(ArrangementScoped, db.Model):
    """A line manager (teamleider) of a department."""

    __tablename__ = "department_managers"
    __table_args__ = (UniqueConstraint("department_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(
        ForeignKey("departments.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    department: Mapped[Department] = relationship(back_populates="managers")
