"""Data subject rights: an employee's own data (page and JSON download) and HR's erasure of a
leaver's personal data (confirmation page that says what is deleted and what is kept)."""

from __future__ import annotations

import json

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from app.accounts.auth import web_user
from app.extensions import db
from app.transaction import commit
from app.web.navigation import HomeLink
from app.workspace import data_export, data_rights, operations
from app.workspace.forms import EraseForm
from app.workspace.views import bp


@bp.route("/mijn-gegevens")
@login_required
def my_data():
    """Everything Deelkracht holds about the caller, readable."""
    return render_template("workspace/rights/my_data.html", data=data_export.export(web_user()))


@bp.route("/mijn-gegevens.json")
@login_required
def my_data_json():
    """The same, as a JSON file to download (right to data portability)."""
    body = json.dumps(data_export.export(web_user()), ensure_ascii=False, indent=2)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="mijn-gegevens.json"'
    return response


def _erase_page(user, member, form, status=200, problem=None):
    if problem is None:
        try:
            data_rights.check_erasable(user, member)
        except operations.Conflict as exc:
            problem = str(exc)
    return render_template(
        "workspace/rights/erase.html",
        member=member,
        form=form,
        problem=problem,
        years=data_rights.AGREEMENT_RETENTION_YEARS,
    ), status


@bp.route("/medewerkers/<int:user_id>/gegevens-wissen", methods=["GET", "POST"])
@login_required
def staff_erase(user_id: int):
    """HR erases a leaver's personal data; the page lists what is deleted and what is kept."""
    user = web_user()
    member = operations.staff_member_or_404(user, user_id)
    form = EraseForm()
    if request.method == "GET":
        return _erase_page(user, member, form)
    if not form.validate_on_submit():
        return _erase_page(user, member, form, 400)
    try:
        erasure = data_rights.erase(user, member)
    except operations.Conflict as exc:
        db.session.rollback()
        member = operations.staff_member_or_404(user, user_id)
        return _erase_page(user, member, form, 409, problem=str(exc))
    counts = dict(erasure.counts)
    commit()
    flash(
        _(
            "De persoonsgegevens zijn gewist. Bewaard als wettelijk document: %(n)s "
            "versie(s) van detacheringsovereenkomsten.",
            n=counts.get("kept_agreements", 0),
        ),
        "success",
    )
    return redirect(url_for("workspace.staff"))


#: This module's start-page entry points, registered by the domain's ``init_app``.
HOME_LINKS = (
    HomeLink(
        _l("Je gegevens"),
        "workspace.my_data",
        _l("Mijn gegevens inzien en downloaden"),
        _l("Alles wat Deelkracht over jou bewaart, op één pagina en als download."),
        order=91,
    ),
)
