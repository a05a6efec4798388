"""Realised hours (issue 14): the borrowing organisation confirms per calendar month the hours
the employee worked; the finance statement uses them instead of the agreed hours.

- Who confirms: the borrowing side — HR of the job's organisation or the job's line manager
  (``match.hours.confirm`` of :mod:`app.policy`), never the employee. Everyone who may see the
  match (the employee too) sees the months and the confirmed hours; others get 404.
- Which months: those of a placement (agreed, active, completed or ended) that have begun, within
  the period of the agreement in force. A confirmation can be corrected (the latest counts).
- Hours: 0 to 744 (31 × 24), two decimals; the form is prefilled with the agreed hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import select

from app import policy
from app.errors import Forbidden, InvalidInput, NotFound
from app.extensions import db
from app.matches import access
from app.matches.followup import RealisedHours
from app.matches.models import PLACED_STATUSES, Match
from app.reports import finance
from app.reports.period import today
from tenants.models import utcnow

MAX_HOURS = Decimal(744)


@dataclass
class MonthRow:
    month: date
    agreed: Decimal
    confirmed: RealisedHours | None

    @property
    def key(self) -> str:
        return self.month.strftime("%Y-%m")


def get_match(user, match_id: int) -> Match:
    match = access.visible_match(user, match_id)
    if match is None or match.status not in PLACED_STATUSES:
        raise NotFound(_("Niet gevonden."))
    return match


def months(match: Match, on: date | None = None) -> list[MonthRow]:
    """The months of the placement that have begun, newest first, with agreed and confirmed
    hours."""
    facts = finance.placements(match_ids=[match.id])
    if not facts:
        return []
    fact = facts[0]
    begun = finance.month_start(on or today())
    firsts = [m for m in finance.months_between(fact.start, fact.end) if m <= begun]
    confirmed = {
        row.month: row
        for row in db.session.scalars(
            select(RealisedHours).where(RealisedHours.match_id == match.id)
        )
    }
    return [MonthRow(m, fact.agreed_hours(m), confirmed.get(m)) for m in reversed(firsts)]


def parse_month(text: str | None) -> date | None:
    try:
        year, month = str(text or "").split("-")
        return date(int(year), int(month), 1)
    except (TypeError, ValueError):
        return None


def parse_hours(value) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    text = str(value).strip().replace(" ", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        hours = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    if not hours.is_finite() or abs(hours) > MAX_HOURS * 10:
        return None  # also keeps "1e400" from the quantize below (InvalidOperation)
    return hours.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def confirm(user, match: Match, month_text: str | None, hours_value) -> RealisedHours:
    """Record (or correct) the hours worked in one month; flushes, the caller commits."""
    if not policy.allowed(user, "match.hours.confirm", match):
        raise Forbidden(_("Alleen de inlenende organisatie bevestigt de gewerkte uren."))
    month = parse_month(month_text)
    allowed = {row.month: row for row in months(match)}
    if month is None or month not in allowed:
        raise InvalidInput(
            _("Controleer de uren."),
            {"month": [_("Kies een maand van de detachering die al begonnen is.")]},
        )
    hours = parse_hours(hours_value)
    if hours is None or not Decimal(0) <= hours <= MAX_HOURS:
        raise InvalidInput(
            _("Controleer de uren."),
            {"hours": [_("Vul een aantal uren in van 0 tot en met 744, bijvoorbeeld 52,5.")]},
        )
    row = allowed[month].confirmed
    if row is None:
        row = RealisedHours(match_id=match.id, month=month, hours=hours)
        db.session.add(row)
    row.hours = hours
    row.confirmed_by_id = user.id
    row.confirmed_at = utcnow()
    db.session.flush()
    return row
