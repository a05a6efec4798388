"""Saved searches with e-mail alerts (issue 14): the employee's own data, seen by nobody else.

A saved search keeps the job list's query string as it was (``q=notulen&skill=Excel``, any
filter key, so filters added later, such as a job type, work without a change here), a name and
how often to mail: daily or weekly. It belongs to one employee; every read and write below is
filtered on the owner (and the arrangement, by the scoping and row-level security).

**Alerts.** An hourly schedule records one outbox row per search that is due (ids and times only)
and moves the search's ``checked_at`` to now in the same transaction, so each new job is in at
most one alert of a search. The e-mail is composed at delivery from the jobs the owner may see
*then*, by the job list's own query (:func:`app.pool.search.search_jobs`, the same visibility
rule): never another organisation's organisation-only job. No new jobs, no e-mail.

**Unsubscribe.** Each alert carries a signed link (itsdangerous, its own salt) naming the search
and a per-search random key; it works without logging in and for that search only. The mail
has ``List-Unsubscribe`` and ``List-Unsubscribe-Post`` (RFC 8058 one-click) headers.
"""

from __future__ import annotations

import calendar
import hmac
import secrets
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from app.accounts.models import User
from app.errors import InvalidInput
from app.extensions import db
from app.outbox.mail import send_mail
from app.outbox.operations import record
from app.pool.jobs.forms import parse_filters
from app.pool.pool_emails import link
from app.pool.search import MAX_PER_PAGE, search_jobs
from app.transaction import commit
from tenants.context import set_arrangement, use_arrangement
from tenants.models import Arrangement, ArrangementScoped, utcnow

KIND = "pool.saved_search"
FREQUENCIES = {"daily": _l("Elke dag"), "weekly": _l("Elke week"), "never": _l("Geen e-mail")}
PERIOD = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}
#: A search is due a little before its full period, so an hourly schedule never slips a day.
SLACK = timedelta(minutes=50)
MAX_SEARCHES = 20
MAX_NAME = 120
MAX_QUERY = 1000
MAX_JOBS = 20
EVERY_SECONDS = 3600
_SALT = "deelkracht-saved-search-unsubscribe"


