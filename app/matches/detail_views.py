"""The match page (/detacheringen/<id>): approvals, decisions, flags and the agreement, and the
actions on one match: decide, edit the terms, withdraw, end, evaluate, the agreement's PDF and a
retry of its rendering."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app import policy
from app.accounts.auth import web_user
from app.ids import parse_id
from app.matches import access, agreements, decisions, emails, lifecycle, operations
from app.matches.exchange import flow
from app.matches.forms import (
    ActionForm,
    DecisionForm,
    EvaluationForm,
    OptionalReasonForm,
    ReasonForm,
    TermsForm,
)
from app.matches.models import ALL_PARTIES
from app.matches.views import AGREEMENT_LABELS, DOCUMENT_TITLES, bp, match_or_404, save

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
    return _detail(user, match_or_404(user, match_id))


@bp.route("/detacheringen/<int:match_id>/besluit", methods=["POST"])
@login_required
def decide(match_id: int):
    user = web_user()
    match = match_or_404(user, match_id)
    party = request.form.get("party") or None
    if party not in (None, *ALL_PARTIES):
        abort(400)
    form = DecisionForm(prefix=party or "")
    decision = request.form.get("decision")
    if decision not in ("approve", "decline") or not form.validate_on_submit():
        abort(400)
    approval, status = save(
        decisions.decide, user, match, decision, form.reason.data or "", party, form=form
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
    match = match_or_404(user, match_id)
    if not policy.allowed(user, "match.manage", match):
        abort(403)
    form = TermsForm(obj=None if request.method == "POST" else match)
    if request.method == "GET" and form.hourly_rate.data is None:
        # The help promises the lender's default rate is filled in, for a switch to hourly too.
        form.hourly_rate.data = match.employee.organisation.default_hourly_rate
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            saved, status = save(operations.edit_terms, user, match, form.terms(), form=form)
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
    match = match_or_404(user, match_id)
    form = OptionalReasonForm(prefix="withdraw")
    if not form.validate_on_submit():
        abort(400)
    done, _status = save(operations.withdraw, user, match, form.reason.data or "")
    if done is not None:
        flash(_("Het voorstel is ingetrokken."), "success")
    return redirect(url_for("matches.detail", match_id=match.id))


@bp.route("/detacheringen/<int:match_id>/beeindigen", methods=["GET", "POST"])
@login_required
def end(match_id: int):
    user = web_user()
    match = match_or_404(user, match_id)
    if not policy.allowed(user, "match.end", match):
        abort(403)
    form = ReasonForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            done, status = save(lifecycle.end_early, user, match, form.reason.data, form=form)
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
    match = match_or_404(user, match_id)
    if access.evaluation_role(user, match) is None:
        abort(403)
    form = EvaluationForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            done, status = save(lifecycle.evaluate, user, match, form.values(), form=form)
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
    match = match_or_404(user, match_id)
    name, data = agreements.file_for(match, request.args.get("version", type=parse_id))
    return send_file(data, mimetype="application/pdf", download_name=name, as_attachment=True)


@bp.route("/detacheringen/<int:match_id>/overeenkomst/opnieuw", methods=["POST"])
@login_required
def agreement_retry(match_id: int):
    user = web_user()
    match = match_or_404(user, match_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    done, _status = save(operations.retry_agreement, user, match)
    if done is not None:
        flash(_("De overeenkomst wordt opnieuw gemaakt."), "success")
    return redirect(url_for("matches.detail", match_id=match.id))
