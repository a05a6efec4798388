"""Browser pages of matches (/detacheringen): lists, the proposal form from a job's candidates
(the match page and the actions on one match: ``detail_views``).
Thin: parse, call one operation, commit, render; the rules live in the operations."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from sqlalchemy import select

from app import policy
from app.accounts.auth import web_user
from app.errors import DomainError
from app.extensions import db
from app.ids import internal_id
from app.matches import access, operations, proposals, suggestions
from app.matches.exchange import flow
from app.matches.forms import (
    DirectProposalForm,
    ProposeForm,
)
from app.matches.models import MATCH_STATUSES, Match
from app.pagination import page_of
from app.pool.jobs.views import for_you
from app.pool.models import Job
from app.web.choices import select_choices
from app.web.navigation import HomeLink, NavItem
from app.web.submit import submit

bp = Blueprint("matches", __name__)
PER_PAGE = 25

STATUS_LABELS = {
    "proposed": _l("Voorgesteld"),
    "agreed": _l("Overeengekomen"),
    "declined": _l("Afgewezen"),
    "withdrawn": _l("Ingetrokken"),
    "active": _l("Lopend"),
    "completed": _l("Afgerond"),
    "ended": _l("Voortijdig beëindigd"),
}
PARTY_LABELS = {
    "employee": _l("Medewerker"),
    "counterpart": _l("Ruilpartner"),
    "lending": _l("Uitlenende organisatie"),
    "borrowing": _l("Inlenende organisatie"),
}
#: The document each exchange type results in (app.matches.exchange), as the page names it.
DOCUMENT_TITLES = {
    "detacheringsovereenkomst": _l("Detacheringsovereenkomst"),
    "bevestiging-meeloopdag": _l("Bevestiging meeloopdag"),
    "functieruilovereenkomst": _l("Functieruilovereenkomst"),
    "bevestiging-mentoring": _l("Bevestiging mentoring"),
}
AGREEMENT_LABELS = {
    "pending": _l("Wordt gemaakt"),
    "rendering": _l("Wordt gemaakt"),
    "ready": _l("Klaar"),
    "failed": _l("Mislukt"),
}
SCOPES = {
    "mine": _l("Bij mij"),
    "organisation": _l("Mijn organisatie"),
    "all": _l("Samenwerkingsverband"),
}


@bp.app_context_processor
def _labels():
    return {
        "match_status_labels": STATUS_LABELS,
        "party_labels": PARTY_LABELS,
        "agreement_labels": AGREEMENT_LABELS,
    }


def _is_line_manager(user) -> bool:
    return bool(policy.managed_department_ids(user))


#: This module's menu items, registered by the domain's ``init_app``.
MENU = (NavItem("matches.index", _l("Detacheringen"), lambda u: True, order=40),)
#: This module's start-page entry points, registered by the domain's ``init_app``.
HOME_LINKS = (
    HomeLink(
        _l("Detacheringen"),
        "matches.index",
        _l("Mijn detacheringen"),
        _l("Voorstellen waarin jij een rol hebt: akkoord geven, voorwaarden, overeenkomst."),
        order=40,
    ),
    HomeLink(
        _l("Detacheringen"),
        "matches.index",
        _l("Detacheringen van je organisatie"),
        _l("Alle voorstellen en detacheringen waarbij je organisatie uitleent of inleent."),
        lambda u: u.is_hr or _is_line_manager(u),
        order=42,
    ),
    HomeLink(
        _l("Samenwerkingsverband"),
        "matches.index",
        _l("Alle detacheringen"),
        _l("Voorstellen, lopende en afgeronde detacheringen in het samenwerkingsverband."),
        lambda u: u.is_coordinator,
        order=43,
    ),
)


def match_or_404(user, match_id: int):
    match = access.visible_match(user, match_id)
    if match is None:
        abort(404)
    return match


def save(operation, *args, form=None):
    """Call one operation and commit (:func:`app.web.submit.submit`): (result, None) or
    (None, status), whatever the refusal (the views answer each status); a concurrent change
    is told as a change to the match."""
    return submit(
        operation,
        *args,
        form=form,
        catch=DomainError,
        changed=_l("De match is intussen gewijzigd. Bekijk haar opnieuw."),
    )


# --- lists ---------------------------------------------------------------------------------------


@bp.route("/detacheringen")
@login_required
def index():
    user = web_user()
    scopes = ["mine"]
    if user.is_hr or _is_line_manager(user):
        scopes.append("organisation")
    if user.is_coordinator:
        scopes.append("all")
    scope = request.args.get("scope", scopes[-1] if user.is_coordinator else "mine")
    status = request.args.get("status") or None
    if scope not in scopes or (status and status not in MATCH_STATUSES):
        abort(400)
    stmt = operations.visible_matches(user, scope=scope, status=status)
    result = page_of(stmt, PER_PAGE)
    matches = result.items
    # The start page's clause (one query), so the list and the to-do list cannot disagree.
    ids = [m.id for m in matches]
    waiting = (
        set(
            db.session.scalars(
                select(Match.id).where(Match.id.in_(ids), access.decision_waiting_clause(user))
            )
        )
        if ids
        else set()
    )
    own_jobs = suggestions.posting_side_jobs(user)
    return render_template(
        "matches/list.html",
        matches=matches,
        waiting=waiting,
        scope=scope,
        scopes=[(s, SCOPES[s]) for s in scopes],
        status=status,
        result=result,
        own_jobs=own_jobs,
    )


@bp.route("/passende-klussen")
@login_required
def fitting_jobs():
    """The old address of "Klussen voor jou" (one page, one ranking): the same page."""

    return for_you()


@bp.route("/klussen/<int:job_id>/kandidaten")
@login_required
def candidates(job_id: int):
    user = web_user()
    job = db.session.get(Job, job_id)
    if not policy.allowed(user, "job.candidates", job):
        abort(404)
    found = suggestions.candidates_for_job(user, job)
    direct = None
    staff = suggestions.direct_candidates(user, job)
    if staff:
        direct = DirectProposalForm(meta={"csrf": False})
        direct.employee.choices = select_choices([(u.id, u.name) for u in staff])
    return render_template(
        "matches/candidates.html",
        job=job,
        found=found,
        may_propose=lambda employee: policy.allowed(user, "match.propose", (job, employee)),
        free_places=operations.free_places(job),
        direct=direct,
    )


# --- proposing -----------------------------------------------------------------------------------


def _source_args() -> dict:
    """The proposal's source from the query string: public ids (app/ids.py); one that names
    nothing is a 404, as a row out of sight is."""
    keys = {
        "job": ("job_id", "job"),
        "application": ("application_id", "application"),
        "capacity": ("capacity_id", "offer"),
        "employee": ("employee_id", "user"),
    }
    out = {}
    for arg, (key, kind) in keys.items():
        value = request.args.get(arg)
        if value is None:
            continue
        out[key] = internal_id(kind, value)
        if out[key] is None:
            abort(404)
    return out


@bp.route("/detacheringen/nieuw", methods=["GET", "POST"])
@login_required
def propose():
    user = web_user()
    source = _source_args()
    job, employee, application, offer = proposals.proposal_form_source(user, source)
    form = ProposeForm()
    swap = len(flow(job.type).persons) > 1
    status = 200
    if request.method == "GET":
        form.process(data=proposals.proposal_defaults(job, employee, offer, application))
    form.counterpart_id.choices = select_choices(
        [(0, _("Kies een medewerker"))]
        + [(u.id, u.name) for u in proposals.counterpart_choices(user, job, employee)]
        if swap
        else []
    )
    if request.method == "POST" and form.validate_on_submit():
        data = {
            **source,
            **form.terms(),
            proposals.CONFIRM_OUTSIDE: form.confirm_outside_job_period.data,
        }
        if swap:
            data["counterpart_id"] = form.counterpart_id.data or None
        match, status = save(proposals.propose, user, data, form=form)
        if match is not None:
            flash(_("Het voorstel is gedaan. De medewerker beslist eerst."), "success")
            return redirect(url_for("matches.detail", match_id=match.id))
    elif request.method == "POST":
        status = 400
    return render_template(
        "matches/propose.html",
        form=form,
        swap=swap,
        job=job,
        employee=employee,
        application=application,
        offer=offer,
    ), status


# Imported for their routes on `bp` (``from app.matches.views import bp``).
from app.matches import detail_views  # noqa: E402,F401
