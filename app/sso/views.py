"""Browser pages of the sign-in through an organisation's identity provider (issue 12).

``POST /login/werkaccount`` sends the person to the provider of the organisation their e-mail
domain belongs to; the provider sends them back to ``/login/werkaccount/terug`` (one exact
redirect URI for every organisation). Every failure is a page that says what happened, never a
500; a provider that is down or broken affects its own organisation's sign-ins only.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from sqlalchemy import select

from app.accounts.auth import begin_web_session, web_user
from app.accounts.models import SignInProvider
from app.extensions import db
from app.redirects import safe_next
from app.sso import operations
from app.sso.forms import TokenForm, WorkAccountForm
from app.transaction import commit

bp = Blueprint("sso", __name__)
log = logging.getLogger(__name__)

#: Session keys of a sign-in under way and of a session that came from a provider.
PENDING, NEXT, PROVIDER, ID_TOKEN = "sso_pending", "sso_next", "sso_provider", "sso_id_token"

FAILURES = {
    "unreachable": (
        502,
        _l("De inlogdienst van je organisatie is niet bereikbaar"),
        _l(
            "Probeer het over een paar minuten opnieuw. Blijft het mislukken, meld het dan bij de "
            "ICT-afdeling van je organisatie."
        ),
    ),
    "misconfigured": (
        503,
        _l("Inloggen met je werkaccount is nog niet goed ingesteld"),
        _l("Meld het bij de ICT-afdeling van je organisatie."),
    ),
    "cancelled": (
        400,
        _l("Inloggen afgebroken"),
        _l("Je hebt het inloggen bij je organisatie afgebroken. Je kunt het opnieuw proberen."),
    ),
    "expired": (
        400,
        _l("Deze inlogpoging is verlopen"),
        _l("De inlogpoging is al gebruikt of te oud. Begin opnieuw."),
    ),
    "refused": (
        400,
        _l("Je organisatie heeft het inloggen geweigerd"),
        _l(
            "Begin opnieuw. Blijft het mislukken, meld het dan bij de ICT-afdeling van je "
            "organisatie."
        ),
    ),
    "invalid_token": (
        400,
        _l("Het bewijs van je organisatie klopt niet"),
        _l(
            "Het antwoord van de inlogdienst kon niet worden gecontroleerd, dus je bent niet "
            "ingelogd. Begin opnieuw."
        ),
    ),
    "wrong_organisation": (
        403,
        _l("Dit account hoort bij een andere organisatie"),
        _l("Log in via de inlogdienst van de organisatie waar je account bij hoort."),
    ),
    "deactivated": (
        403,
        _l("Je account is niet meer actief"),
        _l("Neem contact op met P&O van je organisatie als je denkt dat dit niet klopt."),
    ),
    "no_email": (
        400,
        _l("Je organisatie gaf geen bevestigd e-mailadres door"),
        _l("Meld het bij de ICT-afdeling van je organisatie."),
    ),
}


def failure_page(reason: str):
    status, title, message = FAILURES.get(reason, FAILURES["refused"])
    return render_template("sso/failed.html", title=title, message=message), status


CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action {}"
)
ORIGIN = "sso_origin"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@bp.after_app_request
def allow_logout_to_provider(response):
    """Logout (a form on every page) redirects a person who signed in through a provider to
    its end_session_endpoint; Chromium holds that redirect to the page's CSP ``form-action``,
    so their pages allow their own provider's origin too."""
    origin = session.get(ORIGIN)
    if not origin:
        return response
    policy = response.headers.get("Content-Security-Policy")
    if policy is None:
        response.headers["Content-Security-Policy"] = CSP.format(f"'self' {origin}")
    elif "form-action 'self'" in policy and origin not in policy:
        response.headers["Content-Security-Policy"] = policy.replace(
            "form-action 'self'", f"form-action 'self' {origin}"
        )
    return response


def login_form_action() -> str:
    """The login page's CSP ``form-action``: the form's redirect to a provider is a navigation
    of that form, which Chromium checks against it, so the providers' origins are allowed."""
    origins = {"'self'"}
    for issuer in db.session.scalars(select(SignInProvider.issuer)):
        origins.add(_origin(issuer))
    return " ".join(sorted(origins))


@bp.route("/login/werkaccount", methods=["POST"])
def start():
    form = WorkAccountForm(prefix="work")
    if not form.validate_on_submit():
        flash(_("Vul je e-mailadres van je werk in."), "error")
        return redirect(url_for("accounts.login"))
    provider = operations.provider_for_email(form.email.data)
    if provider is None:
        flash(
            _(
                "Je organisatie logt niet in via een eigen inlogdienst. Log in met je "
                "e-mailadres en wachtwoord."
            ),
            "info",
        )
        return redirect(url_for("accounts.login"))
    try:
        response = operations.authorization_redirect(
            provider, url_for("sso.callback", _external=True), login_hint=form.email.data
        )
    except operations.SignInError as exc:
        log.warning("sign-in through provider %s failed: %s", provider.id, exc)
        return failure_page(exc.reason)
    session[PENDING] = provider.id
    session[NEXT] = request.args.get("next") or ""
    return response


@bp.route("/login/werkaccount/terug")
def callback():
    provider_id = session.pop(PENDING, None)
    provider = db.session.get(SignInProvider, provider_id) if provider_id else None
    if provider is None:
        return failure_page("expired")
    try:
        claims, id_token = operations.finish(provider)
        user = operations.sign_in(provider, claims)
    except operations.SignInError as exc:
        log.warning("sign-in through provider %s failed: %s", provider.id, exc)
        db.session.rollback()
        return failure_page(exc.reason)
    target = safe_next(session.pop(NEXT, None))
    begin_web_session(
        user, **{PROVIDER: provider.id, ID_TOKEN: id_token, ORIGIN: _origin(provider.issuer)}
    )
    commit()
    return redirect(target)


def provider_logout_url() -> str | None:
    """Where logout sends a browser that signed in through a provider (before the session is
    cleared): the provider's end_session_endpoint, back to the login page; else None."""
    provider_id, id_token = session.get(PROVIDER), session.get(ID_TOKEN)
    if not provider_id or not id_token:
        return None
    provider = db.session.get(SignInProvider, provider_id)
    if provider is None:
        return None
    return operations.logout_url(provider, id_token, url_for("accounts.login", _external=True))


@bp.route("/api-tokens", methods=["GET", "POST"])
@login_required
def api_tokens():
    """Personal API tokens: made here (shown once), listed, revoked. For everyone, and the only
    way to the API for people whose organisation signs them in through its provider."""

    user = web_user()
    form = TokenForm()
    issued = None
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        issued = operations.create_personal_token(user)
        commit()
    return render_template(
        "sso/api_tokens.html", form=form, issued=issued, tokens=operations.personal_tokens(user)
    )


@bp.route("/api-tokens/<token_id>/intrekken", methods=["POST"])
@login_required
def revoke_api_token(token_id: str):

    if not TokenForm().validate_on_submit():
        abort(400)
    if not operations.revoke_personal_token(web_user(), token_id):
        abort(404)
    commit()
    flash(_("Het token is ingetrokken."), "success")
    return redirect(url_for("sso.api_tokens"))
