"""Pages for jobs: finding work (list, search, "for you", detail) and posting (new, edit,
renew, status, "my jobs"). Thin: parse, call one operation, render."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from app import policy
from app.accounts.auth import web_user
from app.dates import day
from app.ids import page_number
from app.pool.applications import operations as applications
from app.pool.jobs import operations as jobs
from app.pool.jobs.for_you import jobs_for_you
from app.pool.jobs.forms import SKILL_INPUTS, ActionForm, JobForm, parse_filters
from app.pool.jobs.listing import list_rows, search_form
from app.pool.jobs.types import TYPE_HELP, type_label
from app.pool.markdown import render as render_markdown
from app.pool.search import JobPage, my_jobs, organisation_map
from app.pool.search_cache import search_page
from app.pool.skills import suggestions
from app.pool.views import bp
from app.transaction import commit
from app.web.choices import select_choices
from app.web.navigation import HomeLink, NavItem
from app.web.submit import submit

STATUS_LABELS = {
    "draft": _l("Concept"),
    "open": _l("Open"),
    "filled": _l("Vervuld"),
    "closed": _l("Gesloten"),
    "expired": _l("Verlopen"),
}


@bp.app_template_global()
def job_type_label(value: str) -> str:
    """The Dutch name of a job's type (Klus, Detachering, Meeloopdag, …)."""
    return type_label(value)


def _url_if_exists(endpoint: str, **values) -> str | None:
    """A page of the applications and offers pages, if it exists (yet)."""
    if endpoint not in current_app.view_functions:
        return None
    return url_for(endpoint, **values)


OFFER_ENDPOINTS = ("pool.offer_new", "pool.new_offer", "pool.my_offers", "pool.offers")


@bp.route("/klussen")
@login_required
def jobs_list():
    """Browse and search the open jobs the employee may see."""
    user = web_user()
    query = parse_filters(request.args)
    if query.errors:
        result, status = JobPage([], 0, query.page, 25, organisations=organisation_map()), 400
    else:
        result = search_page(user, query.q, query.filters, query.page)
        status = 200
    base_url = url_for("pool.jobs_list")
    rows = list_rows(result, base_url)
    return render_template(
        "pool/jobs/list.html",
        query=query,
        result=result,
        rows=rows,
        responded=applications.responded_job_ids(user, [row.id for row in rows]),
        search_form=search_form(query, result.organisations),
    ), status


@bp.route("/klussen/<int:job_id>")
@login_required
def job_detail(job_id: int):
    user = web_user()
    job = jobs.get_job(user, job_id)
    is_owner = policy.allowed(user, "job.manage", job)
    return render_template(
        "pool/jobs/detail.html",
        job=job,
        status=jobs.effective_status(job),
        status_labels=STATUS_LABELS,
        is_owner=is_owner,
        transitions=sorted(jobs.TRANSITIONS.get(jobs.effective_status(job), ()))
        if is_owner
        else [],
        apply_url=None if is_owner else _url_if_exists("pool.apply", job_id=job.id),
        own_application=None if is_owner else applications.own_application_for(user, job.id),
        responses_url=_url_if_exists("pool.job_applications", job_id=job.id) if is_owner else None,
        candidates_url=_candidates_url(user, job),
        description_html=render_markdown(job.description),
        action_form=ActionForm(),
    )


def _candidates_url(user, job) -> str | None:
    """The ranked candidates (matches), for whoever may propose placements on this job."""

    if not policy.allowed(user, "job.candidates", job):
        return None
    return _url_if_exists("matches.candidates", job_id=job.id)


def _prepare_form(form: JobForm, user, job=None) -> None:
    departments = jobs.department_choices(user)
    choices = [(d.id, d.name) for d in departments]
    if user.is_hr:
        choices.insert(0, (0, _("Geen afdeling (hele organisatie)")))
    form.department.choices = select_choices(choices)
    form.contact.choices = select_choices([(u.id, u.name) for u in jobs.contact_choices(user)])
    if request.method == "GET" and job is None:
        form.department.data = jobs.default_department_id(user) or 0
        form.contact.data = user.id
        form.visibility.data = user.organisation.default_job_visibility
        form.type.data = "klus"
    # Always a few empty skill inputs to type in, without JavaScript.
    filled = sum(1 for entry in form.skills.entries if entry.data)
    while len(form.skills.entries) < min(max(SKILL_INPUTS, filled + 2), form.skills.max_entries):
        form.skills.append_entry()


def _render_form(form: JobForm, job=None, status: int = 200):
    return render_template(
        "pool/jobs/form.html",
        form=form,
        job=job,
        skill_suggestions=suggestions(web_user()),
        type_help=TYPE_HELP,
    ), status


@bp.route("/klussen/nieuw", methods=["GET", "POST"])
@login_required
def job_new():
    user = web_user()
    if not policy.may_post(user):
        abort(403)
    form = JobForm()
    _prepare_form(form, user)
    if form.validate_on_submit():
        publish = "save_draft" not in request.form
        job, failed = submit(
            jobs.create_job, user, form.job_data(), publish=publish, form=form, names=FORM_NAMES
        )
        if not failed:
            flash(_("De klus is gepubliceerd.") if publish else _("Het concept is bewaard."))
            return redirect(url_for("pool.job_detail", job_id=job.id))
    return _render_form(form, status=400 if request.method == "POST" else 200)


#: The operation's field names that the job form spells otherwise.
FORM_NAMES = {"contact_id": "contact", "department_id": "department"}


