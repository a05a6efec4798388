"""Sign-in through an organisation's own OpenID provider (issue 12).

The organisation is the one whose provider signed the person in: the provider is chosen before
the person leaves (by the e-mail domain typed on the login page) and remembered in the session,
so no claim the person controls can move them into another organisation. Identity is the pair
(issuer, ``sub``), never the e-mail. The protocol work — discovery, authorization code flow with
PKCE (S256), ``state`` and ``nonce``, the ID token's signature (JWKS, fetched again on an unknown
key id: key rotation), ``iss``, ``aud``, ``exp``, ``iat``, ``nonce`` — is Authlib's; we write no
JOSE code.
"""

from __future__ import annotations

import os
import threading

from authlib.integrations.base_client import OAuthError
from authlib.integrations.flask_client import FlaskOAuth2App
from authlib.integrations.flask_client.integration import FlaskIntegration
from flask import current_app
from joserfc.errors import JoseError
from requests import RequestException
from sqlalchemy import select

from app.accounts.models import AuthSession, SignInProvider, User, normalise_email
from app.accounts.operations import create_user, find_identity, start_session, tell_existing_holder
from app.extensions import db
from tenants.context import set_arrangement
from tenants.models import utcnow

#: Seconds to wait for a provider: a slow provider of one organisation must not hold the
#: others' sign-ins (each request waits for its own provider only).
TIMEOUT = 5
#: Clock skew allowed on ``iat``/``exp`` (seconds).
LEEWAY = 60


