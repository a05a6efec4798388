"""Side effects recorded in the same transaction as the change that causes them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from tenants.models import ArrangementScoped, utcnow


class OutboxMessage(ArrangementScoped, db.Model):
    """One e-mail (or other side effect) waiting for delivery.

    ``refs`` holds ids only: the worker reloads and re-checks everything it renders, so the row
    (and any job payload) carries no names, addresses or texts.
    """

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(60))  # e.g. "accounts.password_reset"
    recipient_id: Mapped[int | None] = mapped_column(default=None, index=True)
    refs: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    available_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(default=None)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str | None] = mapped_column(String(300), default=None)
