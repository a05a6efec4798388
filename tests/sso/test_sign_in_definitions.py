"""An organisation's identity provider in the arrangement's TOML file, applied with
`deelkracht tenants apply` (issue 12): applied, changed, removed; an invalid table refused with
line and field, and nothing applied."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.accounts.models import SignInProvider
from tests.foundation.test_tenant_definitions import GOOD, _apply, _write

pytestmark = pytest.mark.sqlite

SIGN_IN = """
[organisations.sign_in]
issuer = "https://login.microsoftonline.com/0000-epe/v2.0"
client_id = "deelkracht-epe"
client_secret_env = "EPE_OIDC_CLIENT_SECRET"
email_domains = ["epe.nl", "gemeente-epe.nl"]
password_login = false
"""


def with_sign_in(text: str = SIGN_IN) -> str:
    # The table belongs to the first organisation (Epe): insert it before Epe's departments.
    marker = "[[organisations.departments]]"
    index = GOOD.index(marker)
    return GOOD[:index] + text.lstrip() + "\n" + GOOD[index:]


def providers(app, in_arrangement):
    with app.app_context():
        from app.extensions import db

        return [
            (p.issuer, p.client_id, p.client_secret_env, p.email_domains, p.password_login)
            for p in db.session.scalars(select(SignInProvider))
        ]


def test_sign_in_is_applied_changed_and_removed(app, in_arrangement, tmp_path):
    """The table creates the provider (the secret's variable name, never the secret); editing
    it updates it in place; removing it switches the organisation back to password login."""
    assert _apply(app, _write(tmp_path, "v.toml", with_sign_in())).exit_code == 0
    assert providers(app, in_arrangement) == [
        (
            "https://login.microsoftonline.com/0000-epe/v2.0",
            "deelkracht-epe",
            "EPE_OIDC_CLIENT_SECRET",
            "epe.nl gemeente-epe.nl",
            False,
        )
    ]
    changed = with_sign_in(SIGN_IN.replace("password_login = false", "password_login = true"))
    assert _apply(app, _write(tmp_path, "v.toml", changed)).exit_code == 0
    assert providers(app, in_arrangement)[0][4] is True
    assert _apply(app, _write(tmp_path, "v.toml", GOOD)).exit_code == 0
    assert providers(app, in_arrangement) == []


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ('client_secret_env = "EPE_OIDC_CLIENT_SECRET"', "client_secret"),
        ('issuer = "https://login.microsoftonline.com/0000-epe/v2.0"', "issuer"),
        ('email_domains = ["epe.nl", "gemeente-epe.nl"]', "email_domains"),
    ],
)
def test_an_invalid_sign_in_table_is_refused_with_line_and_field(
    bad, field, app, in_arrangement, tmp_path
):
    """A secret in the file (an unknown key), a missing issuer, a malformed domain: refused,
    naming the line and the field, and nothing of the file applied."""
    replacement = {
        "client_secret_env": 'client_secret_env = "EPE_OIDC_CLIENT_SECRET"\nclient_secret = "x"',
        "issuer": 'issuer = "niet een adres"',
        "email_domains": 'email_domains = ["Epe NL"]',
    }[bad.split(" ", 1)[0]]
    text = with_sign_in(SIGN_IN.replace(bad, replacement))
    result = _apply(app, _write(tmp_path, "v.toml", text))
    assert result.exit_code != 0
    assert re.search(r"regel \d+", result.output) and field in result.output, result.output
    assert providers(app, in_arrangement) == []