class SignInError(Exception):
    """A sign-in that cannot go on; ``reason`` picks the page the person sees."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason


def provider_for_email(email: str) -> SignInProvider | None:
    """The provider of the organisation whose e-mail domain this is (None: password login)."""
    domain = normalise_email(email).rpartition("@")[2]
    if not domain:
        return None
    for provider in db.session.scalars(select(SignInProvider)):
        if domain in provider.domains:
            return provider
    return None


_clients: dict[tuple, FlaskOAuth2App] = {}
_lock = threading.Lock()


def client_for(provider: SignInProvider) -> FlaskOAuth2App:
    """Authlib's client for this provider, kept per process so its discovery document and key
    set are fetched once (and the key set again when a token names an unknown key)."""
    secret = os.environ.get(provider.client_secret_env)
    if not secret:
        raise SignInError("misconfigured", f"{provider.client_secret_env} is not set")
    key = (provider.id, provider.issuer, provider.client_id, secret)
    with _lock:
        client = _clients.get(key)
        if client is None:
            name = f"org{provider.organisation_id}"
            client = FlaskOAuth2App(
                FlaskIntegration(name),
                name,
                client_id=provider.client_id,
                client_secret=secret,
                server_metadata_url=provider.issuer.rstrip("/")
                + "/.well-known/openid-configuration",
                client_kwargs={
                    "scope": "openid email profile",
                    "code_challenge_method": "S256",
                    "default_timeout": TIMEOUT,
                },
            )
            _clients[key] = client
    return client


def _metadata(provider: SignInProvider, client: FlaskOAuth2App) -> dict:
    try:
        metadata = client.load_server_metadata()
    except (RequestException, ValueError) as exc:
        raise SignInError("unreachable", repr(exc)) from exc
    if metadata.get("issuer") != provider.issuer:
        # A discovery document that names another issuer: refuse (mix-up protection).
        raise SignInError("misconfigured", f"issuer {metadata.get('issuer')!r}")
    return metadata


def authorization_redirect(provider: SignInProvider, redirect_uri: str, login_hint: str = ""):
    """The redirect to the provider (state, nonce and PKCE verifier kept in the session)."""
    client = client_for(provider)
    _metadata(provider, client)
    try:
        extra = {"login_hint": login_hint} if login_hint else {}
        return client.authorize_redirect(redirect_uri, **extra)
    except RequestException as exc:
        raise SignInError("unreachable", repr(exc)) from exc


def finish(provider: SignInProvider) -> tuple[dict, str]:
    """Exchange the code from the callback and check the ID token; its claims and raw value."""
    client = client_for(provider)
    _metadata(provider, client)
    try:
        token = client.authorize_access_token(leeway=LEEWAY)
    except OAuthError as exc:
        if exc.error == "access_denied":
            raise SignInError("cancelled", str(exc)) from exc
        if exc.error == "mismatching_state":
            raise SignInError("expired", str(exc)) from exc
        raise SignInError("refused", str(exc)) from exc
    except RequestException as exc:
        raise SignInError("unreachable", repr(exc)) from exc
    except (JoseError, ValueError) as exc:  # signature, claims (iss, aud, exp, iat, nonce)
        raise SignInError("invalid_token", repr(exc)) from exc
    claims = token.get("userinfo")
    if not claims or not claims.get("sub"):
        raise SignInError("invalid_token", "no ID token")
    claims = dict(claims)
    if "email" not in claims and client.server_metadata.get("userinfo_endpoint"):
        # Providers that keep the ID token small (as OpenID Connect advises) give the e-mail
        # at the userinfo endpoint; it counts only for the same ``sub``.
        try:
            info = client.userinfo(token=token)
        except (RequestException, OAuthError, ValueError) as exc:
            raise SignInError("unreachable", repr(exc)) from exc
        if info.get("sub") == claims["sub"]:
            for key in ("email", "email_verified", "name"):
                if key in info:
                    claims[key] = info[key]
    return claims, token["id_token"]


def sign_in(provider: SignInProvider, claims: dict) -> User:
    """The account for these verified claims, in the provider's own organisation.

    Found by (issuer, ``sub``). Else an account of the same organisation with the same verified
    e-mail and no provider identity yet is linked, once. Else one is made just in time. An
    address that has an account outside the organisation is not refused (that would tell the
    organisation so): the new account gets no password login, and the holder hears of it, as
    with invitations (:func:`app.accounts.operations.invite`).
    """
    set_arrangement(provider.arrangement_id)
    subject = str(claims["sub"])
    user = db.session.scalar(
        select(User).where(User.sso_issuer == provider.issuer, User.sso_subject == subject)
    )
    if user is not None:
        if user.organisation_id != provider.organisation_id:
            raise SignInError("wrong_organisation", f"user {user.id}")
        if not user.active:
            raise SignInError("deactivated", f"user {user.id}")
        return user
    email = normalise_email(str(claims.get("email") or ""))
    if not email or claims.get("email_verified") is False:
        raise SignInError("no_email", "no verified e-mail claim")
    user = db.session.scalar(
        select(User).where(User.organisation_id == provider.organisation_id, User.email == email)
    )
    if user is not None:
        if user.sso_subject is not None:
            raise SignInError("wrong_organisation", f"user {user.id} has another identity")
        if not user.active:
            raise SignInError("deactivated", f"user {user.id}")
        user.sso_issuer, user.sso_subject = provider.issuer, subject
        db.session.flush()
        return user
    identity = find_identity(email)
    name = str(claims.get("name") or email.partition("@")[0])[:200]
    user = create_user(
        organisation_id=provider.organisation_id,
        email=email,
        name=name,
        login_identity=identity is None,
        sso_issuer=provider.issuer,
        sso_subject=subject,
    )
    if identity is not None:
        tell_existing_holder(identity)
    return user


def logout_url(provider: SignInProvider, id_token: str, return_to: str) -> str | None:
    """The provider's ``end_session_endpoint`` for RP-initiated logout, when it offers one."""
    try:
        client = client_for(provider)
        metadata = _metadata(provider, client)
    except SignInError:
        return None
    if not metadata.get("end_session_endpoint"):
        return None
    return client.create_logout_url(
        post_logout_redirect_uri=return_to, id_token_hint=id_token, client_id=provider.client_id
    )["url"]


# --- personal API tokens (people who sign in through a provider have no password) ----------


def personal_tokens(user: User) -> list:
    """The person's live API tokens, newest first (hashes only: the tokens are not kept)."""

    return list(
        db.session.scalars(
            select(AuthSession)
            .where(
                AuthSession.user_id == user.id,
                AuthSession.arrangement_id == user.arrangement_id,
                AuthSession.kind == "api",
                AuthSession.ended_at.is_(None),
                AuthSession.expires_at > utcnow(),
            )
            .order_by(AuthSession.created_at.desc())
        )
    )


def create_personal_token(user: User):
    """A new API token, shown once; stored as its hash, like every token."""

    return start_session(user, "api", current_app.config["PERSONAL_API_TOKEN_LIFETIME"])


def revoke_personal_token(user: User, token_id: str) -> bool:
    """End one of the person's own tokens, named by the start of its hash; False if none."""

    if len(token_id) != 12 or not token_id.isalnum():
        return False
    for row in personal_tokens(user):
        if row.token_hash.startswith(token_id):
            row.ended_at = utcnow()
            db.session.flush()
            return True
    return False
