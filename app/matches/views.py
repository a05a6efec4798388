"""Browser pages of matches (/detacheringen): lists, the proposal form from a job's candidates,
the match page with approvals, decisions, flags and the agreement, and the evaluation form.
Thin: parse, call one operation, commit, render; the rules live in the operations."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app import policy
from app.accounts.auth import web_user
from app.errors import DomainError, put_on_form
from app.extensions import db
from app.ids import internal_id, page_number, parse_id
from app.matches import access, agreements, emails, lifecycle, operations, suggestions
from app.matches.exchange import flow
from app.matches.forms import (
    ActionForm,
    DecisionForm,
    DirectProposalForm,
    EvaluationForm,
    OptionalReasonForm,
    ProposeForm,
    ReasonForm,
    TermsForm,
)
from app.matches.models import ALL_PARTIES, MATCH_STATUSES
from app.pool.models import Job
from app.transaction import commit
from app.web.choices import select_choices
from app.web.navigation import add, add_home_link

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


add("matches.index", _l("Detacheringen"), lambda u: True, order=40)
add_home_link(
    _l("Detacheringen"),
    "matches.index",
    _l("Mijn detacheringen"),
    _l("Voorstellen waarin jij een rol hebt: akkoord geven, voorwaarden, overeenkomst."),
    order=40,
)
add_home_link(
    _l("Detacheringen"),
    "matches.index",
    _l("Detacheringen van je organisatie"),
    _l("Alle voorstellen en detacheringen waarbij je organisatie uitleent of inleent."),
    lambda u: u.is_hr or _is_line_manager(u),
    order=42,
)
add_home_link(
    _l("Samenwerkingsverband"),
    "matches.index",
    _l("Alle detacheringen"),
    _l("Voorstellen, lopende en afgeronde detacheringen in het samenwerkingsverband."),
    lambda u: u.is_coordinator,
    order=43,
)


def _match(user, match_id: int):
    match = access.visible_match(user, match_id)
    if match is None:
        abort(404)
    return match


def _save(operation, *args, form=None):
    """Call one operation and commit. Returns (result, None) or (None, status)."""
    try:
        result = operation(*args)
        commit()
        return result, None
    except DomainError as exc:
        db.session.rollback()
        if form is not None:
            put_on_form(form, exc)
        else:
            flash(exc.message, "error")
        return None, exc.status
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        message = _("De match is intussen gewijzigd. Bekijk haar opnieuw.")
        if form is not None:
            form.form_errors.append(message)
        else:
            flash(message, "error")
        return None, 409


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
    page = page_number(request.args.get("page"))
    if scope not in scopes or (status and status not in MATCH_STATUSES):
        abort(400)
    stmt = operations.visible_matches(user, scope=scope, status=status)
    total = db.session.scalar(select(db.func.count()).select_from(stmt.order_by(None).subquery()))
    matches = db.session.scalars(stmt.limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    waiting = {m.id for m in matches if access.decidable_now(user, m)}
    own_jobs = suggestions.posting_side_jobs(user)
    return render_template(
        "matches/list.html",
        matches=matches,
        waiting=waiting,
        scope=scope,
        scopes=[(s, SCOPES[s]) for s in scopes],
        status=status,
        page=page,
        pages=max(1, -(-(total or 0) // PER_PAGE)),
        total=total,
        own_jobs=own_jobs,
    )


@bp.route("/passende-klussen")
@login_required
def fitting_jobs():
    """The old address of "Klussen voor jou" (one page, one ranking): the same page."""
    from app.pool.job_views import for_you

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
    job, employee, application, offer = operations.proposal_form_source(user, source)
    form = ProposeForm()
    swap = len(flow(job.type).persons) > 1
    status = 200
    if request.method == "GET":
        form.process(data=operations.proposal_defaults(job, employee, offer, application))
    form.counterpart_id.choices = select_choices(
        [(0, _("Kies een medewerker"))]
        + [(u.id, u.name) for u in operations.counterpart_choices(user, job, employee)]
        if swap
        else []
    )
    if request.method == "POST" and form.validate_on_submit():
        data = {
            **source,
            **form.terms(),
            operations.CONFIRM_OUTSIDE: form.confirm_outside_job_period.data,
        }
        if swap:
            data["counterpart_id"] = form.counterpart_id.data or None
        match, status = _save(operations.propose, user, data, form=form)
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


# --- one match -----------------------------------------------------------------------------------


def personnel_number_missing(user, match) -> bool:
    """HR (and coordinators) are told before they approve that the agreement will not name the
    employee's personnel number: it is left out of the PDF rather than printed as missing."""
    return bool(
        match.open_for_decisions
        and policy.allowed(user, "match.flags", match)
        and not (match.employee.personnel_number or "").strip()
    )


