"""JSON API of reports (CONTRACT.md "Reports"): thin, over the same operations as the pages.

Coordinators get the arrangement (or one organisation with ``?organisation=``); HR gets the rows
involving its own organisation; line managers and employees get 403 and no figure.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask_smorest import Blueprint
from marshmallow import RAISE

from app.accounts.auth import api_auth
from app.reports import operations
from app.reports.finance import month_start
from app.reports.period import today
from app.reports.schemas import (
    FinanceStatementSchema,
    MonthArgs,
    ParticipationReportSchema,
    PeriodArgs,
    PlacementsReportSchema,
    TrendsSchema,
)
from app.reports.tables import as_number, department_key

blp = Blueprint("reports_api", __name__, url_prefix="/api/v1", description="Reports")
BEARER = [{"bearer": []}]


@blp.route("/reports/placements", methods=["GET"])
@blp.doc(security=BEARER)
@api_auth
@blp.arguments(PeriodArgs, location="query", unknown=RAISE, error_status_code=400)
@blp.response(200, PlacementsReportSchema)
@blp.alt_response(403, description="Not HR or a coordinator")
@blp.alt_response(404, description="No such organisation, or not the caller's own (HR)")
def placements(user, args):
    """Placements and hours from organisation to organisation, and each one's balance."""
    report = operations.placements_report(user, PeriodArgs.period(args), args["organisation"])
    slugs = {org_id: org.slug for org_id, org in report.names.items()}
    return {
        "period_from": report.period.start,
        "period_to": report.period.end,
        "items": [
            {
                "from_": slugs[cell.lending_id],
                "to": slugs[cell.borrowing_id],
                "placements": cell.placements,
                "hours": as_number(cell.hours),
            }
            for cell in report.matrix
        ],
        "balance": [
            {
                "organisation": slugs[row.organisation_id],
                "hours_lent": as_number(row.lent),
                "hours_borrowed": as_number(row.borrowed),
            }
            for row in report.balance
        ],
    }


@blp.route("/reports/participation", methods=["GET"])
@blp.doc(security=BEARER)
@api_auth
@blp.arguments(PeriodArgs, location="query", unknown=RAISE, error_status_code=400)
@blp.response(200, ParticipationReportSchema)
@blp.alt_response(403, description="Not HR or a coordinator")
@blp.alt_response(404, description="No such organisation, or not the caller's own (HR)")
def participation(user, args):
    """People who offered capacity and people who responded, per organisation and department;
    null where a figure is withheld to protect a small group."""
    report = operations.participation_report(user, PeriodArgs.period(args), args["organisation"])
    slugs = {o.id: o.slug for o in report.organisations}
    return {
        "period_from": report.period.start,
        "period_to": report.period.end,
        "items": [
            {
                "organisation": slugs[row.organisation_id],
                "department": department_key(report, row),
                "offers": row.offers,
                "applications": row.applications,
            }
            for row in report.rows
        ],
    }


@blp.route("/reports/finance", methods=["GET"])
@blp.doc(security=BEARER)
@api_auth
@blp.arguments(MonthArgs, location="query", unknown=RAISE, error_status_code=400)
@blp.response(200, FinanceStatementSchema)
@blp.alt_response(403, description="Not HR or a coordinator")
@blp.alt_response(404, description="No such organisation, or not the caller's own (HR)")
def finance(user, args):
    """The finance statement of one month: per lending → borrowing pair the placements, hours
    (realised where confirmed, else agreed), amount and VAT per agreement. HR gets the pairs
    involving its own organisation. Amounts are decimal strings (rounded per line to cents)."""
    if args.get("month"):
        month = date(int(args["month"][:4]), int(args["month"][5:]), 1)
    else:
        month = month_start(month_start(today()) - timedelta(days=1))
    statement, _organisation = operations.finance_statement(user, month, args["organisation"])
    slugs = {o.id: o.slug for o in operations.member_organisations()}
    return {
        "month": f"{month:%Y-%m}",
        "amount": statement.amount,
        "vat": statement.vat,
        "total": statement.total,
        "pairs": [
            {
                "lending": slugs[pair.lending_id],
                "borrowing": slugs[pair.borrowing_id],
                "hours": pair.hours,
                "amount": pair.amount,
                "vat": pair.vat,
                "total": pair.total,
                "lines": [
                    {
                        "match_id": line.placement.match_id,
                        "job_title": line.placement.job_title,
                        "employee_name": line.placement.employee_name,
                        "cost_basis": line.placement.cost_basis,
                        "hours": line.hours,
                        "hours_source": "realised" if line.realised else "agreed",
                        "rate": line.rate,
                        "amount": line.amount,
                        "vat_code": line.placement.vat_code,
                        "vat_reason": line.placement.vat_reason,
                        "vat": line.vat,
                        "total": line.total,
                    }
                    for line in pair.lines
                ],
            }
            for pair in statement.pairs
        ],
    }


@blp.route("/reports/trends", methods=["GET"])
@blp.doc(security=BEARER)
@api_auth
@blp.arguments(PeriodArgs, location="query", unknown=RAISE, error_status_code=400)
@blp.response(200, TrendsSchema)
@blp.alt_response(403, description="Not HR or a coordinator")
@blp.alt_response(404, description="No such organisation, or not the caller's own (HR)")
def trends(user, args):
    """Placements, hours, fill rate and median days to agreement per month; null where a
    figure is withheld to protect a small group."""
    period = PeriodArgs.period(args)
    months, _organisation, k = operations.trends_report(user, period, args["organisation"])
    return {
        "period_from": period.start,
        "period_to": period.end,
        "min_group_size": k,
        "items": [
            {
                "month": f"{m.month:%Y-%m}",
                "placements": m.placements,
                "hours": as_number(m.hours),
                "fill_rate": as_number(m.fill_rate),
                "median_days_to_agreement": as_number(m.median_days),
            }
            for m in months
        ],
    }
