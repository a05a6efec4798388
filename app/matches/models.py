"""Matches (proposed placements), their approvals, the seats they take, the agreement PDFs and
the evaluations afterwards.

A *match* proposes one employee for one job. Three parties approve it, the employee first; the
last approval takes a :class:`Placement` (a seat of the job) and records an :class:`Agreement`
version that the worker renders. Terms live on the match; every change of terms gets a new
``terms_version`` so the approvals of older terms no longer count (they stay as history).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.extensions import db
from app.pool.models import JOB_TYPE_CHECK, Application, CapacityOffer, Job
from tenants.models import ArrangementScoped, Organisation, utcnow

MATCH_STATUSES = ("proposed", "agreed", "declined", "withdrawn", "active", "completed", "ended")
#: Statuses in which a match still holds (or may still take) a seat of its job.
OPEN_STATUSES = ("proposed", "agreed", "active")
#: The partial unique index's condition (the same statuses, as SQL).
OPEN_PROPOSAL_WHERE = "status IN ('proposed', 'agreed', 'active')"
#: Open for a decision: a proposal, or a placement whose changed terms wait for approval (the
#: same condition as access.decision_waiting_clause, so PostgreSQL can use the partial index).
AWAITING_DECISION_WHERE = (
    "status = 'proposed' OR (status IN ('agreed', 'active') "
    "AND agreed_terms_version IS NOT NULL AND terms_version <> agreed_terms_version)"
)
#: Statuses of an agreed placement (the agreement is in force or was).
PLACED_STATUSES = ("agreed", "active", "completed", "ended")
PARTIES = ("employee", "lending", "borrowing")
#: A functieruil has a second person: the counterpart takes the employee's role in return.
ALL_PARTIES = ("employee", "counterpart", "lending", "borrowing")
DECISIONS = ("approve", "decline")
COST_RECHARGES = ("none", "hourly")
#: What the borrowing organisation pays (issue 14). ``employer_costs``: the employee's actual
#: employer costs (werkgeverslasten), as an amount per hour that HR fills in; ``hourly_rate``:
#: a fixed hourly rate; ``none``: no charge. The old ``cost_recharge`` follows from it
#: (``none`` → ``none``, the others → ``hourly``; ``hourly_rate`` holds the amount per hour).
COST_BASES = ("employer_costs", "hourly_rate", "none")
#: The VAT treatment the parties chose (they decide it; we record it, app.finance.vat):
#: ``vat_21``: 21 % VAT on the fee (secondment between public bodies is in principle taxed);
#: ``exempt_cost_sharing``: no VAT, cost-sharing at actual cost by a key agreed beforehand;
#: ``no_fee``: no VAT because nothing is charged.
VAT_CODES = ("vat_21", "exempt_cost_sharing", "no_fee")
AGREEMENT_STATUSES = ("pending", "rendering", "ready", "failed")
EVALUATION_ROLES = ("employee", "host")


class Match(ArrangementScoped, db.Model):
    __tablename__ = "matches"
    __table_args__ = (
        CheckConstraint("hours_per_week BETWEEN 1 AND 40", name="hours"),
        CheckConstraint("end_date >= start_date", name="period"),
        CheckConstraint(
            "status IN ('proposed', 'agreed', 'declined', 'withdrawn', 'active', "
            "'completed', 'ended')",
            name="status",
        ),
        CheckConstraint("cost_recharge IN ('none', 'hourly')", name="cost_recharge"),
        CheckConstraint(JOB_TYPE_CHECK, name="type"),
        CheckConstraint(
            "cost_recharge = 'none' OR hourly_rate IS NOT NULL", name="hourly_rate_given"
        ),
        CheckConstraint(
            "cost_basis IN ('employer_costs', 'hourly_rate', 'none')", name="cost_basis"
        ),
        # The old field follows the new one, so clients of either read the same terms.
        CheckConstraint(
            "(cost_basis = 'none') = (cost_recharge = 'none')", name="cost_basis_recharge"
        ),
        CheckConstraint("vat_code IN ('vat_21', 'exempt_cost_sharing', 'no_fee')", name="vat_code"),
        Index("ix_matches_job_status", "job_id", "status"),
        # One open proposal per (job, person) and proposer, as a fact of the database: twenty
        # identical requests at the same moment make one match (issue 10, finding 3). The
        # proposer is part of the key because a proposal still waiting for the employee may be
        # invisible to another proposer (access.py): refusing theirs would tell them it exists.
        Index(
            "uq_matches_open_proposal",
            "job_id",
            "employee_id",
            "proposed_by_id",
            unique=True,
            postgresql_where=text(OPEN_PROPOSAL_WHERE),
            sqlite_where=text(OPEN_PROPOSAL_WHERE),
        ),
        # The matches open for a decision (access.decision_waiting_clause, the start page): a
        # few hundred of an arrangement's thousands, instead of every visible one.
        Index(
            "ix_matches_awaiting_decision",
            "arrangement_id",
            "id",
            postgresql_where=text(AWAITING_DECISION_WHERE),
            sqlite_where=text(AWAITING_DECISION_WHERE),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The source: a response to the job, a capacity offer, or neither (proposed directly).
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", ondelete="SET NULL"), index=True, default=None
    )
    capacity_id: Mapped[int | None] = mapped_column(
        ForeignKey("capacity_offers.id", ondelete="SET NULL"), index=True, default=None
    )
    proposed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True, default=None
    )
    # Lending: the employee's home organisation. Borrowing: the job's organisation.
    lending_organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    borrowing_organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(10), default="proposed", index=True)
    # The kind of exchange, the job's type when proposed (app.matches.exchange): it decides
    # who approves, which terms apply and which document results; a later change of the
    # job's type does not change a running match.
    type: Mapped[str] = mapped_column(String(12), default="klus", server_default="klus")
    # Functieruil: the person of the job's organisation who takes the employee's role in
    # return. A party of their own (approval "counterpart"); None for every other type.
    counterpart_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True, default=None
    )

    # Terms (the ones under discussion; those in force are the latest agreement's snapshot).
    hours_per_week: Mapped[int]
    start_date: Mapped[date]
    end_date: Mapped[date]
    place_of_work: Mapped[str] = mapped_column(String(200), default="")
    supervisor_name: Mapped[str] = mapped_column(String(200), default="")
    supervisor_role: Mapped[str] = mapped_column(String(200), default="")
    cost_recharge: Mapped[str] = mapped_column(String(10), default="none")
    hourly_rate: Mapped[Decimal | None] = mapped_column(Numeric(8, 2), default=None)
    cost_basis: Mapped[str] = mapped_column(String(20), default="none")
    vat_code: Mapped[str] = mapped_column(String(30), default="no_fee")
    # The reason for the VAT treatment, as the parties word it (shown in the agreement).
    vat_treatment: Mapped[str] = mapped_column(String(300), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    terms_version: Mapped[int] = mapped_column(default=1)
    # The terms version of the agreement in force (None until agreed).
    agreed_terms_version: Mapped[int | None] = mapped_column(default=None)

    # Privacy: the moment the employee first approved (for a functieruil: the moment the second
    # of the two people approved). Until then the line managers may not learn of the match
    # (DESIGN.md section 3).
    employee_consented_at: Mapped[datetime | None] = mapped_column(default=None, index=True)
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    agreed_at: Mapped[datetime | None] = mapped_column(default=None)
    ended_at: Mapped[datetime | None] = mapped_column(default=None)
    ended_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    end_reason: Mapped[str] = mapped_column(Text, default="")
    evaluation_requested_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Optimistic lock: two decisions on one match at the same moment cannot both count on a
    # stale view of the approvals (the second one's UPDATE finds no row and is refused).
    row_version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": row_version}

    job: Mapped[Job] = relationship()
    employee: Mapped[User] = relationship(foreign_keys=[employee_id])
    counterpart: Mapped[User | None] = relationship(foreign_keys=[counterpart_id])
    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id])
    ended_by: Mapped[User | None] = relationship(foreign_keys=[ended_by_id])
    application: Mapped[Application | None] = relationship()
    capacity: Mapped[CapacityOffer | None] = relationship()
    lending_organisation: Mapped[Organisation] = relationship(
        foreign_keys=[lending_organisation_id]
    )
    borrowing_organisation: Mapped[Organisation] = relationship(
        foreign_keys=[borrowing_organisation_id]
    )
    approvals: Mapped[list[Approval]] = relationship(
        back_populates="match", order_by="Approval.id", cascade="all, delete-orphan"
    )
    agreements: Mapped[list[Agreement]] = relationship(
        back_populates="match", order_by="Agreement.version", cascade="all, delete-orphan"
    )

    @property
    def source(self) -> str:
        if self.application_id is not None:
            return "application"
        if self.capacity_id is not None:
            return "capacity"
        return "direct"

    @property
    def cross_organisation(self) -> bool:
        return self.lending_organisation_id != self.borrowing_organisation_id

    @property
    def amendment_pending(self) -> bool:
        """Agreed terms are in force and changed terms wait for all three approvals."""
        return (
            self.status in ("agreed", "active")
            and self.agreed_terms_version is not None
            and self.terms_version != self.agreed_terms_version
        )

    @property
    def open_for_decisions(self) -> bool:
        return self.status == "proposed" or self.amendment_pending

    def current_approvals(self) -> dict[str, Approval]:
        """party → the decision on the current terms (missing: not decided yet)."""
        return {a.party: a for a in self.approvals if a.terms_version == self.terms_version}

    def latest_agreement(self) -> Agreement | None:
        return self.agreements[-1] if self.agreements else None

    def ready_agreement(self) -> Agreement | None:
        """The newest version that was rendered (the one to download)."""
        return next((a for a in reversed(self.agreements) if a.status == "ready"), None)

    def terms(self) -> dict:
        return {
            "hours_per_week": self.hours_per_week,
            "start_date": self.start_date.isoformat(),
            "end_date": self.end_date.isoformat(),
            "place_of_work": self.place_of_work,
            "supervisor_name": self.supervisor_name,
            "supervisor_role": self.supervisor_role,
            "cost_recharge": self.cost_recharge,
            "cost_basis": self.cost_basis,
            "hourly_rate": None if self.hourly_rate is None else str(self.hourly_rate),
            "vat_code": self.vat_code,
            "vat_treatment": self.vat_treatment,
            "notes": self.notes,
        }


class Approval(ArrangementScoped, db.Model):
    """One party's decision on one version of the terms."""

    __tablename__ = "match_approvals"
    __table_args__ = (
        # A party decides once per version of the terms: a double click or a race is refused.
        UniqueConstraint("match_id", "terms_version", "party"),
        CheckConstraint(
            "party IN ('employee', 'counterpart', 'lending', 'borrowing')", name="party"
        ),
        CheckConstraint("decision IN ('approve', 'decline')", name="decision"),
        # "Has this party decided on these terms?" for all of an arrangement's open matches at
        # once (the start page's decisions): an index-only scan per party instead of reading
        # every approval of the arrangement.
        Index(
            "ix_match_approvals_party",
            "arrangement_id",
            "party",
            "decision",
            "match_id",
            "terms_version",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("matches.id", ondelete="CASCADE"), index=True)
    party: Mapped[str] = mapped_column(String(12))
    decision: Mapped[str] = mapped_column(String(10))
    by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    at: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str] = mapped_column(Text, default="")
    terms_version: Mapped[int] = mapped_column(default=1)

    match: Mapped[Match] = relationship(back_populates="approvals")
    by: Mapped[User | None] = relationship()


