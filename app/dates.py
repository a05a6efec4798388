"""Dates and times as people read them: one place, one time zone, one style per context.

Rule: the database keeps naive UTC (``tenants.models.utcnow``); whatever a person reads — a page,
a notification, an e-mail, an export — is in the deployment's time zone (``TIMEZONE``,
``BABEL_DEFAULT_TIMEZONE``, Europe/Amsterdam by default) and formatted by Babel in the reader's
language. Reason: a contract, a page and an e-mail that disagree by an hour (UTC against CET)
make people doubt all three, and a raw ``2026-12-02T17:09:17`` is no date for a person.

"Today" is the local date too: an offer ending today is still current in Amsterdam at 00:30,
when it is yesterday in UTC.

Styles (one per context, so every page writes the same date the same way):

- ``page`` (pages, notifications, e-mails): ``9 dec 2026`` and ``9 dec 2026, 17:09``
  (English: ``Dec 9, 2026`` and ``Dec 9, 2026, 5:09 PM``);
- ``export`` (CSV/XLSX and data downloads, read by spreadsheets): ``2026-12-09`` and
  ``2026-12-09 17:09`` local time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel import dates as babel_dates
from flask import current_app, has_app_context
from flask_babel import format_date, format_datetime, format_timedelta, get_locale

DEFAULT_TIMEZONE = "Europe/Amsterdam"


def zone() -> ZoneInfo:
    """The deployment's time zone (``TIMEZONE``); Europe/Amsterdam outside an app."""
    name = DEFAULT_TIMEZONE
    if has_app_context():
        name = current_app.config.get("BABEL_DEFAULT_TIMEZONE") or DEFAULT_TIMEZONE
    return ZoneInfo(name)


def today() -> date:
    """The date it is now where the people are (not on the server's clock)."""
    return datetime.now(zone()).date()


def to_local(value: datetime) -> datetime:
    """A stored (naive UTC) or aware datetime as an aware local one."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(zone())


def day(value: date | datetime | None, context: str = "page") -> str:
    """A date for a person; a datetime is taken as its local date first."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value).date()
    if context == "export":
        return value.strftime("%Y-%m-%d")
    locale = get_locale()
    if locale is None:
        return format_date(value, "medium")
    return _medium_day(str(locale), value)


@lru_cache(maxsize=8192)
def _medium_day(locale: str, value: date) -> str:
    """Babel's medium date for a locale, kept: a job list writes fifty dates a page, most of
    them the same few, and formatting one took longer than the page's query (a date has no time
    zone, so the locale alone decides)."""
    return babel_dates.format_date(value, "medium", locale=locale)


def moment(value: datetime | None, context: str = "page") -> str:
    """A point in time for a person, in local time, to the minute."""
    if value is None:
        return ""
    if not isinstance(value, datetime):
        return day(value, context)
    if context == "export":
        return to_local(value).strftime("%Y-%m-%d %H:%M")
    return format_datetime(to_local(value), _page_pattern())


def _page_pattern() -> str:
    """The locale's medium date with its short time (CLDR's own joining pattern): seconds mean
    nothing to a reader. ``9 dec 2026, 17:09`` / ``Dec 9, 2026, 5:09 PM``."""
    locale = get_locale() or Locale.parse("nl")
    return (
        locale.datetime_formats["medium"]
        .replace("{1}", locale.date_formats["medium"].pattern)
        .replace("{0}", locale.time_formats["short"].pattern)
    )


def wait_text(seconds: int) -> str:
    """How long to wait, for a person: "45 seconden", "1 minuut", "2 uur" (Babel, rounded to
    the largest whole unit; at least a second)."""
    return format_timedelta(timedelta(seconds=max(int(seconds), 1)), threshold=1)
