"""JSON API of reports (CONTRACT.md "Reports"): thin, over the same operations as the pages.

Coordinators get the arrangement (or one organisation with ``?organisation=``); HR gets the rows
involving its own organisation; line managers and employees get 403 and no figure.
"""

from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import RAISE

from app.accounts.auth import api_auth
from app.reports import operations
from app.reports.schemas import (
    ParticipationReportSchema,
    PeriodArgs,
    PlacementsReportSchema,
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
