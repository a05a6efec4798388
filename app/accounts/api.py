"""API: tokens and /me (CONTRACT.md)."""

from __future__ import annotations

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from app.accounts import operations
from app.accounts.auth import api_auth
from app.accounts.schemas import MeSchema, TokenRequestSchema, TokenSchema
from app.transaction import commit

blp = Blueprint("accounts_api", __name__, url_prefix="/api/v1", description="Accounts")


@blp.route("/auth/token")
class Token(MethodView):
    @blp.arguments(TokenRequestSchema, error_status_code=400)
    @blp.response(200, TokenSchema)
    @blp.alt_response(401, description="Wrong e-mail or password (one answer for both)")
    @blp.alt_response(429, description="Too many failed attempts")
    @blp.alt_response(403, description="The organisation signs its staff in through its provider")
    def post(self, data):
        """Exchange e-mail and password for a bearer token."""
        try:
            user = operations.authenticate(
                data["email"], data["password"], request.remote_addr or "-"
            )
        except operations.Throttled as exc:
            abort(
                429,
                message="Te veel mislukte pogingen / too many failed attempts",
                headers={"Retry-After": str(max(exc.retry_after, 1))},
            )
        except operations.InvalidCredentials:
            abort(401, message="Onjuist e-mailadres of wachtwoord / wrong e-mail or password")
        except operations.PasswordLoginOff:
            abort(
                403,
                message="Je organisatie laat je inloggen met je werkaccount; maak een persoonlijk "
                "API-token aan op de site / your organisation signs you in through its identity "
                "provider: create a personal API token on the site",
            )
        issued = operations.start_session(user, "api")
        commit()
        return {"token": issued.token, "expires_at": issued.expires_at}


@blp.route("/me")
class Me(MethodView):
    @blp.doc(security=[{"bearer": []}])
    @blp.response(200, MeSchema)
    @api_auth
    def get(self, user):
        """Who am I: name, roles, organisation and arrangement."""
        return user
