"""Pages for departments and their line managers (HR of the own organisation)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from sqlalchemy import func, select

from app.accounts.auth import web_user
from app.accounts.models import User
from app.extensions import db
from app.policy import require
from app.transaction import commit
from app.web.choices import select_choices
from app.web.navigation import HomeLink
from app.web.submit import submit
from app.workspace import operations
from app.workspace.forms import ActionForm, DepartmentForm, ManagerForm
from app.workspace.views import bp, is_hr


@bp.route("/afdelingen", methods=["GET", "POST"])
@login_required
def departments():
    """The departments with their line managers; a form to add one."""
    user = web_user()
    require(user, "staff.manage", user.organisation)
    form = DepartmentForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            department, failed = submit(
                operations.create_department, user, form.name.data, form=form
            )
            if not failed:
                flash(_("De afdeling is toegevoegd."), "success")
                return redirect(url_for("workspace.department", department_id=department.id))
        status = 400
    counts = dict(
        db.session.execute(
            select(User.department_id, func.count(User.id))
            .where(User.organisation_id == user.organisation_id, User.active.is_(True))
            .group_by(User.department_id)
        ).all()
    )
    return render_template(
        "workspace/departments/list.html",
        form=form,
        departments=operations.departments_of(user.organisation_id),
        managers=operations.managers_by_department(user.organisation_id),
        counts=counts,
    ), status


def _manager_form(user, department) -> ManagerForm:
    form = ManagerForm()
    current = {
        m.id for m in operations.managers_by_department(user.organisation_id).get(department.id, [])
    }
    staff = db.session.scalars(
        operations.staff_query(user, status="active").where(User.id.not_in(current or {0}))
    )
    form.user.choices = select_choices([(m.id, f"{m.name} ({m.email})") for m in staff])
    return form


def _page(user, department, *, rename=None, manager=None, status=200):
    return render_template(
        "workspace/departments/detail.html",
        department=department,
        rename=rename or DepartmentForm(formdata=None, obj=department),
        manager=manager or _manager_form(user, department),
        managers=operations.managers_by_department(user.organisation_id).get(department.id, []),
        action=ActionForm(),
    ), status


@bp.route("/afdelingen/<int:department_id>", methods=["GET", "POST"])
@login_required
def department(department_id: int):
    """One department: rename it, see and change its line managers."""
    user = web_user()
    department = operations.department_or_404(user, department_id)
    if request.method == "GET":
        return _page(user, department)
    form = DepartmentForm()
    if form.validate_on_submit():
        _done, failed = submit(
            operations.rename_department, user, department, form.name.data, form=form
        )
        if not failed:
            flash(_("De naam is opgeslagen."), "success")
            return redirect(url_for("workspace.department", department_id=department_id))
    department = operations.department_or_404(user, department_id)
    return _page(user, department, rename=form, status=400)


@bp.route("/afdelingen/<int:department_id>/leidinggevenden", methods=["POST"])
@login_required
def department_add_manager(department_id: int):
    user = web_user()
    department = operations.department_or_404(user, department_id)
    form = ManagerForm()
    form.user.validate_choice = False  # the operation checks the id: own organisation, active
    if form.validate_on_submit():
        _done, failed = submit(operations.add_manager, user, department, form.user.data, form=form)
        if not failed:
            flash(_("De leidinggevende is toegevoegd."), "success")
            return redirect(url_for("workspace.department", department_id=department_id))
    department = operations.department_or_404(user, department_id)
    fresh = _manager_form(user, department)
    fresh.user.errors = list(form.user.errors)
    return _page(user, department, manager=fresh, status=400)


@bp.route(
    "/afdelingen/<int:department_id>/leidinggevenden/<int:user_id>/verwijderen", methods=["POST"]
)
@login_required
def department_remove_manager(department_id: int, user_id: int):
    user = web_user()
    department = operations.department_or_404(user, department_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    operations.remove_manager(user, department, user_id)
    commit()
    flash(_("De leidinggevende is van deze afdeling gehaald."), "success")
    return redirect(url_for("workspace.department", department_id=department_id))


#: This module's start-page entry points, registered by the domain's ``init_app``.
HOME_LINKS = (
    HomeLink(
        _l("P&O"),
        "workspace.departments",
        _l("Afdelingen en leidinggevenden"),
        _l("Voeg afdelingen toe, hernoem ze en kies wie er leidinggevende is."),
        is_hr,
        order=79,
    ),
)
