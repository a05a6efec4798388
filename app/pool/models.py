"""The shared pool: jobs (klussen), capacity offers (krachten) and applications (reacties)."""

from __future__ import annotations

import re
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.extensions import db
from tenants.models import ArrangementScoped, Department, Organisation, utcnow

JOB_STATUSES = ("draft", "open", "filled", "closed", "expired")
#: Kinds of exchange a job offers (issue 14); the flow of its matches follows the type
#: (app.matches.exchange). ``klus`` is the default and what every older job became.
JOB_TYPES = ("klus", "detachering", "meeloopdag", "functieruil", "mentoring")
JOB_TYPE_CHECK = "type IN ('klus', 'detachering', 'meeloopdag', 'functieruil', 'mentoring')"
OFFER_REASONS = ("peak", "development", "reintegration", "other")
OFFER_STATUSES = ("open", "withdrawn", "closed")
#: The partial index of open offers (ix_capacity_offers_open), as SQL.
OPEN_OFFER = "status = 'open'"
APPLICATION_STATUSES = ("submitted", "in_conversation", "declined", "withdrawn", "matched")


def skill_key(name: str) -> str:
    """ "Notuleren " and "notuleren" are one skill: case, spacing and outer spaces fold away."""
    return re.sub(r"\s+", " ", name).strip().casefold()


