"""Rows of the HR workspace: staff import batches and the record of erasures.

An :class:`ImportBatch` holds a parsed upload server-side between the preview and the
confirmation, so the confirmation applies what the server parsed and previewed, never a
client-side copy. It holds personal data (names, e-mail addresses) for a short time only: the rows
are cleared once the batch is applied or discarded, and the retention job deletes batches older
than :data:`app.workspace.retention.IMPORT_BATCH_HOURS`.

An :class:`Erasure` records that HR erased a leaver's personal data (who did it, when, what was
deleted, counts only) and :class:`KeptAgreement` marks each secondment agreement kept afterwards
as a legal document (see :mod:`app.workspace.data_rights`).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from tenants.models import ArrangementScoped, utcnow

IMPORT_STATUSES = ("uploaded", "mapped", "applied", "discarded")


class ImportBatch(ArrangementScoped, db.Model):
    """One uploaded CSV export of an HR system, from upload to confirmation."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    status: Mapped[str] = mapped_column(String(10), default="uploaded")
    # The CSV as parsed: the header row and the data rows (lists of strings).
    headers: Mapped[list] = mapped_column(JSON, default=list)
    rows: Mapped[list] = mapped_column(JSON, default=list)
    # field → header chosen on the mapping screen.
    mapping: Mapped[dict] = mapped_column(JSON, default=dict)
    # SHA-256 of the parsed upload: shown nowhere, it ties the batch to the bytes received.
    upload_sha256: Mapped[str] = mapped_column(String(64))
    # After applying: counts per outcome only (the rows are cleared).
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    applied_at: Mapped[datetime | None] = mapped_column(default=None)


class Erasure(ArrangementScoped, db.Model):
    """HR erased a leaver's personal data. Holds ids and counts, no personal data."""

    __tablename__ = "erasures"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    # The pseudonymised user row that remains (for the kept agreements' references).
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None, index=True
    )
    erased_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    erased_at: Mapped[datetime] = mapped_column(default=utcnow)
    counts: Mapped[dict] = mapped_column(JSON, default=dict)


class KeptAgreement(ArrangementScoped, db.Model):
    """A secondment agreement kept as a legal document after its employee's erasure."""

    __tablename__ = "kept_agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("agreements.id", ondelete="CASCADE"), unique=True
    )
    erasure_id: Mapped[int] = mapped_column(
        ForeignKey("erasures.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(String(40), default="legal_retention")
    # Until when the law asks us to keep it; the retention job deletes the match afterwards.
    keep_until: Mapped[date]
