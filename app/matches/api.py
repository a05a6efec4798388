"""JSON API of matches and secondment agreements (CONTRACT.md). Thin: parse, call one
operation, commit, serialise. A match the caller may not see is a 404, like one that does not
exist."""

from __future__ import annotations

from flask import request, send_file
from flask_babel import gettext as _
from flask_smorest import Blueprint, abort
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app import policy
from app.accounts.auth import api_auth
from app.errors import Conflict
from app.extensions import db
from app.ids import parse_id
from app.matches import access, agreements, decisions, lifecycle, operations, proposals, suggestions
from app.matches.schemas import (
    CandidatesSchema,
    MatchCreateSchema,
    MatchDecisionSchema,
    MatchEvaluationInputSchema,
    MatchEvaluationSchema,
    MatchListArgs,
    MatchPageSchema,
    MatchReasonSchema,
    MatchSchema,
    MatchTermsSchema,
    SuggestedJobsSchema,
    SuggestionArgs,
)
from app.pagination import api_page
from app.pool.models import CapacityOffer, Job
from app.transaction import commit

blp = Blueprint("matches_api", __name__, url_prefix="/api/v1", description="Matches and agreements")
BEARER = [{"bearer": []}]


def run(operation, *args, **kwargs):
    """Call one operation and commit. A refusal (:class:`~app.errors.DomainError`) is answered
    by the API's error handler, which rolls everything back (nothing is saved)."""
    try:
        result = operation(*args, **kwargs)
        commit()
        return result
    except (StaleDataError, IntegrityError):
        # Another decision on the same match (or the same party twice) came first.
        db.session.rollback()
        raise Conflict(_("De match is intussen gewijzigd. Laad haar opnieuw.")) from None


# --- permission before validation: who may not act learns nothing about their input -----------


def _refuse(message: str) -> None:
    abort(403, message=message)


def _may_propose(user) -> None:
    """HR, coordinators and line managers propose (which job and person: in the operation)."""
    if not (user.is_coordinator or user.is_hr or policy.is_line_manager(user)):
        _refuse(
            _(
                "Alleen P&O van een van beide organisaties, een coördinator of de leidinggevende "
                "van de klus kan een match voorstellen."
            )
        )


def _may_edit(user, match_id: int) -> None:
    if not policy.allowed(user, "match.manage", operations.get_match(user, match_id)):
        _refuse(_("Je kunt de voorwaarden van deze match niet wijzigen."))


def _may_withdraw(user, match_id: int) -> None:
    if not policy.allowed(user, "match.manage", operations.get_match(user, match_id)):
        _refuse(_("Je kunt dit voorstel niet intrekken."))


def _may_decide(user, match_id: int) -> None:
    if not access.parties_of(user, operations.get_match(user, match_id)):
        _refuse(_("Je bent geen partij bij deze match."))


def _may_end(user, match_id: int) -> None:
    if not policy.allowed(user, "match.end", operations.get_match(user, match_id)):
        _refuse(_("Alleen de uitlenende of inlenende organisatie kan dit beëindigen."))


def _may_evaluate(user, match_id: int) -> None:
    if access.evaluation_role(user, operations.get_match(user, match_id)) is None:
        _refuse(_("Alleen de medewerker en de inlener evalueren deze detachering."))


@blp.route("/matches", methods=["POST"])
@blp.doc(security=BEARER)
@api_auth(before=_may_propose)
@blp.arguments(MatchCreateSchema, error_status_code=400)
@blp.response(201, MatchSchema)
@blp.alt_response(403, description="Not HR of either side, a coordinator or the job's manager")
@blp.alt_response(404, description="Source, job or employee absent or not visible")
@blp.alt_response(409, description="The job has no free place, or a match already runs")
def create_match(user, data):
    """Propose a match from a response, an offer with a job, or a job with an employee."""
    return policy.disclose_match(user, run(proposals.propose, user, data))


@blp.route("/matches", methods=["GET"])
@blp.doc(security=BEARER)
@api_auth
@blp.arguments(MatchListArgs, location="query", error_status_code=400)
@blp.response(200, MatchPageSchema)
def list_matches(user, args):
    """The matches the caller is a party to or oversees (coordinators)."""
    stmt = operations.visible_matches(user, scope=args["scope"], status=args["status"])
    page = api_page(stmt, args["page"], args["per_page"])
    policy.disclose_matches(user, page["items"])
    return page


@blp.route("/matches/<int:match_id>", methods=["GET"])
@blp.doc(security=BEARER)
@blp.response(200, MatchSchema)
@blp.alt_response(404, description="No such match, or the caller may not know of it")
@api_auth
def get_match(user, match_id):
    """One match: terms, approvals per party, agreement status."""
    return policy.disclose_match(user, operations.get_match(user, match_id))


@blp.route("/matches/<int:match_id>", methods=["PATCH"])
@blp.doc(security=BEARER)
@api_auth(before=_may_edit)
@blp.arguments(MatchTermsSchema, error_status_code=400)
@blp.response(200, MatchSchema)
@blp.alt_response(409, description="The match is closed")
def edit_match(user, data, match_id):
    """Change the terms: approvals given so far no longer count; after agreement this makes a
    new agreement version (an extension), approved again by all three parties."""
    match = operations.get_match(user, match_id)
    return policy.disclose_match(user, run(operations.edit_terms, user, match, data))


