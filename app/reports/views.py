"""Report pages (/rapportages): the placements figures, participation, the coordinator's
external rate, and CSV/XLSX exports of every table. Thin: parse the period, call one operation,
render. Coordinators see their arrangement, HR its own organisation; others get 403."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from sqlalchemy.exc import IntegrityError

from app import policy
from app.accounts.auth import web_user
from app.errors import DomainError
from app.extensions import db
from app.ids import page_number
from app.reports import charts, exports, hours, operations, tables
from app.reports.forms import HoursForm, MonthForm, PeriodForm, RateForm
from app.reports.period import today
from app.transaction import commit
from app.web.choices import select_choices
from app.web.navigation import HomeLink, NavItem
from app.web.submit import submit

bp = Blueprint("reports", __name__)

#: Tables of the participation page; every other export name is a table of the overview.
PARTICIPATION_TABLES = ("deelname",)
#: Rows of the organisation-to-organisation table per page (the chart above it shows them all,
#: the exports hold them all).
MATRIX_ROWS_PER_PAGE = 100


def _sees_reports(user) -> bool:
    return policy.allowed(user, "reports.view")


#: This module's menu items, registered by the domain's ``init_app``.
MENU = (NavItem("reports.overview", _l("Rapportages"), _sees_reports, order=70),)
#: This module's start-page entry points, registered by the domain's ``init_app``.
HOME_LINKS = (
    HomeLink(
        _l("Rapportages"),
        "reports.overview",
        _l("Cijfers over detacheringen"),
        _l("Uitlenen en inlenen tussen organisaties, saldo's, open klussen en doorlooptijden."),
        lambda u: u.is_coordinator,
        order=60,
    ),
    HomeLink(
        _l("Rapportages"),
        "reports.participation",
        _l("Deelname"),
        _l("Hoeveel mensen aanbod deden en reageerden, alleen voor groepen die groot genoeg zijn."),
        _sees_reports,
        order=61,
    ),
    HomeLink(
        _l("Rapportages"),
        "reports.finance",
        _l("Financieel overzicht"),
        _l("Wat de ene organisatie de andere verschuldigd is, per maand: uren, bedrag en btw."),
        _sees_reports,
        order=62,
    ),
    HomeLink(
        _l("Rapportages"),
        "reports.trends",
        _l("Trends per maand"),
        _l("Detacheringen, uren, vulgraad en doorlooptijd per maand."),
        _sees_reports,
        order=63,
    ),
    HomeLink(
        _l("P&O"),
        "reports.overview",
        _l("Cijfers over detacheringen"),
        _l("Uitlenen en inlenen van je organisatie, open klussen en doorlooptijden."),
        lambda u: u.is_hr and not u.is_coordinator,
        order=85,
    ),
)


def _report_form(form_class, user):
    """A report's form from the query string, with the organisation choice for coordinators
    (HR's reports are its own organisation's: it gets no choice)."""
    form = form_class(request.args)
    if user.is_coordinator:
        form.organisatie.choices = select_choices(
            [("", _("Alle organisaties"))]
            + [(o.slug, o.name) for o in operations.member_organisations()]
        )
    return form


def _period_form(user) -> PeriodForm:
    return _report_form(PeriodForm, user)


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
    # the chart draws every pair; its table shows them a page at a time
    drawn = charts.for_placements(report, shown, MATRIX_ROWS_PER_PAGE)
    shown["detacheringen"] = tables.paged(
        shown["detacheringen"], page_number(request.args.get("page")), MATRIX_ROWS_PER_PAGE
    )
    return render_template(
        "reports/overview.html",
        form=form,
        report=report,
        tables=shown,
        charts=drawn,
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
        _done, failed = submit(operations.set_external_rate, user, form.rate.data, form=form)
        if not failed:
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


# --- finance statement, trends and realised hours (issue 14) -------------------------------------


def _month_form(user) -> MonthForm:
    return _report_form(MonthForm, user)


def _finance_query(month, organisation) -> dict:
    query = {"maand": month.strftime("%Y-%m")}
    if organisation is not None and web_user().is_coordinator:
        query["organisatie"] = organisation.slug
    return query


@bp.route("/rapportages/financieel")
@login_required
def finance():
    """The finance statement of one month: per organisation pair, its lines and totals."""
    user = web_user()
    policy.require(user, "reports.view")
    form = _month_form(user)
    if not form.validate():
        return render_template("reports/finance.html", form=form, statement=None), 400
    month = form.month(today())
    statement, organisation = operations.finance_statement(
        user, month, form.organisatie.data or None
    )
    return render_template(
        "reports/finance.html",
        form=form,
        statement=statement,
        organisation=organisation,
        tables=tables.finance_tables(statement),
        query=_finance_query(month, organisation),
    )


@bp.route("/rapportages/financieel/<name>/export.<any(csv, xlsx):extension>")
@login_required
def finance_export(name: str, extension: str):
    """A table of the finance statement as CSV (semicolons, UTF-8 with BOM) or XLSX."""
    user = web_user()
    policy.require(user, "reports.view")
    form = _month_form(user)
    if not form.validate():
        abort(400)
    month = form.month(today())
    statement, _organisation = operations.finance_statement(
        user, month, form.organisatie.data or None
    )
    table = tables.finance_tables(statement).get(name)
    if table is None:
        abort(404)
    return _download(table, extension, f"{month:%Y-%m}")


def _download(table, extension: str, label: str) -> Response:
    if extension == "csv":
        body, mimetype = exports.to_csv(table), exports.CSV_MIMETYPE
    else:
        body, mimetype = exports.to_xlsx(table), exports.XLSX_MIMETYPE
    response = Response(body, content_type=mimetype)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="deelkracht-{table.key}-{label}.{extension}"'
    )
    return response


@bp.route("/rapportages/trends")
@login_required
def trends():
    """Placements, hours, fill rate and time to agreement per month: chart, table, export."""
    user = web_user()
    policy.require(user, "reports.view")
    form = _period_form(user)
    if not form.validate():
        return render_template("reports/trends.html", form=form, table=None), 400
    period = form.period()
    months, organisation, k = operations.trends_report(user, period, form.organisatie.data or None)
    table = tables.trends_table(months)
    query = period.query()
    if organisation is not None and user.is_coordinator:
        query["organisatie"] = organisation.slug
    return render_template(
        "reports/trends.html",
        form=form,
        table=table,
        chart=charts.for_trends(table),
        organisation=organisation,
        min_group_size=k,
        period=period,
        query=query,
    )


@bp.route("/rapportages/trends/<name>/export.<any(csv, xlsx):extension>")
@login_required
def trends_export(name: str, extension: str):
    user = web_user()
    policy.require(user, "reports.view")
    form = _period_form(user)
    if not form.validate():
        abort(400)
    if name != "trends":
        abort(404)
    period = form.period()
    months, _organisation, _k = operations.trends_report(
        user, period, form.organisatie.data or None
    )
    label = f"{period.start.isoformat()}-{period.end.isoformat()}"
    return _download(tables.trends_table(months), extension, label)


@bp.route("/detacheringen/<int:match_id>/uren", methods=["GET", "POST"])
@login_required
def realised_hours(match_id: int):
    """The hours worked per month: the borrowing side confirms them, the parties see them."""
    user = web_user()
    match = hours.get_match(user, match_id)
    may_confirm = policy.allowed(user, "match.hours.confirm", match)
    form = HoursForm()
    status = 200
    if request.method == "POST":
        if not may_confirm:
            abort(403)
        if form.validate():
            try:
                hours.confirm(user, match, form.month.data, form.hours.data)
                commit()
            except DomainError as exc:
                form.hours.errors = list(
                    exc.fields.get("hours") or exc.fields.get("month") or [exc.message]
                )
                status = exc.status
            except IntegrityError:  # confirmed by someone else at the same moment
                db.session.rollback()
                form.hours.errors = [_("Tegelijk door iemand anders bevestigd; probeer opnieuw.")]
                status = 409
            else:
                flash(_("De gewerkte uren zijn bevestigd."), "success")
                return redirect(url_for("reports.realised_hours", match_id=match.id))
        else:
            status = 400
    rows = hours.months(match)
    return render_template(
        "reports/hours.html",
        match=match,
        rows=rows,
        may_confirm=may_confirm,
        form=form,
        failed_month=form.month.data if status != 200 else None,
    ), status