def _detail(user, match, *, forms=None, status: int = 200):
    role = lifecycle.may_evaluate(user, match)
    return render_template(
        "matches/detail.html",
        match=match,
        in_force=match.latest_agreement() if match.amendment_pending else None,
        approvals=match.current_approvals(),
        decidable=access.decidable_now(user, match),
        parties=access.parties_of(user, match),
        decision_forms=forms
        or {p: DecisionForm(prefix=p) for p in access.decidable_now(user, match)},
        flags=agreements.current_flags(match)
        if policy.allowed(user, "match.flags", match)
        else None,
        personnel_number_missing=personnel_number_missing(user, match),
        manager_told_later="employee" in access.decidable_now(user, match)
        and not emails.home_manager_knows(match),
        may_manage=policy.allowed(user, "match.manage", match),
        may_end=policy.allowed(user, "match.end", match),
        sees_origin=policy.allowed(user, "match.origin", match),
        may_retry=policy.allowed(user, "match.agreement.retry", match),
        evaluation_role=role,
        evaluations=lifecycle.evaluations(match)
        if policy.allowed(user, "match.evaluations.read", match)
        else [],
        action_form=ActionForm(),
        withdraw_form=OptionalReasonForm(prefix="withdraw"),
        agreement_labels=AGREEMENT_LABELS,
        history=[a for a in match.approvals if a.terms_version != match.terms_version],
        exchange=flow(match),
        document_titles=DOCUMENT_TITLES,
    ), status


@bp.route("/detacheringen/<int:match_id>")
@login_required
def detail(match_id: int):
    user = web_user()
    return _detail(user, _match(user, match_id))


@bp.route("/detacheringen/<int:match_id>/besluit", methods=["POST"])
@login_required
def decide(match_id: int):
    user = web_user()
    match = _match(user, match_id)
    party = request.form.get("party") or None
    if party not in (None, *ALL_PARTIES):
        abort(400)
    form = DecisionForm(prefix=party or "")
    decision = request.form.get("decision")
    if decision not in ("approve", "decline") or not form.validate_on_submit():
        abort(400)
    approval, status = _save(
        operations.decide, user, match, decision, form.reason.data or "", party, form=form
    )
    if approval is None:
        forms = {
            p: DecisionForm(prefix=p, formdata=None) for p in access.decidable_now(user, match)
        }
        if party in forms:
            forms[party] = form
        return _detail(user, match, forms=forms, status=status)
    if decision == "approve":
        flash(_("Je akkoord is vastgelegd."), "success")
    else:
        flash(_("De afwijzing is vastgelegd. De partijen krijgen bericht."), "success")
    return redirect(url_for("matches.detail", match_id=match.id))


@bp.route("/detacheringen/<int:match_id>/voorwaarden", methods=["GET", "POST"])
@login_required
def edit(match_id: int):
    user = web_user()
    match = _match(user, match_id)
    if not policy.allowed(user, "match.manage", match):
        abort(403)
    form = TermsForm(obj=None if request.method == "POST" else match)
    if request.method == "GET" and form.hourly_rate.data is None:
        # The help promises the lender's default rate is filled in, for a switch to hourly too.
        form.hourly_rate.data = match.employee.organisation.default_hourly_rate
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            saved, status = _save(operations.edit_terms, user, match, form.terms(), form=form)
            if saved is not None:
                flash(
                    _("De voorwaarden zijn gewijzigd; alle partijen beslissen opnieuw."), "success"
                )
                return redirect(url_for("matches.detail", match_id=match.id))
        else:
            status = 400
    return render_template("matches/edit.html", form=form, match=match), status


@bp.route("/detacheringen/<int:match_id>/intrekken", methods=["POST"])
@login_required
def withdraw(match_id: int):
    user = web_user()
    match = _match(user, match_id)
    form = OptionalReasonForm(prefix="withdraw")
    if not form.validate_on_submit():
        abort(400)
    done, _status = _save(operations.withdraw, user, match, form.reason.data or "")
    if done is not None:
        flash(_("Het voorstel is ingetrokken."), "success")
    return redirect(url_for("matches.detail", match_id=match.id))


@bp.route("/detacheringen/<int:match_id>/beeindigen", methods=["GET", "POST"])
@login_required
def end(match_id: int):
    user = web_user()
    match = _match(user, match_id)
    if not policy.allowed(user, "match.end", match):
        abort(403)
    form = ReasonForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            done, status = _save(lifecycle.end_early, user, match, form.reason.data, form=form)
            if done is not None:
                flash(_("De detachering is beëindigd. De partijen krijgen bericht."), "success")
                return redirect(url_for("matches.detail", match_id=match.id))
        else:
            status = 400
    return render_template("matches/end.html", form=form, match=match), status


@bp.route("/detacheringen/<int:match_id>/evaluatie", methods=["GET", "POST"])
@login_required
def evaluate(match_id: int):
    user = web_user()
    match = _match(user, match_id)
    if access.evaluation_role(user, match) is None:
        abort(403)
    form = EvaluationForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            done, status = _save(lifecycle.evaluate, user, match, form.values(), form=form)
            if done is not None:
                flash(_("Dank je wel voor je evaluatie."), "success")
                return redirect(url_for("matches.detail", match_id=match.id))
        else:
            status = 400
    return render_template("matches/evaluate.html", form=form, match=match), status


@bp.route("/detacheringen/<int:match_id>/overeenkomst.pdf")
@login_required
def agreement_pdf(match_id: int):
    user = web_user()
    match = _match(user, match_id)
    name, data = agreements.file_for(match, request.args.get("version", type=parse_id))
    return send_file(data, mimetype="application/pdf", download_name=name, as_attachment=True)


@bp.route("/detacheringen/<int:match_id>/overeenkomst/opnieuw", methods=["POST"])
@login_required
def agreement_retry(match_id: int):
    user = web_user()
    match = _match(user, match_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    done, _status = _save(operations.retry_agreement, user, match)
    if done is not None:
        flash(_("De overeenkomst wordt opnieuw gemaakt."), "success")
    return redirect(url_for("matches.detail", match_id=match.id))
