"""The period a report covers, and the dates of stored moments in the Dutch calendar.

A period is a closed range of calendar days ``[start, end]``; the default is the current year.
Stored moments (``created_at``, ``agreed_at``, ``ended_at``) are naive UTC; a report counts them
on the day they happened in the arrangement's time zone (``BABEL_DEFAULT_TIMEZONE``), so a job
posted at 00:30 on 1 January counts in the new year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_TIMEZONE = "Europe/Amsterdam"


def today() -> date:
    return date.today()


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @classmethod
    def year_of(cls, day: date) -> Period:
        return cls(date(day.year, 1, 1), date(day.year, 12, 31))

    @classmethod
    def around(cls, start: date | None, end: date | None, on: date | None = None) -> Period:
        """Fill what is left out: a lone start runs to the end of its year, a lone end from the
        start of its year; neither: the current year."""
        if start is None and end is None:
            return cls.year_of(on or today())
        if start is None:
            start = date(end.year, 1, 1)
        if end is None:
            end = date(start.year, 12, 31)
        return cls(start, end)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    def overlap_days(self, start: date, end: date) -> int:
        """Calendar days that ``[start, end]`` shares with the period (both ends included)."""
        first, last = max(start, self.start), min(end, self.end)
        return max(0, (last - first).days + 1)

    def query(self) -> dict[str, str]:
        """The period as the pages' query string (``?van=&tot=``)."""
        return {"van": self.start.isoformat(), "tot": self.end.isoformat()}


def _zone() -> ZoneInfo:
    name = DEFAULT_TIMEZONE
    if has_app_context():
        name = current_app.config.get("BABEL_DEFAULT_TIMEZONE") or DEFAULT_TIMEZONE
    return ZoneInfo(name)


def local_date(moment: datetime | None, zone: ZoneInfo | None = None) -> date | None:
    """The calendar day (in the arrangement's time zone) of a stored naive-UTC moment. A caller
    converting thousands of moments passes ``zone=local_zone()``, looked up once."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC).astimezone(zone or _zone()).date()


def local_day_of(zone: ZoneInfo | None = None):
    """A fast local_date for thousands of moments: the zone's offset is looked up once per UTC
    hour (offsets change on the hour, so the day is the same as local_date's)."""
    zone = zone or _zone()
    offsets: dict[tuple, timedelta] = {}

    def day(moment: datetime | None) -> date | None:
        if moment is None:
            return None
        key = (moment.year, moment.month, moment.day, moment.hour)
        offset = offsets.get(key)
        if offset is None:
            offset = offsets[key] = moment.replace(tzinfo=UTC).astimezone(zone).utcoffset()
        return (moment + offset).date()

    return day


def local_zone() -> ZoneInfo:
    """The arrangement's time zone (what local_date uses)."""
    return _zone()


def utc_start_of(day: date) -> datetime:
    """The naive-UTC moment a local calendar day begins (for SQL bounds on stored moments)."""
    local = datetime(day.year, day.month, day.day, tzinfo=_zone())
    return local.astimezone(UTC).replace(tzinfo=None)


def utc_bounds(period: Period) -> tuple[datetime, datetime]:
    """``[from, until)`` in naive UTC covering the period's local days."""
    return utc_start_of(period.start), utc_start_of(period.end + timedelta(days=1))
