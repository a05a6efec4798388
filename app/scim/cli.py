"""`deelkracht scim token ORG_SLUG`: a new SCIM bearer token for an organisation."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.extensions import db
from app.scim.operations import issue_token
from tenants.context import use_arrangement
from tenants.models import Arrangement, Organisation

scim_cli = AppGroup("scim", help="SCIM 2.0 provisioning.")


@scim_cli.command("token")
@click.argument("organisation")
def token_command(organisation: str) -> None:
    """Print a new SCIM token for ORGANISATION (its slug, or ARRANGEMENT/SLUG when the slug is
    used in more than one arrangement) on the last line. Earlier tokens stop working; only the
    token's hash is stored, so it cannot be shown again."""

    arrangement_slug, _, slug = organisation.rpartition("/")
    # One arrangement at a time: row-level security shows an arrangement's organisations only
    # inside it.
    arrangements = select(Arrangement).order_by(Arrangement.slug)
    if arrangement_slug:
        arrangements = arrangements.where(Arrangement.slug == arrangement_slug)
    found = []
    for arrangement in db.session.scalars(arrangements).all():
        with use_arrangement(arrangement.id):
            org = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
            if org is not None:
                found.append((org, arrangement.slug))
    if not found:
        raise click.ClickException(f"no organisation {organisation!r}")
    if len(found) > 1:
        names = ", ".join(f"{arr}/{org.slug}" for org, arr in found)
        raise click.ClickException(f"{slug!r} is ambiguous: name one of {names}")
    org, arrangement = found[0]
    label = f"{arrangement}/{org.slug}"
    with use_arrangement(org.arrangement_id):
        token = issue_token(org)
        db.session.commit()
    click.echo(f"SCIM token for {label} (earlier tokens are revoked):")
    click.echo(token)
