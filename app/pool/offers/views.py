"""Pages for capacity offers (krachten): my offers, offer/edit/withdraw, browse, register for
staff, and one offer with its view log.

Thin: parse, call one operation, render. Who sees what comes from :mod:`app.policy`.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from app import policy
from app.accounts.auth import web_user
from app.dates import today
from app.errors import Conflict
from app.matches import suggestions
from app.pagination import page_of
from app.pool.offers import operations as offers
from app.pool.pool_forms import ActionForm, OfferForm, RegisterOfferForm
from app.pool.search import organisation_choices
from app.pool.views import bp
from app.transaction import commit
from app.web.choices import select_choices
from app.web.navigation import HomeLink, NavItem
from app.web.submit import submit

PER_PAGE = 25

REASON_LABELS = {
    "peak": _l("Rustig in mijn werk (piek en dal)"),
    "development": _l("Ontwikkeling"),
    "reintegration": _l("Re-integratie"),
    "other": _l("Anders"),
}
STATUS_LABELS = {
    "open": _l("Open"),
    "withdrawn": _l("Ingetrokken"),
    "closed": _l("Afgesloten"),
}


@bp.app_template_global()
def offer_reason_label(reason: str) -> str:
    return str(REASON_LABELS.get(reason, reason))


@bp.app_template_global()
def offer_status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def is_hiring_side(user) -> bool:
    """Who gets the "Krachten" menu item: HR, coordinators, line managers."""
    return bool(user.is_hr or user.is_coordinator or policy.is_line_manager(user))


@bp.route("/mijn-aanbod")
@login_required
def my_offers():
    """The employee's own offers, with who can see them."""
    user = web_user()
    return render_template(
        "pool/offers/mine.html",
        items=offers.own_offers(user),
        audience=policy.offer_audience(user.organisation),
        organisation=user.organisation,
    )


@bp.route("/mijn-aanbod/nieuw", methods=["GET", "POST"])
@login_required
def new_offer():
    """Offer hours and skills for a period."""
    user = web_user()
    form = OfferForm(available_from=today()) if request.method == "GET" else OfferForm()
    if form.validate_on_submit():
        offer, failed = submit(offers.create, user, **form.offer_data(), form=form)
        if not failed:
            flash(_("Je aanbod staat erin. Je kunt het altijd aanpassen of intrekken."), "success")
            return redirect(url_for("pool.offer_detail", offer_id=offer.id))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "pool/offers/form.html",
        form=form,
        offer=None,
        audience=policy.offer_audience(user.organisation),
        organisation=user.organisation,
    ), status


@bp.route("/krachten/namens", methods=["GET", "POST"])
@login_required
def register_offer():
    """A line manager registers an offer for one of their staff (where the organisation routes
    registration through line managers)."""
    user = web_user()
    staff = policy.registrable_staff(user)
    if not staff:
        abort(403)
    form = RegisterOfferForm(available_from=today()) if request.method == "GET" else None
    form = form or RegisterOfferForm()
    form.employee.choices = select_choices([(e.id, e.name) for e in staff])
    if form.validate_on_submit():
        data = form.offer_data()
        offer, failed = submit(
            offers.create, user, employee_id=form.employee.data, **data, form=form
        )
        if not failed:
            flash(
                _("Het aanbod is geregistreerd. De medewerker krijgt daarvan bericht."), "success"
            )
            return redirect(url_for("pool.offer_detail", offer_id=offer.id))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "pool/offers/register.html", form=form, registered=offers.registered_by(user)
    ), status


@bp.route("/krachten")
@login_required
def offers_list():
    """Browse the offers the caller may see (HR, coordinators and the hiring side, as each
    employee's home organisation decided)."""
    user = web_user()
    args = request.args
    q = (args.get("q") or "").strip()[:200]
    skill = (args.get("skill") or "").strip()[:80]
    organisation = (args.get("organisation") or "").strip()[:63]
    reasons = {
        key: label
        for key, label in REASON_LABELS.items()
        if key != policy.SENSITIVE_REASON or policy.allowed(user, "offer.filter_sensitive_reason")
    }
    reason = args.get("reason") if args.get("reason") in reasons else None
    stmt = offers.visible_offers(
        user, q=q, skill=skill, organisation=organisation, reason=reason, include_own=False
    )
    result = page_of(stmt, PER_PAGE)
    return render_template(
        "pool/offers/list.html",
        result=result,
        q=q,
        skill=skill,
        organisation=organisation,
        reason=reason or "",
        organisations=organisation_choices(),
        reasons=reasons,
    )


