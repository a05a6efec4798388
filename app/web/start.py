"""The start page: what needs this person now.

Each block is one indexed query with a LIMIT over the same privacy clauses the lists use
(``app.policy``; the decisions waiting from ``app.matches.access``), so a block never shows or
counts a row its list would hide, and the page sends the same number of statements whatever
the amount of data (issue 13; p95 goal in issue 15):

- decisions waiting: matches on which this person can decide now — as the employee, for the
  lending side, for the borrowing side (``access.decision_waiting_clause``; a line manager
  meets a proposal about their own staff only after the employee approved it);
- new responses to the jobs this person posts (the posting side);
- their jobs that expire within the reminder window;
- proposals that wait long for the organisations (HR of either side, coordinators), counted
  from the employee's consent: the moment the organisations learned of it;
- their own capacity offer that ends soon.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, not_, or_, select

from app import policy
from app.accounts.models import User
from app.dates import day
from app.extensions import db
from app.matches import access
from app.matches.models import Match
from app.pool.jobs import operations as jobs
from app.pool.models import Application, CapacityOffer, Job
from app.pool.tasks import REMIND_DAYS
from tenants.models import utcnow

#: Rows shown per block; one more is fetched to know that there are more.
LIMIT = 5
#: A proposal the organisations have known of this long (days) "waits long".
WAITING_LONG_DAYS = 7
#: An own offer ending within this many days is mentioned.
OFFER_ENDING_DAYS = 14


@dataclass
class Entry:
    label: str
    url: str
    detail: str = ""


@dataclass
class Block:
    key: str
    title: object
    entries: list[Entry] = field(default_factory=list)
    more: bool = False
    more_url: str | None = None

    @property
    def count(self) -> str:
        """The number shown next to the title: exact up to LIMIT, then "LIMIT+"."""
        return f"{len(self.entries)}+" if self.more else str(len(self.entries))


def _block(key, title, rows, make, more_url=None) -> Block | None:
    if not rows:
        return None
    return Block(
        key,
        title,
        [make(row) for row in rows[:LIMIT]],
        more=len(rows) > LIMIT,
        more_url=more_url,
    )


def _decisions(user) -> Block | None:

    rows = db.session.execute(
        select(Match.id, Match.employee_id, Job.title, User.name)
        .join(Job, Job.id == Match.job_id)
        .join(User, User.id == Match.employee_id)
        .where(access.decision_waiting_clause(user))
        .order_by(Match.id)
        .limit(LIMIT + 1)
    ).all()

    def entry(row) -> Entry:
        url = url_for("matches.detail", match_id=row.id)
        if row.employee_id == user.id:
            return Entry(_("Voorstel voor jou: %(job)s", job=row.title), url)
        return Entry(_("%(name)s voor %(job)s", name=row.name, job=row.title), url)

    return _block(
        "decisions",
        _l("Jouw besluit is nodig"),
        rows,
        entry,
        url_for("matches.index"),
    )


def _new_responses(user) -> Block | None:

    if not policy.may_post(user):
        return None
    rows = db.session.execute(
        select(Application.id, Job.title, User.name)
        .join(Job, Job.id == Application.job_id)
        .join(User, User.id == Application.user_id)
        .where(
            policy.applications_visible(user),
            Application.job_id.in_(select(Job.id).where(policy.jobs_managed(user))),
            Application.status == "submitted",
            Application.user_id != user.id,
        )
        .order_by(Application.id.desc())
        .limit(LIMIT + 1)
    ).all()
    return _block(
        "responses",
        _l("Nieuwe reacties op je klussen"),
        rows,
        lambda row: Entry(
            _("%(name)s reageerde op %(job)s", name=row.name, job=row.title),
            url_for("pool.application_detail", application_id=row.id),
        ),
        url_for("pool.applications_list"),
    )


def _expiring_jobs(user) -> Block | None:

    if not policy.may_post(user):
        return None
    today = jobs.today()
    rows = db.session.execute(
        select(Job.id, Job.title, Job.expires_on)
        .where(
            policy.jobs_managed(user),
            Job.status == "open",
            Job.expires_on >= today,
            Job.expires_on <= today + timedelta(days=REMIND_DAYS),
        )
        .order_by(Job.expires_on, Job.id)
        .limit(LIMIT + 1)
    ).all()
    return _block(
        "expiring",
        _l("Klussen die bijna verlopen"),
        rows,
        lambda row: Entry(
            row.title,
            url_for("pool.job_renew", job_id=row.id),
            _("verloopt %(day)s", day=day(row.expires_on)),
        ),
        url_for("pool.my_jobs_list"),
    )


def _waiting_long(user) -> Block | None:

    if not (user.is_hr or user.is_coordinator):
        return None
    cutoff = utcnow() - timedelta(days=WAITING_LONG_DAYS)
    conditions = [
        policy.matches_visible(user),
        Match.status == "proposed",
        Match.employee_consented_at.is_not(None),
        Match.employee_consented_at <= cutoff,
        # Those waiting for this person's own decision are in the first block already.
        not_(access.decision_waiting_clause(user)),
    ]
    if not user.is_coordinator:
        conditions.append(
            or_(
                Match.lending_organisation_id == user.organisation_id,
                Match.borrowing_organisation_id == user.organisation_id,
            )
        )
    rows = db.session.execute(
        select(Match.id, Match.employee_consented_at, Job.title, User.name)
        .join(Job, Job.id == Match.job_id)
        .join(User, User.id == Match.employee_id)
        .where(and_(*conditions))
        .order_by(Match.employee_consented_at, Match.id)
        .limit(LIMIT + 1)
    ).all()
    return _block(
        "waiting",
        _l("Voorstellen die lang wachten"),
        rows,
        lambda row: Entry(
            _("%(name)s voor %(job)s", name=row.name, job=row.title),
            url_for("matches.detail", match_id=row.id),
            _("medewerker akkoord sinds %(day)s", day=day(row.employee_consented_at)),
        ),
        url_for("matches.index", status="proposed"),
    )


def _offer_ending(user) -> Block | None:

    today = jobs.today()
    rows = db.session.execute(
        select(CapacityOffer.id, CapacityOffer.hours_per_week, CapacityOffer.available_until)
        .where(
            policy.offers_visible(user),
            CapacityOffer.user_id == user.id,
            CapacityOffer.status == "open",
            CapacityOffer.available_until >= today,
            CapacityOffer.available_until <= today + timedelta(days=OFFER_ENDING_DAYS),
        )
        .order_by(CapacityOffer.available_until, CapacityOffer.id)
        .limit(LIMIT + 1)
    ).all()
    return _block(
        "offer",
        _l("Je aanbod loopt bijna af"),
        rows,
        lambda row: Entry(
            _("%(hours)s uur per week", hours=row.hours_per_week),
            url_for("pool.offer_detail", offer_id=row.id),
            _("tot en met %(day)s", day=day(row.available_until)),
        ),
        url_for("pool.my_offers"),
    )


def needs_me_now(user) -> list[Block]:
    """The blocks with something in them, most pressing first."""
    blocks = (
        _decisions(user),
        _new_responses(user),
        _expiring_jobs(user),
        _waiting_long(user),
        _offer_ending(user),
    )
    return [block for block in blocks if block is not None]
