"""`deelkracht tenants apply FILE`."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.extensions import db
from tenants import definitions

tenants_cli = AppGroup("tenants", help="Arrangement definitions (TOML).")


@tenants_cli.command("apply")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def apply_command(files: tuple[str, ...]) -> None:
    """Create or update arrangements from TOML files. All files or nothing."""
    loaded = []
    problems: list[str] = []
    for path in files:
        try:
            loaded.append(definitions.load(path))
        except definitions.DefinitionError as exc:
            problems.extend(exc.problems)
    if problems:
        for problem in problems:
            click.echo(problem, err=True)
        raise SystemExit(2)
    try:
        for definition in loaded:
            arrangement = definitions.apply(definition)
            click.echo(f"applied {definition.source}: arrangement {arrangement.slug}")
        db.session.commit()
    except Exception as exc:
        db.session.rollback()
        click.echo(f"nothing applied: {exc}", err=True)
        raise SystemExit(2) from exc
