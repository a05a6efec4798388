"""Report pages (/rapportages): the placements figures, participation, the coordinator's
external rate, and CSV/XLSX exports of every table. Thin: parse the period, call one operation,
render. Coordinators see their arrangement, HR its own organisation; others get 403."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from app import policy
from app.accounts.auth import web_user
from app.reports import charts, exports, operations, tables
from app.reports.forms import PeriodForm, RateForm
from app.transaction import commit
from app.web.choices import select_choices
from app.web.navigation import add, add_home_link

bp = Blueprint("reports", __name__)

#: Tables of the participation page; every other export name is a table of the overview.
PARTICIPATION_TABLES = ("deelname",)


def _sees_reports(user) -> bool:
    return operations.may_see_reports(user)


add("reports.overview", _l("Rapportages"), _sees_reports, order=70)
add_home_link(
    _l("Rapportages"),
    "reports.overview",
    _l("Cijfers over detacheringen"),
    _l("Uitlenen en inlenen tussen organisaties, saldo's, open klussen en doorlooptijden."),
    lambda u: u.is_coordinator,
    order=60,
)
add_home_link(
    _l("Rapportages"),
    "reports.participation",
    _l("Deelname"),
    _l("Hoeveel mensen aanbod deden en reageerden, alleen voor groepen die groot genoeg zijn."),
    _sees_reports,
    order=61,
)
add_home_link(
    _l("P&O"),
    "reports.overview",
    _l("Cijfers over detacheringen"),
    _l("Uitlenen en inlenen van je organisatie, open klussen en doorlooptijden."),
    lambda u: u.is_hr and not u.is_coordinator,
    order=85,
)


def _period_form(user) -> PeriodForm:
    """The period form, with the organisation choice for coordinators."""
    form = PeriodForm(request.args)
    if user.is_coordinator:
        form.organisatie.choices = select_choices(
            [("", _("Alle organisaties"))]
            + [(o.slug, o.name) for o in operations.member_organisations()]
        )
    return form


def _query(report) -> dict:
    query = report.period.query()
    if report.organisation is not None and web_user().is_coordinator:
        query["organisatie"] = report.organisation.slug
    return query


@bp.route("/rapportages")
@login_required
def overview():
    """The placements figures over a period (default: this year)."""
    user = web_user()
    policy.require(user, "reports.view")
    form = _period_form(user)
    if not form.validate():
        return render_template("reports/overview.html", form=form, report=None), 400
    report = operations.placements_report(user, form.period(), form.organisatie.data or None)
    shown = tables.placements_tables(report)
    return render_template(
        "reports/overview.html",
        form=form,
        report=report,
        tables=shown,
        charts=charts.for_placements(report, shown),
        query=_query(report),
        rate_form=RateForm(formdata=None, rate=report.external_rate),
    )


@bp.route("/rapportages/deelname")
@login_required
def participation():
    """People who offered and responded, per group that is large enough."""
    user = web_user()
    policy.require(user, "reports.view")
    form = _period_form(user)
    if not form.validate():
        return render_template("reports/participation.html", form=form, report=None), 400
    report = operations.participation_report(user, form.period(), form.organisatie.data or None)
    return render_template(
        "reports/participation.html",
        form=form,
        report=report,
        table=tables.participation_table(report),
        query=_query(report),
    )


@bp.route("/rapportages/extern-tarief", methods=["POST"])
@login_required
def external_rate():
    """The coordinator sets the external hourly rate used for "hiring avoided"."""
    user = web_user()
    policy.require(user, "reports.external_rate", None)
    form = RateForm()
    if form.validate():
        try:
            operations.set_external_rate(user, form.rate.data)
        except operations.InvalidRate as exc:
            form.rate.errors = list(exc.fields["rate"])
        else:
            commit()
            flash(_("Het externe uurtarief is opgeslagen."), "success")
            return redirect(url_for("reports.overview", **_back()))
    return render_template("reports/rate.html", form=form, back=_back()), 400


def _back() -> dict:
    """The period the coordinator was looking at (from the form's hidden fields)."""
    return {k: request.form[k] for k in ("van", "tot", "organisatie") if request.form.get(k)}


@bp.route("/rapportages/<name>/export.<any(csv, xlsx):extension>")
@login_required
def export(name: str, extension: str):
    """One table of a report page as CSV or XLSX: the same figures as on the page."""
    user = web_user()
    policy.require(user, "reports.view")
    form = _period_form(user)
    if not form.validate():
        abort(400)
    slug = form.organisatie.data or None
    if name in PARTICIPATION_TABLES:
        table = tables.participation_table(
            operations.participation_report(user, form.period(), slug)
        )
    else:
        report = operations.placements_report(user, form.period(), slug)
        table = tables.placements_tables(report).get(name)
    if table is None:
        abort(404)
    if extension == "csv":
        body, mimetype = exports.to_csv(table), exports.CSV_MIMETYPE
    else:
        body, mimetype = exports.to_xlsx(table), exports.XLSX_MIMETYPE
    response = Response(body, content_type=mimetype)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{exports.filename(table, form.period(), extension)}"'
    )
    return response
