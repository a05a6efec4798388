"""Pages for responses (reacties): respond, my responses, the responses to a job, one response.

Thin: parse, call one operation, render. What a page shows comes from :mod:`app.policy`.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from app import policy
from app.accounts.auth import web_user
from app.pagination import page_of
from app.pool.applications import operations as applications
from app.pool.models import Application
from app.pool.offers import operations as offers
from app.pool.pool_forms import ActionForm, ApplyForm, DecisionForm
from app.pool.views import bp
from app.transaction import commit
from app.web.navigation import NavItem

PER_PAGE = 25
STATUS_LABELS = {
    "submitted": _l("Verstuurd"),
    "in_conversation": _l("In gesprek"),
    "declined": _l("Afgewezen"),
    "withdrawn": _l("Ingetrokken"),
    "matched": _l("Gematcht"),
}


@bp.app_template_global()
def application_status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


@bp.route("/klussen/<int:job_id>/reageren", methods=["GET", "POST"])
@login_required
def apply(job_id: int):
    """Respond to a job: one short form, always possible while the job is open."""
    user = web_user()
    job = applications.visible_job_or_404(user, job_id)
    existing = applications.own_application_for(user, job.id)
    is_open = applications.job_open_for_responses(job)
    form = ApplyForm()
    status = 200
    if request.method == "POST":
        if existing is not None or not is_open:
            status = 409
        elif form.validate():
            try:
                application = applications.apply(
                    user,
                    job.id,
                    motivation=form.motivation.data.strip(),
                    hours_per_week=form.hours_per_week.data,
                )
            except applications.Conflict as exc:
                form.form_errors.append(str(exc))
                status = 409
            else:
                commit()
                flash(_("Je reactie is verstuurd. Je hoort het als er iets verandert."), "success")
                return redirect(url_for("pool.application_detail", application_id=application.id))
        else:
            status = 400
    return render_template(
        "pool/applications/apply.html", job=job, form=form, existing=existing, is_open=is_open
    ), status


@bp.route("/mijn-reacties")
@login_required
def my_applications():
    """The employee's own responses, to follow and to withdraw."""
    user = web_user()
    return render_template(
        "pool/applications/mine.html",
        items=applications.own_applications(user),
        form=ActionForm(),
    )


def _detail(user, application, decision_form=None, status: int = 200):
    if decision_form is None and policy.allowed(user, "application.decide", application):
        decision_form = DecisionForm(
            status=application.status if application.status in applications.DECISIONS else None,
            message=application.decision_message,
        )
    return render_template(
        "pool/applications/detail.html",
        application=application,
        job=application.job,
        applicant=application.user,
        department=offers.department_name(application.user.department_id),
        is_applicant=application.user_id == user.id,
        can_decide=policy.allowed(user, "application.decide", application),
        decision_form=decision_form,
        action_form=ActionForm(),
    ), status


@bp.route("/reacties")
@login_required
def applications_list():
    """The responses of others the caller may see: to jobs they post, of their own staff (HR),
    of the arrangement (coordinators). Never as the applicant's own line manager."""
    user = web_user()
    stmt = applications.visible_applications(user).where(Application.user_id != user.id)
    result = page_of(stmt, PER_PAGE)
    return render_template(
        "pool/applications/list.html",
        result=result,
    )


@bp.route("/reacties/<int:application_id>")
@login_required
def application_detail(application_id: int):
    """One response, for those who may see it (everyone else: not found)."""
    user = web_user()
    return _detail(user, applications.visible_application_or_404(user, application_id))


@bp.route("/reacties/<int:application_id>/besluit", methods=["POST"])
@login_required
def decide_application(application_id: int):
    """The posting side: in conversation, or declined with a kind message."""
    user = web_user()
    application = applications.visible_application_or_404(user, application_id)
    form = DecisionForm()
    if not form.validate():
        return _detail(user, application, form, 400)
    try:
        applications.decide(
            user,
            application.id,
            status=form.status.data,
            message=(form.message.data or "").strip(),
        )
    except applications.Conflict as exc:
        form.form_errors.append(str(exc))
        return _detail(user, application, form, 409)
    commit()
    flash(_("Opgeslagen. De medewerker krijgt bericht."), "success")
    return redirect(url_for("pool.application_detail", application_id=application.id))


@bp.route("/reacties/<int:application_id>/intrekken", methods=["POST"])
@login_required
def withdraw_application(application_id: int):
    """The applicant withdraws their response."""
    user = web_user()
    form = ActionForm()
    if not form.validate():
        return _detail(
            user, applications.visible_application_or_404(user, application_id), None, 400
        )
    if request.form.get("confirm") != "1":
        # One click must not withdraw: the applicant cannot respond to this job again.
        application = applications.visible_application_or_404(user, application_id)
        if policy.allowed(user, "application.withdraw", application) and application.status in (
            "submitted",
            "in_conversation",
        ):
            return render_template(
                "pool/applications/withdraw.html", application=application, form=form
            )
    try:
        applications.withdraw(user, application_id)
    except applications.Conflict as exc:
        flash(str(exc), "error")
        return redirect(url_for("pool.application_detail", application_id=application_id))
    commit()
    flash(_("Je reactie is ingetrokken."), "success")
    return redirect(url_for("pool.my_applications"))


@bp.route("/klussen/<int:job_id>/reacties")
@login_required
def job_applications(job_id: int):
    """The responses to a job, for its posting side."""
    user = web_user()
    job, items = applications.responses_to_job(user, job_id)
    return render_template("pool/applications/job.html", job=job, items=items)


#: This module's menu items, registered by the domain's ``init_app``.
MENU = (
    NavItem("pool.my_applications", _l("Mijn reacties"), order=32),
    NavItem(
        "pool.applications_list",
        _l("Reacties"),
        lambda u: bool(u.is_hr or u.is_coordinator or policy.is_line_manager(u)),
        order=42,
    ),
)