@blp.route("/matches/<int:match_id>/decision", methods=["POST"])
@blp.doc(security=BEARER)
@api_auth(before=_may_decide)
@blp.arguments(MatchDecisionSchema, error_status_code=400)
@blp.response(200, MatchSchema)
@blp.alt_response(403, description="Not a party, or not for the party named")
@blp.alt_response(409, description="Decided already, out of order, or no free place left")
def decide(user, data, match_id):
    """Approve or decline as employee, lending or borrowing party (the employee first)."""
    match = operations.get_match(user, match_id)
    run(decisions.decide, user, match, data["decision"], data.get("reason", ""), data.get("party"))
    return policy.disclose_match(user, match)


@blp.route("/matches/<int:match_id>/withdraw", methods=["POST"])
@blp.doc(security=BEARER)
@api_auth(before=_may_withdraw)
@blp.arguments(MatchReasonSchema, error_status_code=400)
@blp.response(200, MatchSchema)
def withdraw(user, data, match_id):
    """The proposer, HR or a coordinator withdraws a proposal."""
    match = operations.get_match(user, match_id)
    return policy.disclose_match(user, run(operations.withdraw, user, match, data["reason"]))


@blp.route("/matches/<int:match_id>/end", methods=["POST"])
@blp.doc(security=BEARER)
@api_auth(before=_may_end)
@blp.arguments(MatchReasonSchema, error_status_code=400)
@blp.response(200, MatchSchema)
def end(user, data, match_id):
    """Either organisation ends an agreed placement early, with a reason."""
    match = operations.get_match(user, match_id)
    return policy.disclose_match(user, run(lifecycle.end_early, user, match, data["reason"]))


@blp.route("/matches/<int:match_id>/evaluation", methods=["POST"])
@blp.doc(security=BEARER)
@api_auth(before=_may_evaluate)
@blp.arguments(MatchEvaluationInputSchema, error_status_code=400)
@blp.response(201, MatchEvaluationSchema)
def evaluate(user, data, match_id):
    """The employee's or the host's short evaluation after the placement."""
    match = operations.get_match(user, match_id)
    return run(lifecycle.evaluate, user, match, data)


@blp.route("/matches/<int:match_id>/agreement/retry", methods=["POST"])
@blp.doc(security=BEARER)
@blp.response(202, MatchSchema)
@api_auth
def retry_agreement(user, match_id):
    """Render a failed agreement again (HR and coordinators)."""
    match = operations.get_match(user, match_id)
    run(operations.retry_agreement, user, match)
    return policy.disclose_match(user, match)


@blp.route("/matches/<int:match_id>/agreement.pdf", methods=["GET"])
@blp.doc(
    security=BEARER,
    responses={"200": {"description": "The agreement", "content": {"application/pdf": {}}}},
)
@api_auth
def agreement_pdf(user, match_id):
    """The secondment agreement (latest ready version, or ``?version=``) for the parties and
    the arrangement's coordinators; 404 for everyone else."""
    match = operations.get_match(user, match_id)
    name, data = agreements.file_for(match, request.args.get("version", type=parse_id))
    return send_file(data, mimetype="application/pdf", download_name=name, as_attachment=True)


@blp.route("/jobs/<int:job_id>/candidates", methods=["GET"])
@blp.doc(security=BEARER)
@api_auth
@blp.arguments(SuggestionArgs, location="query", error_status_code=400)
@blp.response(200, CandidatesSchema)
def job_candidates(user, args, job_id):
    """Ranked responses and capacity offers for a job, with reasons (the posting side,
    coordinators and HR; each sees only what the privacy settings let them see)."""
    job = db.session.get(Job, job_id)
    if not policy.allowed(user, "job.candidates", job):
        raise operations.not_found()
    found = suggestions.candidates_for_job(user, job, args["limit"])
    return {key: [_fit_out(c) for c in value] for key, value in found.items()}


@blp.route("/capacities/<int:offer_id>/suggested-jobs", methods=["GET"])
@blp.doc(security=BEARER)
@api_auth
@blp.arguments(SuggestionArgs, location="query", error_status_code=400)
@blp.response(200, SuggestedJobsSchema)
def offer_jobs(user, args, offer_id):
    """The open jobs that fit an offer, best first (for whoever may see the offer)."""
    offer = db.session.get(CapacityOffer, offer_id)
    if not policy.allowed(user, "offer.view", offer):
        raise operations.not_found()
    return {"items": [_fit_out(c) for c in suggestions.jobs_for_offer(user, offer, args["limit"])]}


def _fit_out(candidate) -> dict:
    return {
        "kind": candidate.kind,
        "id": candidate.id,
        "job_id": candidate.job_id,
        "employee": candidate.employee if candidate.kind != "job" else None,
        "job": candidate.job,
        "score": candidate.score,
        "reasons": candidate.reasons,
        "proposed": candidate.proposed,
    }
