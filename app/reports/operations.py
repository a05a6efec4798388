"""The use cases of reports: who may see which figures, and the one setting (the external
hourly rate). Views and the API call these; the figures themselves live in
:mod:`app.reports.figures` and :mod:`app.reports.participation`.

Who sees what (the rows ``reports.*`` of :mod:`app.policy`):

- coordinators: the whole arrangement, or one organisation of it (``organisation`` slug);
- HR: its own organisation only (another organisation's slug is a 404, as if it did not exist);
- line managers and employees: nothing (403: they know that reports exist, they get no figure).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from app import policy
from app.errors import InvalidInput, NotFound
from app.extensions import db
from app.reports import figures, finance, participation, trends
from app.reports.period import Period
from tenants.models import Arrangement, Department, Organisation

MAX_RATE = Decimal("10000")


def organisation_scope(user, slug: str | None) -> Organisation | None:
    """The organisation a report is about: None for a coordinator's whole arrangement."""
    policy.require(user, "reports.view")
    if slug:
        organisation = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
        if organisation is None:
            raise NotFound()
        policy.require(user, "reports.organisation", organisation)
        return organisation
    if user.is_coordinator:
        return None
    return db.session.get(Organisation, user.organisation_id)


def member_organisations() -> list[Organisation]:
    """The member organisations of the current arrangement, by name."""
    return list(db.session.scalars(select(Organisation).order_by(Organisation.name)))


def arrangement_of(user) -> Arrangement:
    return db.session.get(Arrangement, user.arrangement_id)


def placements_report(
    user, period: Period, slug: str | None = None, on: date | None = None
) -> figures.Report:
    organisation = organisation_scope(user, slug)
    rate = arrangement_of(user).external_hourly_rate
    return figures.build(user, period, organisation, rate, on)


@dataclass
class ParticipationReport:
    period: Period
    organisation: Organisation | None
    organisations: list[Organisation]
    rows: list[participation.Row]
    departments: dict[int, object]


def participation_report(user, period: Period, slug: str | None = None) -> ParticipationReport:
    organisation = organisation_scope(user, slug)
    organisations = member_organisations() if organisation is None else [organisation]
    departments = {
        d.id: d
        for d in db.session.scalars(
            select(Department).where(Department.organisation_id.in_([o.id for o in organisations]))
        )
    }
    rows = participation.participation(period, organisations)
    # Groups in the order people read them: the organisation, its departments by name, then
    # the staff without a department.
    order = {o.id: i for i, o in enumerate(organisations)}
    rows.sort(
        key=lambda r: (
            order[r.organisation_id],
            not r.whole,
            r.department_id is None,
            departments[r.department_id].name.casefold() if r.department_id in departments else "",
        )
    )
    return ParticipationReport(period, organisation, organisations, rows, departments)


def set_external_rate(user, rate: Decimal | None) -> Arrangement:
    """The coordinator's rate for "external hiring avoided" (euros per hour, excl. VAT)."""
    arrangement = arrangement_of(user)
    policy.require(user, "reports.external_rate", arrangement)
    if rate is None or not (Decimal("0") <= rate <= MAX_RATE):
        raise InvalidInput.on("rate", _("Vul een bedrag in van 0 tot 10.000 euro per uur."))
    arrangement.external_hourly_rate = rate.quantize(Decimal("0.01"))
    db.session.flush()
    return arrangement


# --- finance (issue 14) --------------------------------------------------------------------------


def finance_statement(user, month: date, slug: str | None = None):
    """The statement of one month: every pair for a coordinator (or those of one organisation),
    the pairs involving its own organisation for HR."""
    organisation = organisation_scope(user, slug)
    names = {o.id: o.name for o in member_organisations()}
    org_id = organisation.id if organisation is not None else None
    return finance.build(month, org_id, names), organisation


def trends_report(user, period: Period, slug: str | None = None):
    organisation = organisation_scope(user, slug)
    if organisation is not None:
        k = organisation.report_min_group_size
    else:
        k = max((o.report_min_group_size for o in member_organisations()), default=5)
    org_id = organisation.id if organisation is not None else None
    return trends.build(period, org_id, k), organisation, k
