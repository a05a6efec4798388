"""The web shell: home per role, language switch, health checks."""

from __future__ import annotations

import re
from datetime import date, datetime

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_currency, format_date, get_locale
from flask_login import current_user, login_required
from sqlalchemy import select, text

from app import dates
from app.accounts.auth import web_user
from app.contrast import darker
from app.extensions import db
from app.numbers import format_number
from app.outbox.queue import redis_connection
from app.pagination import page_links
from app.policy.roles import managed_department_ids
from app.redirects import safe_next
from app.transaction import commit
from app.web.labels import HELPERS
from app.web.navigation import home_entry_points, home_links, main_navigation
from app.web.start import needs_me_now
from tenants.models import Department

bp = Blueprint("web", __name__)
bp.add_app_template_global(page_links)  # templates/_pagination.html


@bp.app_context_processor
def _template_helpers():

    return {
        **HELPERS,
        "main_navigation": main_navigation,
        "home_links": home_links,
        "current_locale": lambda: str(get_locale() or "nl"),
    }


# Dates, times and numbers in the reader's language, times in Europe/Amsterdam (app.dates):
# {{ job.start_date|date }} → "22 nov 2026" / "Nov 22, 2026"; {{ n.created_at|datetime }} →
# "2 dec 2026, 18:09"; {{ hours|number }}; {{ rate|money }} → "€ 62,50" / "€62.50".
# Use these instead of strftime. Both also read the ISO strings of the data export.
@bp.app_template_filter("date")
def _date(value, width: str | None = None) -> str:
    """The one page style; ``width`` ("long") only where a text spells the month out."""
    if width and value:
        return format_date(_parsed(value), width)
    return dates.day(_parsed(value))


@bp.app_template_filter("datetime")
def _datetime(value) -> str:
    return dates.moment(_parsed(value))


def _parsed(value):
    """ISO text (as the data export holds it) as a date or a naive UTC datetime."""
    if not isinstance(value, str) or not value:
        return value or None
    if len(value) == 10:
        return date.fromisoformat(value)
    return datetime.fromisoformat(value)


@bp.app_template_filter("number")
def _number(value) -> str:
    return format_number(value)


@bp.app_template_filter("money")
def _money(value, currency: str = "EUR") -> str:
    return format_currency(value, currency) if value is not None else ""


@bp.route("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("web.home"))
    return render_template("web/welcome.html")


@bp.route("/start")
@login_required
def home():
    """A landing page that makes sense for each role: first what needs this person now
    (app.web.start), then a few entry points."""

    user = web_user()
    # Asked once per request (app.policy.roles), shared with the blocks and the menu.
    managed_ids = managed_department_ids(user)
    managed = (
        db.session.scalars(
            select(Department).where(Department.id.in_(managed_ids)).order_by(Department.name)
        ).all()
        if managed_ids
        else []
    )
    return render_template(
        "web/home.html",
        user=user,
        roles=user.roles,
        managed_departments=managed,
        arrangement=user.organisation.arrangement,
        blocks=needs_me_now(user),
        entry_points=home_entry_points(user),
    )


@bp.route("/privacy")
@login_required
def privacy():
    """Who can see my offer and my responses? The home organisation's settings, in plain Dutch."""
    user = web_user()
    return render_template("web/privacy.html", organisation=user.organisation)


@bp.route("/taal", methods=["POST"])
def set_language():
    # CSRF-protected form; works without JavaScript.
    choice = request.form.get("locale")
    if choice in current_app.config["LANGUAGES"]:
        session["locale"] = choice
        if current_user.is_authenticated:
            web_user().locale = choice

            commit()
    return redirect(safe_next(request.form.get("next"), "web.index"))


@bp.route("/healthz")
def healthz():
    """The process is up."""
    return jsonify(status="ok")


@bp.route("/.well-known/security.txt")
def security_txt():
    """RFC 9116: where to report a vulnerability, from ``SECURITY_CONTACT`` (one or more,
    comma-separated: ``mailto:`` or ``https:``) and ``SECURITY_EXPIRES`` (an ISO 8601 time).
    Without a contact the file does not exist (404) rather than naming nobody."""
    contacts = [c.strip() for c in (current_app.config.get("SECURITY_CONTACT") or "").split(",")]
    contacts = [c for c in contacts if c]
    expires = current_app.config.get("SECURITY_EXPIRES")
    if not contacts or not expires:
        abort(404)
    lines = [f"Contact: {contact}" for contact in contacts]
    lines.append(f"Expires: {expires}")
    if current_app.config.get("SECURITY_POLICY"):
        lines.append(f"Policy: {current_app.config['SECURITY_POLICY']}")
    lines.append("Preferred-Languages: nl, en")
    base = current_app.config["BASE_URL"].rstrip("/")
    lines.append(f"Canonical: {base}/.well-known/security.txt")
    return current_app.response_class(
        "\n".join(lines) + "\n", mimetype="text/plain", headers={"Cache-Control": "max-age=3600"}
    )


@bp.route("/readyz")
def readyz():
    """The database and (when configured) Redis answer."""
    checks = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception:
        checks["database"] = "unreachable"
    finally:
        db.session.rollback()
    if current_app.config.get("REDIS_URL"):
        try:
            redis_connection().ping()
            checks["redis"] = "ok"
        except Exception:
            checks["redis"] = "unreachable"
    ok = all(value == "ok" for value in checks.values())
    return jsonify(status="ok" if ok else "unavailable", checks=checks), 200 if ok else 503


# --- the organisation's theme (tenant file [organisations.branding]) ---------------------------

LOGO_TYPES = {"image/png", "image/jpeg", "image/svg+xml"}


@bp.route("/thema.css")
@login_required
def theme_css():
    """The caller's organisation's colour as CSS custom properties over the NL Design System
    tokens (app/static/style.css maps them); a stylesheet of our own origin, as the
    Content-Security-Policy allows (no inline styles). The colour reached WCAG AA on white when
    the tenant file was applied (tenants/definitions.py)."""

    colour = (web_user().organisation.brand_colour or "#1f5f8b").lower()
    if not re.fullmatch(r"#[0-9a-f]{6}", colour):
        colour = "#1f5f8b"
    css = (
        ".deelkracht-theme {\n"
        f"  --deelkracht-brand: {colour};\n"
        f"  --deelkracht-brand-dark: {darker(colour)};\n"
        "}\n"
    )
    return current_app.response_class(css, mimetype="text/css")


@bp.route("/thema/logo")
@login_required
def theme_logo():
    """The caller's organisation's logo (PNG, JPEG or SVG from the tenant file), or 404."""
    org = web_user().organisation
    if not org.logo or org.logo_mime not in LOGO_TYPES:
        abort(404)
    response = current_app.response_class(bytes(org.logo), mimetype=org.logo_mime)
    # An SVG opened on its own runs nothing and loads nothing.
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    )
    return response
