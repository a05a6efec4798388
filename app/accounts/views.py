"""Log in and out, password reset, invitations (browser pages)."""

from __future__ import annotations

import time

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import login_required, logout_user
from sqlalchemy import select

from app.accounts import devices, links, operations
from app.accounts.auth import (
    begin_web_session,
    forget_cached_user,
    touch_session_after_request,
    web_user,
)
from app.accounts.forms import InviteForm, LoginForm, LogoutForm, NewPasswordForm, ResetRequestForm
from app.dates import wait_text
from app.extensions import db
from app.policy import require
from app.redirects import safe_next
from app.sso.forms import WorkAccountForm
from app.sso.views import CSP, login_form_action, provider_logout_url
from app.transaction import commit
from app.web.choices import select_choices
from tenants.models import Department

bp = Blueprint("accounts", __name__)
bp.before_app_request(forget_cached_user)
bp.teardown_app_request(touch_session_after_request)


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    retry_after = 0
    status = 200
    if form.validate_on_submit():
        try:
            user = operations.authenticate(
                form.email.data,
                form.password.data,
                request.remote_addr or "-",
                request.cookies.get(devices.COOKIE),
            )
        except operations.Throttled as exc:
            form.form_errors.append(
                _(
                    "Te veel mislukte pogingen. Probeer het over %(wait)s opnieuw of vraag een "
                    "nieuw wachtwoord aan.",
                    wait=wait_text(exc.retry_after),
                )
            )
            retry_after = exc.retry_after
            status = 429
        except operations.InvalidCredentials:
            form.form_errors.append(_("Dit e-mailadres en wachtwoord horen niet bij elkaar."))
            status = 401
        except operations.PasswordLoginOff:
            form.form_errors.append(
                _("Je organisatie laat je inloggen met je werkaccount. Gebruik die knop hieronder.")
            )
            status = 403
        else:
            begin_web_session(user)
            commit()
            response = redirect(safe_next(request.args.get("next")))
            devices.remember(response, form.email.data)  # a known device from now on
            return response
    elif request.method == "POST":
        status = 400

    response = make_response(
        render_template("accounts/login.html", form=form, work_form=WorkAccountForm(prefix="work")),
        status,
    )
    response.headers["Content-Security-Policy"] = CSP.format(login_form_action())
    if status == 429:
        response.headers["Retry-After"] = str(max(retry_after, 1))
    return response


@bp.route("/logout", methods=["POST"])
def logout():
    form = LogoutForm()
    if not form.validate_on_submit():
        abort(400)
    operations.end_session(session.get("sid"))
    commit()
    logout_user()

    provider_logout = provider_logout_url()
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    flash(_("Je bent uitgelogd."), "info")
    # Signed in through the organisation's provider: end that session too, where it offers
    # an end_session_endpoint (it sends the browser back to the login page).
    return redirect(provider_logout or url_for("accounts.login"))


def _answer_no_sooner_than(moment: float) -> None:
    """Wait until ``moment`` (``time.monotonic()``) before answering.

    Rule: a reset request is answered after the same fixed time whether or not the address has
    an account. Why: for a known address the link is made, recorded and (without Redis) sent
    before the answer, 19-39 ms against at most 17 ms for an unknown one, so the answer's timing
    told which addresses exist (issue 10, finding 5); the words were already the same. The
    floor (``RESET_REQUEST_SECONDS``) lies above the known path's work, so both take it. A
    request is rare and throttled per address, so the wait costs little.
    """
    remaining = moment - time.monotonic()
    if remaining > 0:
        time.sleep(remaining)


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        started = time.monotonic()
        operations.request_password_reset(form.email.data)
        commit()
        _answer_no_sooner_than(started + current_app.config["RESET_REQUEST_SECONDS"])
        # Same answer for known and unknown addresses.
        flash(_("Als dit adres bij ons bekend is, ontvang je een e-mail met een link."), "info")
        return redirect(url_for("accounts.login"))
    status = 400 if request.method == "POST" else 200
    return render_template("accounts/reset_request.html", form=form), status


def _set_password_page(purpose: str, token: str, template: str):
    user = links.user_from_link_token(token, purpose)
    if user is None:
        return render_template("accounts/link_invalid.html"), 404
    form = NewPasswordForm()
    form.password_user = user
    if form.validate_on_submit():
        operations.set_password(user, form.password.data)  # the same rule, checked again
        commit()
        flash(_("Je wachtwoord is ingesteld. Log in met je nieuwe wachtwoord."), "success")
        return redirect(url_for("accounts.login"))
    status = 400 if request.method == "POST" else 200
    return render_template(template, form=form, user=user), status


@bp.route("/wachtwoord-herstellen/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    return _set_password_page("reset", token, "accounts/reset_password.html")


@bp.route("/uitnodiging/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    return _set_password_page("invite", token, "accounts/accept_invitation.html")


@bp.route("/medewerkers/uitnodigen", methods=["GET", "POST"])
@login_required
def invite():
    user = web_user()
    require(user, "staff.invite", user.organisation)
    form = InviteForm()
    departments = db.session.scalars(
        select(Department).where(Department.organisation_id == user.organisation_id)
    ).all()
    form.department.choices = select_choices(
        [(0, _("Geen afdeling"))] + [(d.id, d.name) for d in departments]
    )
    if form.validate_on_submit():
        # An address with an account outside the own organisation gets the same answer as a
        # new one (operations.invite says why and what happens instead).
        try:
            operations.invite(
                user,
                email=form.email.data,
                name=form.name.data,
                department_id=form.department.data or None,
            )
        except operations.AlreadyStaff:
            form.email.errors.append(
                _("Dit e-mailadres hoort al bij een collega van je organisatie.")
            )
        except operations.InvalidDepartment:
            form.department.errors.append(_("Kies een afdeling van je eigen organisatie."))
        else:
            commit()
            flash(_("De uitnodiging is verstuurd."), "success")
            return redirect(url_for("accounts.invite"))
    status = 400 if request.method == "POST" else 200
    return render_template("accounts/invite.html", form=form), status
