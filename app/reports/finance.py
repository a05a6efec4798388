"""The finance statement (issue 14): what one organisation owes another for one calendar month.

Rules (also stated on the page and in docs/finance.md):

- A *line* is a placement across organisations (an agreed match: status agreed, active,
  completed or ended; lending ≠ borrowing) with at least one calendar day in the month. Its
  terms are those of the agreement in force (the latest agreement version's snapshot; a change
  of terms still waiting for approval does not count). An ended placement counts up to the day
  it was ended. A placement inside one organisation owes nothing and is left out.
- The *borrowing* organisation owes the *lending* one. Lines are grouped per pair
  (lending → borrowing).
- *Agreed hours in a month* = hours per week × the working days (Monday to Friday; public
  holidays are not taken off) the placement has in that month / 5, rounded half up to two
  decimals. A placement starting or ending mid-month counts only its own working days.
- *Hours on the line*: the hours the borrowing organisation confirmed for that month
  (:class:`app.matches.followup.RealisedHours`) where confirmed, else the agreed hours.
- *Amount* = hours × the amount per hour of the cost basis, rounded half up to cents per line:
  ``employer_costs`` (werkgeverslasten, the amount per hour HR filled in), ``hourly_rate`` (a
  fixed rate) or ``none`` (0, the line is still listed: the coordinator sees every placement).
- *VAT* per line: ``vat_21`` → 21 % of the amount, rounded half up to cents; ``exempt_cost_sharing``
  (cost-sharing at actual cost by a key agreed beforehand) and ``no_fee`` → 0. Totals per pair
  and overall are sums of the rounded lines (what an invoice with these lines adds up to).
- Agreement snapshots from before issue 14 have no cost basis or VAT code: ``cost_recharge``
  hourly → ``hourly_rate`` with ``vat_21`` (in principle taxed), none → ``none`` with ``no_fee``.

Money is :class:`~decimal.Decimal` throughout; hours of a placement are computed exactly
(:class:`~fractions.Fraction`) before the one rounding per line.

Personal data: a line names the job and the employee, as the agreement between the same two
parties does; nothing else about the person.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from sqlalchemy import or_, select

from app.accounts.models import User
from app.extensions import db
from app.matches.followup import RealisedHours
from app.matches.models import PLACED_STATUSES, Match
from app.pool.models import Job
from app.reports.period import local_date
from app.reports.placements import iso_day, terms_in_force

CENT = Decimal("0.01")
VAT_RATES = {"vat_21": Decimal("0.21"), "exempt_cost_sharing": Decimal(0), "no_fee": Decimal(0)}


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def next_month(day: date) -> date:
    return month_end(day) + timedelta(days=1)


def months_between(first: date, last: date) -> list[date]:
    """The first days of the months from ``first``'s to ``last``'s, both included."""
    out, month = [], month_start(first)
    while month <= last:
        out.append(month)
        month = next_month(month)
    return out


def working_days(first: date, last: date) -> int:
    """Monday to Friday in ``[first, last]`` (0 when the range is empty)."""
    if last < first:
        return 0
    days = (last - first).days + 1
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for offset in range(rest):
        if (first + timedelta(days=weeks * 7 + offset)).weekday() < 5:
            count += 1
    return count


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def as_hours(value: Fraction) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Placement:
    """A placement's terms in force, as the statement needs them."""

    match_id: int
    lending_id: int
    borrowing_id: int
    job_title: str
    employee_name: str
    hours_per_week: int
    start: date
    end: date  # the last day it counts
    cost_basis: str
    rate: Decimal  # euros per hour (0 for no charge)
    vat_code: str
    vat_reason: str

    def days_in(self, month: date) -> tuple[date, date] | None:
        first, last = max(self.start, month_start(month)), min(self.end, month_end(month))
        return (first, last) if first <= last else None

    def agreed_hours(self, month: date) -> Decimal:
        """Hours per week × working days in the month within the period / 5, to cents."""
        days = self.days_in(month)
        if days is None:
            return Decimal("0.00")
        return as_hours(Fraction(self.hours_per_week * working_days(*days), 5))


@dataclass(frozen=True)
class Line:
    placement: Placement
    month: date
    agreed_hours: Decimal
    realised_hours: Decimal | None  # None: not confirmed

    @property
    def hours(self) -> Decimal:
        return self.agreed_hours if self.realised_hours is None else self.realised_hours

    @property
    def realised(self) -> bool:
        return self.realised_hours is not None

    @property
    def rate(self) -> Decimal:
        return self.placement.rate if self.placement.cost_basis != "none" else Decimal("0.00")

    @property
    def amount(self) -> Decimal:
        return cents(self.hours * self.rate)

    @property
    def vat(self) -> Decimal:
        return cents(self.amount * VAT_RATES[self.placement.vat_code])

    @property
    def total(self) -> Decimal:
        return self.amount + self.vat


