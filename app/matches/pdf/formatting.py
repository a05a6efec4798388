"""Dutch dates, times, amounts and numbers for the agreement, through Babel.

The agreement is a Dutch document whatever the reader's language, so the locale is fixed
(`nl_NL`). Times are stored in UTC (naive datetimes from the database are UTC) and printed in
the arrangement's time zone, Europe/Amsterdam unless the context says otherwise: the approval
trail in the contract shows the same clock time as the match page.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal

from app.matches.flags import as_date, as_decimal

LOCALE = "nl_NL"
DEFAULT_TIMEZONE = "Europe/Amsterdam"
DATE_FORMAT = "d MMMM y"  # 1 maart 2026
DATETIME_FORMAT = "d MMMM y, HH:mm"  # 3 februari 2026, 14:05


@functools.lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def as_utc(value: Any) -> datetime | None:
    """An aware datetime from a datetime or ISO string; a naive one is taken as UTC."""
    if value is None or value == "":
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def date_nl(value: Any) -> str:
    """`2026-03-01` -> `1 maart 2026`."""
    day = as_date(value)
    return format_date(day, DATE_FORMAT, locale=LOCALE) if day else ""


def datetime_nl(value: Any, timezone: str | None = None) -> str:
    """`2026-02-03T13:05Z` -> `3 februari 2026, 14:05` (Europe/Amsterdam)."""
    moment = as_utc(value)
    if moment is None:
        return ""
    zone = _zone(timezone or DEFAULT_TIMEZONE)
    return format_datetime(moment, DATETIME_FORMAT, tzinfo=zone, locale=LOCALE)


def money_nl(value: Any) -> str:
    """`1234.5` -> `€ 1.234,50` (with a no-break space)."""
    return format_currency(as_decimal(value), "EUR", locale=LOCALE)


def number_nl(value: Any) -> str:
    """`16` -> `16`, `16.5` -> `16,5`."""
    return format_decimal(as_decimal(value).normalize(), locale=LOCALE)


@jinja2.pass_context
def _datetime_filter(context, value: Any) -> str:
    # The zone comes with the agreement context (`timezone`), so one cached Jinja environment
    # serves every arrangement.
    return datetime_nl(value, context.get("timezone"))


FILTERS = {"date_nl": date_nl, "datetime_nl": _datetime_filter, "money": money_nl, "num": number_nl}
