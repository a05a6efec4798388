"""The organisation's details for agreements (legal details, signatory, default hourly rate),
its logo, and HR's overviews of placements and of its staff's offers and responses.

The privacy settings and the job defaults (expiry, visibility) are on the pool's settings page
(``/organisatie/instellingen``): one place for each setting. This page links there.
"""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from app.accounts.auth import web_user
from app.extensions import db
from app.policy import require
from app.transaction import commit
from app.web.navigation import HomeLink
from app.workspace import operations, overviews
from app.workspace.forms import ActionForm, DetailsForm, LogoForm
from app.workspace.logo import MAX_BYTES, LogoError, clean_logo
from app.workspace.views import bp, is_hr
from tenants.models import Organisation


def _details_page(organisation, form=None, logo_form=None, status=200):
    return render_template(
        "workspace/organisation/details.html",
        organisation=organisation,
        form=form or DetailsForm(formdata=None, obj=organisation),
        logo_form=logo_form or LogoForm(formdata=None),
        action=ActionForm(),
    ), status


def _organisation(user) -> Organisation:
    organisation = db.session.get(Organisation, user.organisation_id)
    require(user, "organisation.settings.edit", organisation)
    return organisation


@bp.route("/organisatie/gegevens", methods=["GET", "POST"])
@login_required
def organisation_details():
    """Legal details and signatory for the secondment agreement; default hourly rate."""
    user = web_user()
    organisation = _organisation(user)
    if request.method == "GET":
        return _details_page(organisation)
    form = DetailsForm()
    if form.validate_on_submit():
        operations.update_details(user, organisation, **form.details())
        commit()
        flash(_("De gegevens van de organisatie zijn opgeslagen."), "success")
        return redirect(url_for("workspace.organisation_details"))
    return _details_page(organisation, form=form, status=400)


@bp.route("/organisatie/logo", methods=["GET", "POST"])
@login_required
def organisation_logo():
    """GET: the current logo (own organisation); POST: upload a new one."""
    user = web_user()
    organisation = _organisation(user)
    if request.method == "GET":
        if not organisation.logo:
            abort(404)
        response = Response(organisation.logo, mimetype=organisation.logo_mime)
        response.headers["Content-Disposition"] = "inline"
        return response
    form = LogoForm()
    if form.validate_on_submit():
        try:
            data, mime = clean_logo(form.logo.data.read(MAX_BYTES + 1))
        except LogoError as exc:
            form.logo.errors = [*form.logo.errors, str(exc)]
        else:
            operations.set_logo(user, organisation, data, mime)
            commit()
            flash(_("Het logo is opgeslagen."), "success")
            return redirect(url_for("workspace.organisation_details"))
    return _details_page(organisation, logo_form=form, status=400)


@bp.route("/organisatie/logo/verwijderen", methods=["POST"])
@login_required
def organisation_logo_remove():
    user = web_user()
    organisation = _organisation(user)
    if not ActionForm().validate_on_submit():
        abort(400)
    operations.remove_logo(user, organisation)
    commit()
    flash(_("Het logo is verwijderd."), "success")
    return redirect(url_for("workspace.organisation_details"))


@bp.route("/organisatie/detacheringen")
@login_required
def organisation_placements():
    """Placements out of, into and inside the organisation, with their agreements."""
    user = web_user()
    return render_template(
        "workspace/organisation/placements.html", placements=overviews.placements(user)
    )


@bp.route("/organisatie/aanbod-en-reacties")
@login_required
def organisation_participation():
    """The own staff's offers and responses, as far as the privacy settings let HR see them."""
    user = web_user()
    return render_template(
        "workspace/organisation/participation.html",
        offers=overviews.staff_offers(user),
        applications=overviews.staff_applications(user),
        organisation=user.organisation,
    )


#: This module's start-page entry points, registered by the domain's ``init_app``.
HOME_LINKS = (
    HomeLink(
        _l("P&O"),
        "workspace.organisation_details",
        _l("Gegevens voor overeenkomsten"),
        _l("Juridische naam, adres, KvK, ondertekenaar, cao, standaard uurtarief en logo."),
        is_hr,
        order=82,
    ),
    HomeLink(
        _l("P&O"),
        "workspace.organisation_placements",
        _l("Detacheringen van je organisatie"),
        _l("Wie van jullie elders werkt, wie bij jullie werkt, en de overeenkomsten."),
        is_hr,
        order=83,
    ),
    HomeLink(
        _l("P&O"),
        "workspace.organisation_participation",
        _l("Aanbod en reacties van je medewerkers"),
        _l(
            "Wat jullie medewerkers aanbieden en waarop ze reageren, voor zover de "
            "privacy-instellingen dat tonen."
        ),
        is_hr,
        order=84,
    ),
)