@dataclass
class Pair:
    lending_id: int
    borrowing_id: int
    lines: list[Line] = field(default_factory=list)

    @property
    def hours(self) -> Decimal:
        return sum((line.hours for line in self.lines), Decimal("0.00"))

    @property
    def amount(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    @property
    def vat(self) -> Decimal:
        return sum((line.vat for line in self.lines), Decimal("0.00"))

    @property
    def total(self) -> Decimal:
        return self.amount + self.vat


def statement_pairs(
    placements: list[Placement], month: date, realised: dict[tuple[int, date], Decimal]
) -> list[Pair]:
    """The lines of ``month`` grouped per (lending, borrowing); pure, for the hand-computed test.
    ``realised`` maps (match id, first day of month) → confirmed hours."""
    month = month_start(month)
    pairs: dict[tuple[int, int], Pair] = {}
    for placement in placements:
        if placement.lending_id == placement.borrowing_id or placement.days_in(month) is None:
            continue
        key = (placement.lending_id, placement.borrowing_id)
        pair = pairs.setdefault(key, Pair(*key))
        pair.lines.append(
            Line(
                placement,
                month,
                placement.agreed_hours(month),
                realised.get((placement.match_id, month)),
            )
        )
    return list(pairs.values())


def _basis_of(terms: dict, match: Match) -> tuple[str, str]:
    recharge = terms.get("cost_recharge", match.cost_recharge)
    basis = terms.get("cost_basis") or ("hourly_rate" if recharge == "hourly" else "none")
    vat = terms.get("vat_code") or ("vat_21" if basis != "none" else "no_fee")
    return basis, vat


def placements(organisation_id: int | None = None, match_ids=None) -> list[Placement]:
    """The placements of the current arrangement with their terms in force (involving one
    organisation, if given)."""
    stmt = (
        select(Match, Job.title, User.name)
        .join(Job, Job.id == Match.job_id)
        .join(User, User.id == Match.employee_id)
        .where(Match.status.in_(PLACED_STATUSES))
        .order_by(Match.id)
    )
    if organisation_id is not None:
        stmt = stmt.where(
            or_(
                Match.lending_organisation_id == organisation_id,
                Match.borrowing_organisation_id == organisation_id,
            )
        )
    if match_ids is not None:
        stmt = stmt.where(Match.id.in_(match_ids))
    rows = db.session.execute(stmt).all()
    in_force = terms_in_force([match.id for match, _title, _name in rows], keys=None)
    out = []
    for match, title, name in rows:
        terms = in_force.get(match.id) or {}
        start = iso_day(terms.get("start_date")) or match.start_date
        end = iso_day(terms.get("end_date")) or match.end_date
        if match.status == "ended" and match.ended_at is not None:
            end = min(end, local_date(match.ended_at))
        basis, vat = _basis_of(terms, match)
        rate = terms.get("hourly_rate") if terms else match.hourly_rate
        out.append(
            Placement(
                match_id=match.id,
                lending_id=match.lending_organisation_id,
                borrowing_id=match.borrowing_organisation_id,
                job_title=title,
                employee_name=name,
                hours_per_week=int(terms.get("hours_per_week") or match.hours_per_week),
                start=start,
                end=end,
                cost_basis=basis,
                rate=Decimal(str(rate)).quantize(CENT)
                if rate not in (None, "") and basis != "none"
                else Decimal("0.00"),
                vat_code=vat,
                vat_reason=str(terms.get("vat_treatment") or ""),
            )
        )
    return out


def realised_hours(match_ids: list[int], months: list[date]) -> dict[tuple[int, date], Decimal]:
    if not match_ids or not months:
        return {}
    rows = db.session.execute(
        select(RealisedHours.match_id, RealisedHours.month, RealisedHours.hours).where(
            RealisedHours.match_id.in_(match_ids), RealisedHours.month.in_(months)
        )
    )
    return {(match_id, month): Decimal(hours) for match_id, month, hours in rows}


@dataclass
class Statement:
    month: date
    pairs: list[Pair]
    names: dict[int, str]

    @property
    def lines(self) -> list[Line]:
        return [line for pair in self.pairs for line in pair.lines]

    @property
    def amount(self) -> Decimal:
        return sum((p.amount for p in self.pairs), Decimal("0.00"))

    @property
    def vat(self) -> Decimal:
        return sum((p.vat for p in self.pairs), Decimal("0.00"))

    @property
    def total(self) -> Decimal:
        return self.amount + self.vat


def build(month: date, organisation_id: int | None, names: dict[int, str]) -> Statement:
    month = month_start(month)
    facts = placements(organisation_id)
    realised = realised_hours([f.match_id for f in facts], [month])
    pairs = statement_pairs(facts, month, realised)
    pairs.sort(key=lambda p: (names.get(p.lending_id, ""), names.get(p.borrowing_id, "")))
    for pair in pairs:
        pair.lines.sort(key=lambda line: (line.placement.job_title, line.placement.match_id))
    return Statement(month, pairs, names)
