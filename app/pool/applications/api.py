"""API: responses to jobs (CONTRACT.md). Thin: parse, call one operation, serialise."""

from __future__ import annotations

from app import policy
from app.accounts.auth import api_auth
from app.pagination import api_page
from app.pool.api import blp
from app.pool.applications import operations as applications
from app.pool.applications.schemas import (
    ApplicationCreateSchema,
    ApplicationDecisionSchema,
    ApplicationListArgs,
    ApplicationPageSchema,
    ApplicationSchema,
)
from app.transaction import commit

BEARER = [{"bearer": []}]


def _may_respond(user, job_id: int) -> None:
    """Before the body is read: 404 for a job the caller cannot see."""
    applications.visible_job_or_404(user, job_id)


def _may_decide(user, application_id: int) -> None:
    """Before the body is read: 404 for a response the caller cannot see, 403 for one they may
    see but not decide on."""
    policy.require(
        user, "application.decide", applications.visible_application_or_404(user, application_id)
    )


@blp.route("/jobs/<int:job_id>/applications", methods=["POST"])
@blp.doc(security=BEARER)
@api_auth(before=_may_respond)
@blp.arguments(ApplicationCreateSchema, error_status_code=400)
@blp.response(201, ApplicationSchema)
@blp.alt_response(404, description="No such job, or not visible to the caller")
@blp.alt_response(409, description="Already responded, or the job is not open")
def create_application(user, data, job_id):
    """Respond to a job: a motivation and, optionally, hours per week."""
    application = applications.apply(
        user, job_id, motivation=data["motivation"], hours_per_week=data["hours_per_week"]
    )
    commit()
    return application


@blp.route("/applications", methods=["GET"])
@blp.doc(security=BEARER)
@api_auth
@blp.arguments(ApplicationListArgs, location="query", error_status_code=400)
@blp.response(200, ApplicationPageSchema)
def list_applications(user, args):
    """The responses the caller may see: their own; to jobs they post; their own staff's (HR);
    the arrangement's (coordinators). Never as the applicant's own line manager."""
    stmt = applications.visible_applications(user, job_id=args["job"], status=args["status"])
    return api_page(stmt, args["page"], args["per_page"])


@blp.route("/applications/<int:application_id>", methods=["GET"])
@blp.doc(security=BEARER)
@blp.response(200, ApplicationSchema)
@blp.alt_response(404, description="No such response, or not visible to the caller")
@api_auth
def get_application(user, application_id):
    """One response, for those who may see it."""
    return applications.visible_application_or_404(user, application_id)


@blp.route("/applications/<int:application_id>/withdraw", methods=["POST"])
@blp.doc(security=BEARER)
@blp.response(200, ApplicationSchema)
@blp.alt_response(404, description="No such response, or not visible to the caller")
@blp.alt_response(409, description="Already decided or withdrawn")
@api_auth
def withdraw_application(user, application_id):
    """The applicant withdraws their response."""
    application = applications.withdraw(user, application_id)
    commit()
    return application


@blp.route("/applications/<int:application_id>/decision", methods=["POST"])
@blp.doc(security=BEARER)
@api_auth(before=_may_decide)
@blp.arguments(ApplicationDecisionSchema, error_status_code=400)
@blp.response(200, ApplicationSchema)
@blp.alt_response(403, description="Only the posting side of the job decides")
@blp.alt_response(404, description="No such response, or not visible to the caller")
@blp.alt_response(409, description="Already declined or withdrawn")
def decide_application(user, data, application_id):
    """The posting side marks a response as in conversation or declined, with a message to the
    applicant."""
    application = applications.decide(
        user, application_id, status=data["status"], message=data["message"]
    )
    commit()
    return application