@bp.route("/krachten/<int:offer_id>")
@login_required
def offer_detail(offer_id: int):
    """One offer. A view by anyone but the employee is logged, and the employee sees the log."""
    user = web_user()
    offer = offers.view(user, offer_id)
    views = offers.views_of(user, offer)
    commit()
    return render_template(
        "pool/offers/detail.html",
        proposable=_proposable_jobs(user, offer),
        offer=offer,
        employee=offer.user,
        department=offers.department_name(offer.user.department_id),
        registrar=offers.registrar_of(offer),
        is_owner=offer.user_id == user.id,
        reason=policy.shown_reason(user, offer),
        can_edit=policy.allowed(user, "offer.edit", offer),
        views=views,
        form=ActionForm(),
        audience=policy.offer_audience(offer.organisation),
        organisation=offer.organisation,
    )


def _proposable_jobs(user, offer) -> list:
    """For HR, coordinators and line managers who may see the offer: the open jobs that fit it
    and for which they may propose this employee ("Voorstellen voor een klus"), best first."""
    if offer.user_id == user.id or offer.status != "open" or not offers.current(offer):
        return []

    return [
        candidate
        for candidate in suggestions.jobs_for_offer(user, offer, limit=10)
        if policy.allowed(user, "match.propose", (candidate.job, offer.user))
    ]


@bp.route("/krachten/<int:offer_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit_offer(offer_id: int):
    """Change an open offer (the employee, or the line manager who registered it)."""
    user = web_user()
    try:
        offer = offers.editable_offer(user, offer_id)
    except Conflict as exc:
        flash(str(exc), "error")
        return redirect(url_for("pool.offer_detail", offer_id=offer_id))
    if request.method == "GET":
        form = OfferForm(obj=offer)
        form.skills.data = ", ".join(offer.skills)
    else:
        form = OfferForm()
    if offer.user_id != user.id:
        del form.reason_shared_with_hr  # the employee's own consent (app.policy)
    status = 200
    if form.validate_on_submit():
        _done, failed = submit(offers.update, user, offer.id, **form.offer_data(), form=form)
        if failed:
            status = 400
        else:
            flash(_("Je aanbod is bijgewerkt."), "success")
            return redirect(url_for("pool.offer_detail", offer_id=offer.id))
    elif request.method == "POST":
        status = 400
    return render_template(
        "pool/offers/form.html",
        form=form,
        offer=offer,
        audience=policy.offer_audience(offer.organisation),
        organisation=offer.organisation,
    ), status


@bp.route("/krachten/<int:offer_id>/intrekken", methods=["POST"])
@login_required
def withdraw_offer(offer_id: int):
    """Withdraw an offer: from then on only the employee sees it."""
    user = web_user()
    form = ActionForm()
    if not form.validate():
        abort(400)
    try:
        offers.withdraw(user, offer_id)
    except Conflict as exc:
        flash(str(exc), "error")
        return redirect(url_for("pool.offer_detail", offer_id=offer_id))
    commit()
    flash(_("Je aanbod is ingetrokken. Alleen jij ziet het nog."), "success")
    return redirect(url_for("pool.offer_detail", offer_id=offer_id))


#: This module's menu items, registered by the domain's ``init_app``.
MENU = (
    NavItem("pool.my_offers", _l("Mijn aanbod"), order=30),
    NavItem("pool.offers_list", _l("Krachten"), is_hiring_side, order=40),
)
#: This module's start-page entry points, registered by the domain's ``init_app``.
HOME_LINKS = (
    HomeLink(
        _l("Je gegevens"),
        "pool.my_offers",
        _l("Mijn aanbod"),
        _l("Bied uren en vaardigheden aan voor een periode. Jij bepaalt wat erin staat."),
        order=20,
    ),
    HomeLink(
        _l("Leidinggevende"),
        "pool.register_offer",
        _l("Aanbod registreren namens je medewerker"),
        _l("Je organisatie laat medewerkers zich via hun leidinggevende aanmelden."),
        lambda u: bool(u.organisation.registration_via_line_manager) and policy.is_line_manager(u),
        order=60,
    ),
)