class Placement(ArrangementScoped, db.Model):
    """A seat of a job, taken by an agreed match.

    ``UNIQUE(job_id, slot)`` with ``1 <= slot <= places`` (the upper bound is checked by the
    operation that picks the slot) is what keeps concurrent final approvals from placing more
    people than the job has places: a database constraint holds on SQLite and PostgreSQL alike,
    where ``SELECT ... FOR UPDATE`` would be silently ignored by SQLite.
    """

    __tablename__ = "placements"
    __table_args__ = (
        UniqueConstraint("job_id", "slot"),
        CheckConstraint("slot >= 1", name="slot"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    slot: Mapped[int]
    match_id: Mapped[int] = mapped_column(ForeignKey("matches.id", ondelete="CASCADE"), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Agreement(ArrangementScoped, db.Model):
    """One version of the secondment agreement of a match, rendered by the worker.

    Status ``pending`` → ``rendering`` (claimed, with ``claimed_at``) → ``ready`` or ``failed``.
    A ``rendering`` claim older than the stale limit belongs to a worker that died: the sweeper
    hands it out again. ``terms`` is the snapshot of the agreed terms, so a re-render of an old
    version never picks up later changes.
    """

    __tablename__ = "agreements"
    __table_args__ = (
        UniqueConstraint("match_id", "version"),
        CheckConstraint("status IN ('pending', 'rendering', 'ready', 'failed')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("matches.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    terms_version: Mapped[int]
    terms: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    size: Mapped[int | None] = mapped_column(default=None)
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, default=None, deferred=True)
    error: Mapped[str | None] = mapped_column(String(300), default=None)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(default=None)
    rendered_at: Mapped[datetime | None] = mapped_column(default=None)

    match: Mapped[Match] = relationship(back_populates="agreements")

    @property
    def public_status(self) -> str:
        """CONTRACT.md knows pending, ready and failed; a claimed render is still pending."""
        return "pending" if self.status == "rendering" else self.status
