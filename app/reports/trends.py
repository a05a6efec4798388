"""Trends per calendar month (issue 14): placements, hours, fill rate and time to agreement.

Per month of the chosen period (for the arrangement, or the rows involving one organisation):

- *Placements*: placements with at least one day in the month (as in app.reports.figures).
- *Hours*: per placement the hours of the finance statement's rule (app.reports.finance):
  realised where the borrowing side confirmed them, else hours per week × working days / 5;
  placements inside one organisation count too. For one organisation: every placement it lends or
  borrows. Summed exactly, then rounded half up to one decimal as on the other report pages.
- *Fill rate*: of the places of the jobs posted in the month (drafts left out), the share that
  got a placement (app.reports.figures.fill_rate).
- *Time to agreement*: the median of the calendar days from job posted to agreement, for the
  placements agreed in the month (app.reports.figures.time_to_agreement).

Small groups: a month with fewer placements than the minimum group size (the organisation's
``report_min_group_size``; for the whole arrangement the largest of its organisations') shows
neither its placements nor its hours, and a median over fewer agreements than that size is not
shown: with two placements in a month, their hours would tell what two named people worked.
Fill rates are about jobs, not people, and always shown. Withheld figures are ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from app.reports import figures, finance
from app.reports.figures import rounded
from app.reports.period import Period


@dataclass
class MonthFigures:
    month: date
    placements: int | None
    hours: Decimal | None
    fill_rate: Decimal | None  # percent
    agreements: int
    median_days: Decimal | None


def build(period: Period, organisation_id: int | None, min_group_size: int) -> list[MonthFigures]:
    facts = figures.placement_facts(organisation_id)
    placements = finance.placements(organisation_id)
    months = finance.months_between(period.start, period.end)
    realised = finance.realised_hours([p.match_id for p in placements], months)
    out = []
    for month in months:
        span = Period(month, finance.month_end(month))
        running = [p for p in placements if p.days_in(month) is not None]
        hours = sum(
            (realised.get((p.match_id, month), p.agreed_hours(month)) for p in running),
            Decimal("0.00"),
        )
        fill = figures.fill_rate(span, organisation_id)
        durations = figures.time_to_agreement(facts, span)
        small = len(running) < min_group_size
        out.append(
            MonthFigures(
                month=month,
                placements=None if small else len(running),
                hours=None if small else hours.quantize(Decimal("0.1"), ROUND_HALF_UP),
                fill_rate=None if fill.rate is None else rounded(fill.rate * 100),
                agreements=durations.count,
                median_days=durations.median if durations.count >= min_group_size else None,
            )
        )
    return out