class SavedSearch(ArrangementScoped, db.Model):
    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(MAX_NAME))
    #: The job list's query string (every filter key), without the page.
    query: Mapped[str] = mapped_column(Text, default="")
    frequency: Mapped[str] = mapped_column(String(10), default="weekly")
    #: Jobs posted after this are new for the next alert.
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)
    unsubscribe_key: Mapped[str] = mapped_column(String(32), default=lambda: secrets.token_hex(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def args(self) -> dict[str, str]:
        return dict(parse_qsl(self.query, keep_blank_values=False))


class SavedSearchError(InvalidInput, ValueError):
    """A search that cannot be saved; the message says why, in Dutch."""


# --- the owner's operations --------------------------------------------------------------------


def clean_query(args) -> str:
    """The list's filters as a query string: non-empty values, no page, bounded."""
    pairs = [
        (key, value.strip())
        for key, value in (args.items(multi=True) if hasattr(args, "items") else args)
        if key not in ("page", "csrf_token", "name", "frequency") and value and value.strip()
    ]
    return urlencode(sorted(pairs))[:MAX_QUERY]


def of(user) -> list[SavedSearch]:
    """The user's own saved searches, oldest first."""
    return list(
        db.session.scalars(
            select(SavedSearch).where(SavedSearch.user_id == user.id).order_by(SavedSearch.id)
        )
    )


def get_own(user, search_id: int) -> SavedSearch | None:
    """One of the user's own searches; None for anyone else's (the caller answers 404)."""
    return db.session.scalar(
        select(SavedSearch).where(SavedSearch.id == search_id, SavedSearch.user_id == user.id)
    )


def save(user, *, name: str, query: str, frequency: str) -> SavedSearch:

    name = " ".join((name or "").split())
    if frequency not in FREQUENCIES:
        raise SavedSearchError(_("Kies elke dag, elke week of geen e-mail."))
    if len(name) > MAX_NAME:
        raise SavedSearchError(_("Hoogstens %(n)d tekens.", n=MAX_NAME))
    if not query:
        raise SavedSearchError(_("Zoek eerst op woorden of met filters."))
    problem = query_problem(query)
    if problem:
        raise SavedSearchError(problem)
    if len(of(user)) >= MAX_SEARCHES:
        raise SavedSearchError(_("Je kunt hoogstens %(n)d zoekopdrachten bewaren.", n=MAX_SEARCHES))
    search = SavedSearch(
        user_id=user.id,
        name=name or describe(query),
        query=query,
        frequency=frequency,
        checked_at=utcnow(),
    )
    db.session.add(search)
    db.session.flush()
    return search


def query_problem(query: str) -> str | None:
    """Why this query finds nothing as an alert (a filter value the job list refuses), or
    None. Such a search is refused when saved; one saved before a rule became stricter is
    marked on the page, since its alerts stay empty (new_jobs_for)."""
    errors = parse_filters(dict(parse_qsl(query, keep_blank_values=False))).errors
    if not errors:
        return None
    return _(
        "Deze zoekopdracht heeft een fout: %(message)s Pas hem aan op de pagina Klussen.",
        message=next(iter(errors.values())),
    )


def describe(query: str) -> str:
    """A default name: the words and filter values of the query."""
    values = [value for _, value in parse_qsl(query)]
    return " · ".join(values)[:MAX_NAME] or "Zoekopdracht"


def set_frequency(search: SavedSearch, frequency: str) -> None:

    if frequency not in FREQUENCIES:
        raise SavedSearchError(_("Kies elke dag, elke week of geen e-mail."))
    if search.frequency == "never" and frequency in PERIOD:
        search.checked_at = utcnow()  # alerts start from now, not from the last one
    search.frequency = frequency
    db.session.flush()


def unsubscribe(search: SavedSearch) -> None:
    """No more e-mail for this search; the search itself stays on the owner's page."""
    search.frequency = "never"
    db.session.flush()


def delete(search: SavedSearch) -> None:
    db.session.delete(search)
    db.session.flush()


# --- unsubscribe links -------------------------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def unsubscribe_token(search: SavedSearch) -> str:
    return _serializer().dumps(
        {"a": search.arrangement_id, "s": search.id, "k": search.unsubscribe_key}
    )


def from_unsubscribe_token(token: str) -> SavedSearch | None:
    """The search a valid link is for (and enters its arrangement), else None."""

    try:
        data = _serializer().loads(token)
        arrangement_id, search_id, key = int(data["a"]), int(data["s"]), str(data["k"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    set_arrangement(arrangement_id)
    search = db.session.get(SavedSearch, search_id)
    if search is None or not hmac.compare_digest(search.unsubscribe_key, key):
        set_arrangement(None)
        return None
    return search


# --- alerts ------------------------------------------------------------------------------------


def epoch(moment: datetime) -> int:
    """Seconds since 1970 of a naive UTC time (outbox refs hold numbers, not dates)."""
    return calendar.timegm(moment.utctimetuple())


def from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)


def new_jobs_for(search: SavedSearch, user, since: datetime, until: datetime) -> list:
    """Open jobs ``user`` may see now that match the search and were published in
    [since, until): the job list's own query and visibility rule with the publication period
    as one more filter (so a new job is found however many older ones match, and a draft counts
    from the day it opened: every text match is ranked, not only the newest ids), newest first,
    at most MAX_JOBS."""

    query = parse_filters(search.args)
    if query.errors:
        return []
    query.filters.status = "open"
    query.filters.published_from, query.filters.published_until = since, until
    result = search_jobs(
        user, query.q, query.filters, 1, MAX_PER_PAGE, exact_total=True, every_match=True
    )
    rows = sorted(result.items, key=lambda row: row.id, reverse=True)
    return rows[:MAX_JOBS]


def record_due_alerts(now: datetime | None = None) -> int:
    """Record an alert for every due search in every arrangement (one transaction)."""

    now = now or utcnow()
    recorded = 0
    session = db.session()
    arrangement_ids = session.scalars(select(Arrangement.id).order_by(Arrangement.id)).all()
    for arrangement_id in arrangement_ids:
        with use_arrangement(arrangement_id):
            searches = db.session.scalars(
                select(SavedSearch)
                .join(User, User.id == SavedSearch.user_id)
                .where(User.active.is_(True))
                .order_by(SavedSearch.id)
            ).all()
            for search in searches:
                if search.frequency not in PERIOD:
                    continue  # no e-mail chosen (or unsubscribed)
                if search.checked_at > now - PERIOD[search.frequency] + SLACK:
                    continue
                record(
                    KIND,
                    recipient_id=search.user_id,
                    saved_search_id=search.id,
                    since=epoch(search.checked_at),
                    until=epoch(now),
                )
                search.checked_at = now
                recorded += 1
            db.session.flush()
    commit()
    return recorded


def saved_search_alerts() -> int:
    """The schedule ``pool.saved_search_alerts`` (app.pool.tasks)."""
    return record_due_alerts()


def alert_email(message) -> bool:
    """The alert of one saved search, composed now from the jobs its owner may see now."""

    search = db.session.get(SavedSearch, message.refs.get("saved_search_id"))
    user = db.session.get(User, message.recipient_id)
    if search is None or user is None or not user.active or search.user_id != user.id:
        return False
    since, until = from_epoch(message.refs["since"]), from_epoch(message.refs["until"])
    found = new_jobs_for(search, user, since, until + timedelta(seconds=1))
    if not found:
        return False  # nothing new: no e-mail
    unsubscribe = link("pool.saved_search_unsubscribe", token=unsubscribe_token(search))
    list_url = link("pool.jobs_list")
    send_mail(
        user.email,
        "pool_saved_search",
        locale=user.locale,
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        user=user,
        search=search,
        jobs=[(row, link("pool.job_detail", job_id=row.id)) for row in found],
        search_link=f"{list_url}?{search.query}" if search.query else list_url,
        unsubscribe_link=unsubscribe,
        manage_link=link("pool.saved_searches"),
    )
    return True


#: The outbox kinds this module sends (registered by the pool's ``init_app``).
HANDLERS = {KIND: alert_email}
