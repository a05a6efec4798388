"""Pages of the HR workspace: one blueprint, the pages in one module per subject.

This module holds the staff pages (list and search, one staff member, deactivate, re-activate).
Thin: parse, call one operation, render. Everything is the caller's own organisation only.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from app.accounts.auth import web_user
from app.errors import put_on_form
from app.extensions import db
from app.pagination import page_of
from app.policy import require
from app.transaction import commit
from app.web.choices import SelectChoice, select_choices
from app.web.navigation import HomeLink, NavItem
from app.workspace import operations
from app.workspace.data_rights import IN_FORCE
from app.workspace.forms import ActionForm, StaffForm, StaffSearchForm

bp = Blueprint("workspace", __name__)
PER_PAGE = 50


def is_hr(user) -> bool:
    return bool(user.is_hr)


def department_choices(organisation_id: int, *, none_label) -> list[SelectChoice]:
    return select_choices(
        [(0, none_label)] + [(d.id, d.name) for d in operations.departments_of(organisation_id)]
    )


#: The staff list's filters, which its page links carry on (nothing else of a query string).
STAFF_FILTERS = ("q", "department", "status")


@bp.route("/medewerkers")
@login_required
def staff():
    """The own organisation's staff, searchable by name, e-mail, department and number."""
    user = web_user()
    require(user, "staff.manage", user.organisation)
    form = StaffSearchForm(request.args)
    form.department.choices = select_choices(
        [("", _("Alle afdelingen")), (0, _("Geen afdeling"))]
        + [(d.id, d.name) for d in operations.departments_of(user.organisation_id)]
    )
    valid = form.validate()
    department = form.department.data if valid else None
    stmt = operations.staff_query(
        user,
        q=(form.q.data or "") if valid else "",
        department_id=department,
        status=(form.status.data or "") if valid else "",
    )
    result = page_of(stmt, PER_PAGE)
    return render_template(
        "workspace/staff/list.html",
        form=form,
        result=result,
        args={k: v for k, v in request.args.items() if k in STAFF_FILTERS},
    ), (200 if valid else 400)


def _staff_form(user, member, formdata=None) -> StaffForm:
    if formdata is None:
        form = StaffForm(
            formdata=None,
            obj=member,
            department=member.department_id or 0,
        )
    else:
        form = StaffForm()
    form.department.choices = department_choices(
        user.organisation_id, none_label=_("Geen afdeling")
    )
    return form


def _detail(user, member, form, status=200):

    return render_template(
        "workspace/staff/detail.html",
        member=member,
        form=form,
        action=ActionForm(),
        erased=operations.is_erased(member),
        managed=operations.managed_departments_of(member),
        in_force=IN_FORCE,
    ), status


@bp.route("/medewerkers/<int:user_id>", methods=["GET", "POST"])
@login_required
def staff_detail(user_id: int):
    """One staff member: record, department, HR role; links to deactivate and erase."""
    user = web_user()
    member = operations.staff_member_or_404(user, user_id)
    if request.method == "GET":
        return _detail(user, member, _staff_form(user, member))
    form = _staff_form(user, member, request.form)
    if form.validate_on_submit():
        try:
            operations.update_member(
                user,
                member,
                name=form.name.data,
                department_id=form.department.data or None,
                job_title=form.job_title.data or "",
                personnel_number=form.personnel_number.data or "",
                contract_hours=form.contract_hours.data,
                is_hr=bool(form.is_hr.data),
            )
        except operations.FieldErrors as exc:
            db.session.rollback()
            put_on_form(form, exc)
        except operations.Conflict as exc:
            db.session.rollback()
            flash(str(exc), "error")
            member = operations.staff_member_or_404(user, user_id)
            return _detail(user, member, form, 409)
        else:
            commit()
            flash(_("De gegevens zijn opgeslagen."), "success")
            return redirect(url_for("workspace.staff_detail", user_id=member.id))
    member = operations.staff_member_or_404(user, user_id)
    return _detail(user, member, form, 400)


def _state_change(user_id: int, operation, message: str):
    user = web_user()
    member = operations.staff_member_or_404(user, user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        operation(user, member)
    except operations.Conflict as exc:
        db.session.rollback()
        flash(str(exc), "error")
        member = operations.staff_member_or_404(user, user_id)
        return _detail(user, member, _staff_form(user, member), 409)
    commit()
    flash(message, "success")
    return redirect(url_for("workspace.staff_detail", user_id=user_id))


@bp.route("/medewerkers/<int:user_id>/deactiveren", methods=["POST"])
@login_required
def staff_deactivate(user_id: int):
    """Deactivate: the member's open sessions and API tokens end at once."""
    return _state_change(
        user_id,
        operations.deactivate_member,
        _("Het account is gedeactiveerd. Alle sessies en tokens zijn beëindigd."),
    )


@bp.route("/medewerkers/<int:user_id>/activeren", methods=["POST"])
@login_required
def staff_reactivate(user_id: int):
    return _state_change(user_id, operations.reactivate_member, _("Het account is weer actief."))


#: This module's menu items, registered by the domain's ``init_app``.
MENU = (NavItem("workspace.staff", _l("Medewerkers"), is_hr, order=70),)
#: This module's start-page entry points, registered by the domain's ``init_app``.
HOME_LINKS = (
    HomeLink(
        _l("P&O"),
        "workspace.staff",
        _l("Medewerkers"),
        _l(
            "Zoek collega's van je organisatie, pas hun gegevens en rollen aan, of deactiveer "
            "een account."
        ),
        is_hr,
        order=78,
    ),
)

# Imported for their routes on `bp` (each module: `from app.workspace.views import bp`).
from app.workspace import (  # noqa: E402,F401
    department_views,
    import_views,
    organisation_views,
    rights_views,
)