class Skill(ArrangementScoped, db.Model):
    """The arrangement's shared skill list: one row per normalised key, what matching and the
    skill filter compare. It has no display name on purpose: every job and offer keeps the
    spelling its author typed (``JobSkill.name``, ``OfferSkill.name``). A shared name would be
    one person's text shown in another's object — a job poster who typed "reddingszwemmen" and
    got "Reddingszwemmen" back learnt that someone offered it (issue 10, finding 12)."""

    __tablename__ = "skills"
    __table_args__ = (UniqueConstraint("arrangement_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80))
    # Synonyms (normalised keys) used by matching, e.g. "notuleren" ~ "verslaglegging".
    synonyms: Mapped[list] = mapped_column(JSON, default=list)


class JobSkill(ArrangementScoped, db.Model):
    __tablename__ = "job_skills"
    __table_args__ = (UniqueConstraint("job_id", "skill_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id", ondelete="CASCADE"), index=True)
    # The spelling the job's poster typed: shown on the job, never changed by anyone else.
    name: Mapped[str] = mapped_column(String(80))
    skill: Mapped[Skill] = relationship(lazy="joined")


class Job(ArrangementScoped, db.Model):
    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint("hours_per_week BETWEEN 1 AND 40", name="hours"),
        CheckConstraint("places >= 1", name="places"),
        CheckConstraint("end_date >= start_date", name="period"),
        CheckConstraint(JOB_TYPE_CHECK, name="type"),
        # The job list walks this index newest first and checks visibility and expiry from the
        # index itself (app.pool.search): no sort, no table reads for rows it skips.
        Index(
            "ix_jobs_listing",
            "arrangement_id",
            "status",
            "created_at",
            "id",
            "visibility",
            "organisation_id",
            "expires_on",
        ),
        # Filtered by organisation ("Mijn klussen", the organisation filter).
        Index("ix_jobs_organisation_listing", "organisation_id", "status", "created_at"),
        # A search checks each candidate's visibility from this index alone (app.pool.search).
        Index(
            "ix_jobs_search_filter",
            "id",
            "arrangement_id",
            "status",
            "expires_on",
            "organisation_id",
            "visibility",
            "created_at",
        ),
        # The newest change of an arrangement's jobs: the search page cache's version.
        Index("ix_jobs_changed", "arrangement_id", "updated_at"),
        # The reports' fill rate over years of jobs: an index-only scan on PostgreSQL.
        Index(
            "ix_jobs_report",
            "arrangement_id",
            "created_at",
            postgresql_include=["id", "status", "places"],
        ),
        # "The jobs of organisation X" inside the privacy clauses, with the arrangement every
        # scoped query adds: one index instead of ANDing two (one of them 100,000s long).
        Index("ix_jobs_organisation_arrangement", "organisation_id", "arrangement_id", "id"),
        # The same for "the jobs a person posted" and "the jobs of a department" (a line
        # manager's jobs in the privacy clauses and the start page).
        Index("ix_jobs_poster_arrangement", "posted_by_id", "arrangement_id", "id"),
        Index("ix_jobs_department_arrangement", "department_id", "arrangement_id", "id"),
        # Saved-search alerts: the jobs published in a period.
        Index("ix_jobs_published", "arrangement_id", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="SET NULL"), index=True, default=None
    )
    posted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True, default=None
    )
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    title: Mapped[str] = mapped_column(String(200))
    # The kind of exchange (JOB_TYPES): klus, detachering, meeloopdag, functieruil, mentoring.
    type: Mapped[str] = mapped_column(String(12), default="klus", server_default="klus")
    description: Mapped[str] = mapped_column(
        Text, default=""
    )  # Markdown source, sanitised on render
    hours_per_week: Mapped[int]
    start_date: Mapped[date]
    end_date: Mapped[date]
    location: Mapped[str] = mapped_column(String(200), default="")
    remote: Mapped[bool] = mapped_column(default=False)
    places: Mapped[int] = mapped_column(default=1)
    visibility: Mapped[str] = mapped_column(String(20), default="arrangement")
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    expires_on: Mapped[date | None] = mapped_column(default=None, index=True)
    # The skills' names, one per line: kept in step with job_skills by
    # app.pool.jobs.operations, so lists show them and full-text search indexes them without
    # another query.
    skills_text: Mapped[str] = mapped_column(Text, default="")
    # A plain-text teaser of the description for lists (app.pool.markdown.excerpt), made when
    # the description is saved, so a list page runs no Markdown or regex per row.
    summary: Mapped[str] = mapped_column(String(300), default="")
    reminder_sent_on: Mapped[date | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # When the job first opened to readers (a draft has none; reopening keeps the first): what a
    # saved search's alert calls "new". Rows written without it (data loaded directly) count
    # from created_at.
    published_at: Mapped[datetime | None] = mapped_column(default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation] = relationship()
    department: Mapped[Department | None] = relationship()
    posted_by: Mapped[User | None] = relationship(foreign_keys=[posted_by_id])
    contact: Mapped[User | None] = relationship(foreign_keys=[contact_id])
    job_skills: Mapped[list[JobSkill]] = relationship(cascade="all, delete-orphan")

    @property
    def skills(self) -> list[str]:
        return sorted((js.name for js in self.job_skills), key=str.casefold)

    @property
    def skill_names(self) -> list[str]:
        """The skills from the denormalised column (no query)."""
        return [name for name in self.skills_text.split("\n") if name]


class CapacityOffer(ArrangementScoped, db.Model):
    """An employee's offer of hours and skills. Private: see app.policy."""

    __tablename__ = "capacity_offers"
    __table_args__ = (
        CheckConstraint("hours_per_week BETWEEN 1 AND 40", name="hours"),
        CheckConstraint(
            "available_until IS NULL OR available_until >= available_from", name="period"
        ),
        # The open offers someone may see (candidates for a job, lists): an index-only scan on
        # PostgreSQL over the open ones instead of every offer of the arrangement.
        Index(
            "ix_capacity_offers_open",
            "arrangement_id",
            "organisation_id",
            postgresql_include=[
                "id",
                "user_id",
                "registered_by_id",
                "status",
                "hours_per_week",
                "available_from",
                "available_until",
            ],
            postgresql_where=text(OPEN_OFFER),
            sqlite_where=text(OPEN_OFFER),
        ),
        # The participation report: who offered in a period (years of offers).
        Index(
            "ix_capacity_offers_created",
            "arrangement_id",
            "created_at",
            postgresql_include=["user_id"],
        ),
        # The newest change of an arrangement's offers: the ranking index's version.
        Index("ix_capacity_offers_changed", "arrangement_id", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The employee's home organisation: its settings decide who may see this offer.
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    registered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    hours_per_week: Mapped[int]
    available_from: Mapped[date]
    available_until: Mapped[date | None] = mapped_column(default=None)
    reason: Mapped[str] = mapped_column(String(20), default="other")
    # Re-integration is health-related (AVG art. 9): HR of the home organisation sees that
    # reason only when the employee ticks this; nobody else ever does (app.policy).
    reason_shared_with_hr: Mapped[bool] = mapped_column(default=False, server_default=false())
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    organisation: Mapped[Organisation] = relationship()
    offer_skills: Mapped[list[OfferSkill]] = relationship(cascade="all, delete-orphan")

    @property
    def skills(self) -> list[str]:
        return sorted((os_.name for os_ in self.offer_skills), key=str.casefold)


class OfferSkill(ArrangementScoped, db.Model):
    __tablename__ = "offer_skills"
    __table_args__ = (UniqueConstraint("offer_id", "skill_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(
        ForeignKey("capacity_offers.id", ondelete="CASCADE"), index=True
    )
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id", ondelete="CASCADE"), index=True)
    # The spelling the employee (or the registering line manager) typed: shown on the offer.
    name: Mapped[str] = mapped_column(String(80))
    skill: Mapped[Skill] = relationship(lazy="joined")


class OfferView(ArrangementScoped, db.Model):
    """Who viewed an offer: shown to the employee (a view log of their own data)."""

    __tablename__ = "offer_views"

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(
        ForeignKey("capacity_offers.id", ondelete="CASCADE"), index=True
    )
    viewer_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    viewed_at: Mapped[datetime] = mapped_column(default=utcnow)


class Application(ArrangementScoped, db.Model):
    """An employee's response to a job. Always possible; private (see app.policy)."""

    __tablename__ = "applications"
    __table_args__ = (
        UniqueConstraint("job_id", "user_id"),
        CheckConstraint("hours_per_week IS NULL OR hours_per_week BETWEEN 1 AND 40", name="hours"),
        # The participation report: who responded in a period (years of responses).
        Index(
            "ix_applications_created",
            "arrangement_id",
            "created_at",
            postgresql_include=["user_id"],
        ),
        # The start page's "new responses to your jobs": the newest submitted responses,
        # walked backwards by id, the filter columns read from the index (no table reads
        # for the responses to other organisations' jobs).
        Index(
            "ix_applications_status_newest",
            "arrangement_id",
            "status",
            "id",
            postgresql_include=["job_id", "user_id", "organisation_id"],
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The applicant's home organisation (its HR sees its own staff's responses).
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    motivation: Mapped[str] = mapped_column(Text, default="")
    hours_per_week: Mapped[int | None] = mapped_column(default=None)
    status: Mapped[str] = mapped_column(String(16), default="submitted", index=True)
    decision_message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)

    job: Mapped[Job] = relationship()
    user: Mapped[User] = relationship()


class Notification(ArrangementScoped, db.Model):
    """An in-app notification. Created only where the recipient may know (app.policy)."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(60))
    refs: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(default=None)
