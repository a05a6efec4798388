"""Pages of the staff import: upload, map the columns, preview, confirm (see
:mod:`app.workspace.staff_import` for what each step does)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from sqlalchemy import select

from app.accounts.auth import web_user
from app.accounts.models import User
from app.errors import Conflict
from app.extensions import db
from app.policy import require
from app.transaction import commit
from app.web.navigation import HomeLink
from app.web.submit import submit
from app.workspace import staff_import
from app.workspace.forms import ActionForm, ConfirmImportForm, UploadForm, mapping_form
from app.workspace.import_csv import FIELD_LABELS, FIELDS, MAX_BYTES, CsvError
from app.workspace.views import bp, is_hr
from tenants.models import Department

CHANGE_LABELS = {
    "email": _l("e-mailadres"),
    "name": _l("naam"),
    "department_id": _l("afdeling"),
    "personnel_number": _l("personeelsnummer"),
    "job_title": _l("functie"),
    "contract_hours": _l("contracturen"),
}


@bp.route("/medewerkers/importeren", methods=["GET", "POST"])
@login_required
def staff_import_upload():
    user = web_user()
    require(user, "staff.manage", user.organisation)
    form = UploadForm()
    status = 200
    if form.is_submitted():
        status = 400
        if form.validate():
            try:
                batch = staff_import.upload(user, form.file.data.read(MAX_BYTES + 1))
            except CsvError as exc:
                db.session.rollback()
                form.file.errors = [*form.file.errors, str(exc)]
            else:
                commit()
                return redirect(url_for("workspace.staff_import_mapping", batch_id=batch.id))
    return render_template("workspace/import/upload.html", form=form), status


@bp.route("/medewerkers/importeren/<int:batch_id>/kolommen", methods=["GET", "POST"])
@login_required
def staff_import_mapping(batch_id: int):
    """Which column holds which field: a first guess from the headers, HR corrects it."""
    user = web_user()
    batch = staff_import.batch_or_404(user, batch_id)
    if batch.status not in ("uploaded", "mapped"):
        return redirect(url_for("workspace.staff_import_preview", batch_id=batch.id))
    posted = request.method == "POST"
    form = mapping_form(batch.headers, batch.mapping, request.form if posted else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            mapping = {f: form[f].data for f in FIELDS}
            _done, failed = submit(staff_import.set_mapping, user, batch, mapping, form=form)
            if not failed:
                return redirect(url_for("workspace.staff_import_preview", batch_id=batch.id))
        batch = staff_import.batch_or_404(user, batch_id)
    return render_template(
        "workspace/import/mapping.html",
        form=form,
        batch=batch,
        fields=FIELDS,
        samples=batch.rows[:3],
    ), status


def _preview(user, batch, status=200):
    rows = staff_import.plan(user, batch)
    names = {
        d.id: d.name
        for d in db.session.scalars(
            select(Department).where(Department.organisation_id == user.organisation_id)
        )
    }
    return render_template(
        "workspace/import/preview.html",
        batch=batch,
        rows=rows,
        counts=staff_import.counts(rows),
        confirm=ConfirmImportForm(formdata=None, digest=staff_import.digest(rows)),
        action=ActionForm(),
        labels=CHANGE_LABELS,
        field_labels=FIELD_LABELS,
        departments=names,
    ), status


@bp.route("/medewerkers/importeren/<int:batch_id>")
@login_required
def staff_import_preview(batch_id: int):
    """What confirming will do, row by row; or, once applied, what it did."""
    user = web_user()
    batch = staff_import.batch_or_404(user, batch_id)
    if batch.status == "uploaded":
        return redirect(url_for("workspace.staff_import_mapping", batch_id=batch.id))
    if batch.status != "mapped":
        return _done(batch)
    return _preview(user, batch)


def _done(batch, status=200):
    by = db.session.get(User, batch.created_by_id) if batch.created_by_id else None
    return render_template("workspace/import/done.html", batch=batch, by=by), status


@bp.route("/medewerkers/importeren/<int:batch_id>/bevestigen", methods=["POST"])
@login_required
def staff_import_confirm(batch_id: int):
    """Apply exactly what the preview showed, or nothing (the preview is shown again)."""
    user = web_user()
    batch = staff_import.batch_or_404(user, batch_id)
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        summary = staff_import.apply(user, batch, form.digest.data)
    except staff_import.StalePlan:
        db.session.rollback()
        flash(
            _(
                "Er is intussen iets veranderd. Er is niets verwerkt: bekijk het nieuwe overzicht "
                "en bevestig opnieuw."
            ),
            "error",
        )
        return _preview(user, staff_import.batch_or_404(user, batch_id), 409)
    except Conflict as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return _done(staff_import.batch_or_404(user, batch_id), 409)
    commit()
    flash(
        _(
            "De import is verwerkt: %(create)s nieuw (uitgenodigd), %(update)s bijgewerkt, "
            "%(reject)s afgewezen.",
            create=summary["create"],
            update=summary["update"],
            reject=summary["reject"],
        ),
        "success",
    )
    return redirect(url_for("workspace.staff_import_preview", batch_id=batch_id))


@bp.route("/medewerkers/importeren/<int:batch_id>/annuleren", methods=["POST"])
@login_required
def staff_import_discard(batch_id: int):
    user = web_user()
    batch = staff_import.batch_or_404(user, batch_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        staff_import.discard(user, batch)
    except Conflict as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("workspace.staff_import_preview", batch_id=batch_id))
    commit()
    flash(_("De import is geannuleerd; er is niets veranderd."), "info")
    return redirect(url_for("workspace.staff"))


#: This module's start-page entry points, registered by the domain's ``init_app``.
HOME_LINKS = (
    HomeLink(
        _l("P&O"),
        "workspace.staff_import_upload",
        _l("Medewerkers importeren"),
        _l("Lees een export uit het personeelssysteem in: je ziet eerst wat er verandert."),
        is_hr,
        order=79,
    ),
)