@bp.route("/klussen/<int:job_id>/bewerken", methods=["GET", "POST"])
@login_required
def job_edit(job_id: int):
    user = web_user()
    job = jobs.get_job(user, job_id, manage=True)
    form = JobForm(obj=None if request.method == "POST" else _form_values(job))
    _prepare_form(form, user, job)
    if form.validate_on_submit():
        _done, failed = submit(
            jobs.update_job, user, job, form.job_data(), form=form, names=FORM_NAMES
        )
        if not failed:
            flash(_("De klus is bijgewerkt."))
            return redirect(url_for("pool.job_detail", job_id=job.id))
    return _render_form(form, job, status=400 if request.method == "POST" else 200)


def _form_values(job):
    class Values:
        pass

    values = Values()
    for name in ("title", "description", "hours_per_week", "start_date", "end_date"):
        setattr(values, name, getattr(job, name))
    values.location = job.location
    values.remote = job.remote
    values.places = job.places
    values.visibility = job.visibility
    values.type = job.type
    values.department = job.department_id or 0
    values.contact = job.contact_id or 0
    values.skills = job.skill_names
    return values


@bp.route("/klussen/<int:job_id>/verlengen", methods=["GET", "POST"])
@login_required
def job_renew(job_id: int):
    """One click from the page (a POST) or from the reminder e-mail (a GET shows the button)."""
    user = web_user()
    job = jobs.get_job(user, job_id, manage=True)
    form = ActionForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            jobs.renew(user, job)
        except jobs.JobStateError:
            flash(_("Deze klus kan niet meer verlengd worden."), "error")
            return redirect(url_for("pool.job_detail", job_id=job.id))
        commit()
        flash(
            _(
                "Verlengd: de klus staat open tot %(date)s.",
                date=day(job.expires_on),
            )
        )
        return redirect(url_for("pool.job_detail", job_id=job.id))
    return render_template(
        "pool/jobs/renew.html",
        job=job,
        status=jobs.effective_status(job),
        renew_until=jobs.renewed_until(job),
        action_form=form,
    )


@bp.route("/klussen/<int:job_id>/status", methods=["POST"])
@login_required
def job_status(job_id: int):
    """Publish a draft, mark a job filled or closed, or reopen it."""
    user = web_user()
    job = jobs.get_job(user, job_id, manage=True)
    form = ActionForm()
    target = request.form.get("status", "")
    if not form.validate_on_submit() or target not in STATUS_LABELS:
        abort(400)
    try:
        jobs.change_status(user, job, target)
    except jobs.JobStateError:
        abort(409)
    commit()
    flash(_("De status is nu: %(status)s.", status=STATUS_LABELS[target]))
    return redirect(url_for("pool.job_detail", job_id=job.id))


@bp.route("/klussen/mijn")
@login_required
def my_jobs_list():
    """The jobs I post; a line manager also their departments'; HR their organisation's."""
    user = web_user()
    if not policy.may_post(user):
        abort(403)
    status = request.args.get("status") or None
    if status not in (None, *STATUS_LABELS):
        status = None
    page = page_number(request.args.get("page"))
    result = my_jobs(user, status, page)
    return render_template(
        "pool/jobs/mine.html",
        result=result,
        status=status,
        status_labels=STATUS_LABELS,
        today=jobs.today(),
    )


@bp.route("/voor-jou")
@login_required
def for_you():
    """Open jobs ranked against the employee's own open capacity offer."""
    user = web_user()
    offer, ranked, organisations = jobs_for_you(user)
    offer_url = next(filter(None, (_url_if_exists(e) for e in OFFER_ENDPOINTS)), None)
    return render_template(
        "pool/jobs/for_you.html",
        offer=offer,
        ranked=ranked,
        organisations=organisations,
        offer_url=offer_url,
        today=jobs.today(),
        responded=applications.responded_job_ids(user, [item[0].id for item in ranked]),
    )


# --- navigation and landing-page cards ---------------------------------------------------------

#: This module's menu items, registered by the domain's ``init_app``.
MENU = (
    NavItem("pool.jobs_list", _l("Klussen"), order=10),
    NavItem("pool.for_you", _l("Voor jou"), order=12),
    NavItem("pool.my_jobs_list", _l("Mijn klussen"), policy.may_post, order=14),
)
#: This module's start-page entry points, registered by the domain's ``init_app``.
HOME_LINKS = (
    HomeLink(
        _l("Werk vinden"),
        "pool.jobs_list",
        _l("Klussen zoeken"),
        _l("Zoek in de open klussen van je eigen organisatie en het samenwerkingsverband."),
        order=10,
    ),
    HomeLink(
        _l("Werk vinden"),
        "pool.for_you",
        _l("Klussen voor jou"),
        _l("Klussen die passen bij jouw aanbod: vaardigheden, uren en periode."),
        order=11,
    ),
    HomeLink(
        _l("Klussen plaatsen"),
        "pool.job_new",
        _l("Nieuwe klus plaatsen"),
        _l("Zet een klus uit voor je eigen organisatie of het hele samenwerkingsverband."),
        policy.may_post,
        order=20,
    ),
    HomeLink(
        _l("Klussen plaatsen"),
        "pool.my_jobs_list",
        _l("Mijn klussen"),
        _l("Bekijk, verleng en sluit de klussen die jij of je afdeling plaatste."),
        policy.may_post,
        order=21,
    ),
)
