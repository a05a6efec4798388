"""Pages for an organisation's settings (HR) and what they mean for every employee.

The HR page explains each setting in plain Dutch; ``/privacy`` (app.web) shows every employee
the same explanation for their own organisation, read-only, through :func:`privacy_context`.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from app import policy
from app.accounts.auth import web_user
from app.policy import allowed
from app.pool.notifications import views as notification_views  # noqa: F401  the notification pages
from app.pool.pool_forms import SettingsForm
from app.pool.settings import operations as settings
from app.pool.views import bp
from app.transaction import commit
from app.web.navigation import HomeLink


@bp.app_context_processor
def privacy_context():
    """For the privacy explanation (templates/web/privacy.html and the settings page)."""
    return {"offer_audience": policy.offer_audience}


@bp.route("/organisatie/instellingen", methods=["GET", "POST"])
@login_required
def organisation_settings():
    """HR changes who sees the staff's offers and responses, and the job defaults."""
    user = web_user()
    organisation = user.organisation
    if not allowed(user, "organisation.settings.edit", organisation):
        abort(403)
    form = SettingsForm(obj=organisation) if request.method == "GET" else SettingsForm()
    if form.validate_on_submit():
        settings.change(user, organisation, **form.settings_data())
        commit()
        flash(_("De instellingen zijn opgeslagen."), "success")
        return redirect(url_for("pool.organisation_settings"))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "pool/settings/organisation.html",
        form=form,
        organisation=organisation,
        audience=policy.offer_audience(organisation),
    ), status


#: This module's start-page entry points, registered by the domain's ``init_app``.
HOME_LINKS = (
    HomeLink(
        _l("P&O"),
        "pool.organisation_settings",
        _l("Privacy-instellingen van je organisatie"),
        _l(
            "Wie het aanbod en de reacties van jullie medewerkers ziet, en de standaarden "
            "voor klussen."
        ),
        lambda u: u.is_hr,
        order=81,
    ),
)
