"""Sign-in routes: no tenant data before the sign-in, so outsiders get no 404 case here."""

from tests.route_cases import PUBLIC

PUBLIC["sso.start"] = "sends a work e-mail to its organisation's provider; no tenant data"
PUBLIC["sso.callback"] = "the provider's redirect; signs in the person the provider vouches for"

from tests.route_cases import OWN_DATA  # noqa: E402

OWN_DATA["sso.api_tokens"] = "the caller's own API tokens"
OWN_DATA["sso.revoke_api_token"] = "revokes only the caller's own tokens (404 otherwise; tested)"
