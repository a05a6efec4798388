"""The coordinator's figures: placements across organisations, balances, open jobs by age,
proposals waiting for someone, time from job posted to agreement, fill rate and the external
hiring avoided. HR gets the same figures restricted to its own organisation.

Definitions (also on the page, in plain Dutch):

- A *placement* is a match that was agreed: status agreed, active, completed or ended. Its
  hours per week and dates are those of the agreement in force (the latest agreement version's
  terms; a change of terms still waiting for approval does not count). An ended placement counts
  up to the day it was ended.
- *Hours of a placement in a period* = hours per week × (calendar days the placement and the
  period share, both ends included) / 7. Fractional: 10 shared days of 16 hours a week are
  22.9 hours. Sums are taken before rounding to one decimal.
- The matrix counts, per lending → borrowing organisation, the placements with at least one day
  in the period and their hours; placements inside one organisation are on the diagonal.
- *Balance*: hours lent minus hours borrowed, across organisations only (a placement inside one
  organisation is neither).
- Exchange types (app.matches.exchange): a *mentoring* counts as a placement without hours (no
  hours are transferred); a *functieruil* is two placements, one each way (the counterpart's
  is its return leg), with one agreement: its return leg is not counted again as agreed.
- *Time to agreement*: for placements agreed in the period, the calendar days from the day the
  job was posted to the day of agreement; median and 75th percentile by linear interpolation
  between the closest ranks (the "inclusive" method: with n values sorted, the q-th quantile is
  at position q × (n − 1)).
- *Fill rate*: of the places of the jobs posted in the period (drafts left out), the share that
  got a placement (at any time; at most the job's places).
- *Open jobs by age*: the jobs open today (not past their expiry date), by days since posting.
- *External hiring avoided*: the placement hours in the period, rounded as shown, × the
  arrangement's external hourly rate. For one organisation: the hours it borrowed (including
  placements inside it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from sqlalchemy import and_, case, func, or_, select

from app.extensions import db
from app.matches.models import PLACED_STATUSES, Match
from app.pool.models import Job
from app.reports.period import Period, today, utc_bounds, utc_start_of
from app.reports.placements import PlacementFact, placement_facts
from app.reports.waiting import Waiting, waiting_counts, waiting_proposals
from tenants.models import Organisation

#: Open jobs by days since posting: (first day, last day or None, key).
AGE_BUCKETS = ((0, 7, "0-7"), (8, 30, "8-30"), (31, 90, "31-90"), (91, None, "91+"))


# --- placements ----------------------------------------------------------------------------------


def hours_in(fact: PlacementFact, period: Period) -> Fraction:
    return Fraction(fact.hours_per_week * period.overlap_days(fact.start, fact.end), 7)


def rounded(value: Fraction | int, places: str = "0.1") -> Decimal:
    """Half up, as people round (Decimal quantize, not float's binary rounding)."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal(places), rounding=ROUND_HALF_UP)


@dataclass
class MatrixCell:
    lending_id: int
    borrowing_id: int
    placements: int = 0
    hours: Fraction = Fraction(0)


def matrix(facts: list[PlacementFact], period: Period) -> list[MatrixCell]:
    # Sums of hours × days (integers) first, sevenths once per cell: the same exact figure as
    # adding hours_in() fractions, without thousands of Fraction additions.
    cells: dict[tuple[int, int], MatrixCell] = {}
    hour_days: dict[tuple[int, int], int] = {}
    for fact in facts:
        days = period.overlap_days(fact.start, fact.end)
        if days == 0:
            continue
        key = (fact.lending_id, fact.borrowing_id)
        cell = cells.get(key)
        if cell is None:
            cell = cells[key] = MatrixCell(*key)
        cell.placements += 1
        hour_days[key] = hour_days.get(key, 0) + fact.hours_per_week * days
    for key, cell in cells.items():
        cell.hours = Fraction(hour_days[key], 7)
    return list(cells.values())


@dataclass
class BalanceRow:
    organisation_id: int
    lent: Fraction = Fraction(0)
    borrowed: Fraction = Fraction(0)

    @property
    def balance(self) -> Fraction:
        return self.lent - self.borrowed


def balance(facts: list[PlacementFact], period: Period, organisation_ids) -> list[BalanceRow]:
    rows = {org_id: BalanceRow(org_id) for org_id in organisation_ids}
    lent = dict.fromkeys(rows, 0)  # hours × days, in sevenths of an hour (see matrix)
    borrowed = dict.fromkeys(rows, 0)
    for fact in facts:
        if not fact.cross:
            continue
        hour_days = fact.hours_per_week * period.overlap_days(fact.start, fact.end)
        if fact.lending_id in rows:
            lent[fact.lending_id] += hour_days
        if fact.borrowing_id in rows:
            borrowed[fact.borrowing_id] += hour_days
    for org_id, row in rows.items():
        row.lent = Fraction(lent[org_id], 7)
        row.borrowed = Fraction(borrowed[org_id], 7)
    return list(rows.values())


def quantile(values: list[int], q: float) -> Decimal | None:
    """Linear interpolation between the closest ranks (position q × (n − 1))."""
    if not values:
        return None
    ordered = sorted(values)
    position = Fraction(q).limit_denominator(100) * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    exact = ordered[low] + (ordered[high] - ordered[low]) * (position - low)
    return rounded(Fraction(exact))


@dataclass
class Durations:
    count: int
    median: Decimal | None
    p75: Decimal | None


def time_to_agreement(facts: list[PlacementFact], period: Period) -> Durations:
    days = [
        (fact.agreed_on - fact.job_posted_on).days
        for fact in facts
        if period.contains(fact.agreed_on)
        and fact.job_posted_on is not None
        and not fact.return_leg
    ]
    return Durations(len(days), quantile(days, 0.5), quantile(days, 0.75))


# --- jobs ----------------------------------------------------------------------------------------


@dataclass
class FillRate:
    offered: int
    filled: int

    @property
    def rate(self) -> Fraction | None:
        return Fraction(self.filled, self.offered) if self.offered else None


def fill_rate(period: Period, organisation_id: int | None = None) -> FillRate:
    """One aggregate in the database: a five-year period of a large arrangement has jobs by the
    hundred thousand, too many to bring over."""
    since, until = utc_bounds(period)
    placed = (
        select(Match.job_id, func.count(Match.id).label("placed"))
        .where(Match.status.in_(PLACED_STATUSES))
        .group_by(Match.job_id)
        .subquery()
    )
    count = func.coalesce(placed.c.placed, 0)
    stmt = (
        select(
            func.coalesce(func.sum(Job.places), 0),
            func.coalesce(func.sum(case((count < Job.places, count), else_=Job.places)), 0),
        )
        .select_from(Job)
        .outerjoin(placed, placed.c.job_id == Job.id)
        .where(Job.status != "draft", Job.created_at >= since, Job.created_at < until)
    )
    if organisation_id is not None:
        stmt = stmt.where(Job.organisation_id == organisation_id)
    offered, filled = db.session.execute(stmt).one()
    return FillRate(int(offered), int(filled))


def open_jobs_by_age(organisation_id: int | None = None, on: date | None = None) -> dict[str, int]:
    """Open jobs per age group (days since posting, in the arrangement's calendar), counted by
    the database in one row: a group of ages is a range of posting moments, from the start of
    its oldest local day to the start of the day after its youngest (a job "posted" after today
    counts as age 0). A large arrangement has ~12,000 open jobs, once each a row and a date."""
    on = on or today()
    stmt = select(Job.created_at).where(
        Job.status == "open", or_(Job.expires_on.is_(None), Job.expires_on >= on)
    )
    if organisation_id is not None:
        stmt = stmt.where(Job.organisation_id == organisation_id)
    counts = []
    for first, last, _key in AGE_BUCKETS:
        conditions = []
        if last is not None:  # posted on or after the local day `on - last`
            conditions.append(Job.created_at >= utc_start_of(on - timedelta(days=last)))
        if first > 0:  # posted before the local day after `on - first`
            conditions.append(Job.created_at < utc_start_of(on - timedelta(days=first - 1)))
        counts.append(func.count(case((and_(*conditions), 1))) if conditions else func.count())
    row = db.session.execute(stmt.with_only_columns(*counts)).one()
    return {key: int(n) for (_first, _last, key), n in zip(AGE_BUCKETS, row, strict=True)}


# --- the whole report ----------------------------------------------------------------------------


@dataclass
class Report:
    period: Period
    organisation: Organisation | None  # None: the whole arrangement
    organisations: list[Organisation]  # those the report shows rows for, by name
    matrix: list[MatrixCell]
    balance: list[BalanceRow]
    open_jobs: dict[str, int]
    waiting: list[Waiting]
    durations: Durations
    fill: FillRate
    hours_total: Decimal
    external_rate: Decimal
    names: dict[int, Organisation] = field(default_factory=dict)

    @property
    def waiting_counts(self) -> dict[str, int]:
        return waiting_counts(self.waiting)

    @property
    def avoided(self) -> Decimal:
        return (self.hours_total * self.external_rate).quantize(Decimal("0.01"))


def build(
    user,
    period: Period,
    organisation: Organisation | None,
    external_rate: Decimal,
    on: date | None = None,
) -> Report:
    """Every figure for ``user`` over ``period``: the arrangement, or one organisation."""
    everyone = list(db.session.scalars(select(Organisation).order_by(Organisation.name)))
    org_id = organisation.id if organisation is not None else None
    facts = placement_facts(org_id)
    cells = matrix(facts, period)
    if org_id is None:
        avoided_hours = sum((c.hours for c in cells), Fraction(0))
    else:
        avoided_hours = sum((c.hours for c in cells if c.borrowing_id == org_id), Fraction(0))
    shown = everyone if organisation is None else [organisation]
    names = {o.id: o.name for o in everyone}
    return Report(
        period=period,
        organisation=organisation,
        organisations=shown,
        matrix=sorted(
            cells, key=lambda c: (names.get(c.lending_id, ""), names.get(c.borrowing_id, ""))
        ),
        balance=balance(facts, period, [o.id for o in shown]),
        open_jobs=open_jobs_by_age(org_id, on),
        waiting=waiting_proposals(user, org_id),
        durations=time_to_agreement(facts, period),
        fill=fill_rate(period, org_id),
        hours_total=rounded(avoided_hours),
        external_rate=Decimal(external_rate),
        names={o.id: o for o in everyone},
    )


def running_placements(facts: list[PlacementFact], on: date) -> int:
    return sum(1 for fact in facts if fact.start <= on <= fact.end)


def agreed_between(facts: list[PlacementFact], period: Period) -> int:
    return sum(1 for fact in facts if period.contains(fact.agreed_on) and not fact.return_leg)
