"""The `deelkracht` console script: a Flask CLI group over the app factory."""

from __future__ import annotations

import logging
import time

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from flask_migrate import upgrade
from werkzeug.serving import WSGIRequestHandler, make_server

from app import create_app
from app.demo import load_demo, summary
from app.outbox.sweeper import start_in_process
from app.schema import schema_state
from app.scim.cli import scim_cli
from app.transaction import commit
from tenants.cli import tenants_cli


class AnonymousHandler(WSGIRequestHandler):
    """The demo server's request handler, naming no software or version in ``Server``:
    "Werkzeug/3.x Python/3.11.y" tells an attacker which published flaws to try (issue 10, 9)."""

    def version_string(self) -> str:
        return "Deelkracht"


def _create_app():
    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=True)
def cli() -> None:
    """Deelkracht: the klussenbank of a shared-service arrangement."""


def _register() -> None:

    cli.add_command(tenants_cli)
    cli.add_command(scim_cli)


class _Hidden(logging.Filter):
    """Drops (and counts) the records of one logger: the demo's own e-mails while it loads."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def filter(self, record: logging.LogRecord) -> bool:
        self.count += 1
        return False


@cli.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Set up the demo and stop (for scripts and tests).")
@with_appcontext
def demo_command(host: str, port: int, no_serve: bool) -> None:
    """Create or upgrade the embedded database, load the demo and serve it.

    The log stays short: the migrations and the e-mails of the demo content itself (written
    while it loads, to people who are not there) are counted, not shown; the banner with the
    addresses comes last. E-mails link to the address served (also those of the content)."""

    app = current_app._get_current_object()
    base_url = f"http://{host}:{port}"
    app.config["BASE_URL"] = base_url
    mail_log = logging.getLogger("deelkracht.mail")
    hidden = _Hidden()
    quiet = {name: logging.getLogger(name) for name in ("alembic", "weasyprint", "fontTools")}
    levels = {name: logger.level for name, logger in quiet.items()}
    for logger in quiet.values():
        logger.setLevel(logging.WARNING)
    mail_log.addFilter(hidden)
    try:
        upgrade()
        load_demo()
        commit()  # delivers the content's e-mails and renders the agreements in-process
    finally:
        mail_log.removeFilter(hidden)
        quiet["alembic"].setLevel(levels["alembic"])
    server = None
    if not no_serve:
        if not app.config.get("REDIS_URL"):
            start_in_process(app)  # outbox retries and schedules, without a worker
        # Not app.run() (Flask ignores it inside its own CLI) nor run_simple (it logs its own
        # lines after ours): bind first, then the banner, then serve.

        server = make_server(host, port, app, threaded=True, request_handler=AnonymousHandler)
    if hidden.count:
        click.echo(f"({hidden.count} e-mails of the demo content were sent, not shown.)")
    click.echo(summary(base_url))
    if server is not None:
        server.serve_forever()


@cli.command("wait-for-schema")
@click.option("--timeout", default=300, show_default=True, help="Seconds to wait at most.")
@click.option("--interval", default=2.0, show_default=True, help="Seconds between checks.")
@with_appcontext
def wait_for_schema_command(timeout: int, interval: float) -> None:
    """Wait until the database is at this code's migration head (an init container): new
    code never serves on an old schema."""

    deadline = time.monotonic() + timeout
    while True:
        current, heads = schema_state()
        if current == heads:
            click.echo(f"schema at {', '.join(sorted(heads))}")
            return
        if time.monotonic() >= deadline:
            raise click.ClickException(
                f"the database is at {sorted(current) or 'no revision'}, "
                f"this code needs {sorted(heads)}"
            )
        time.sleep(interval)


_register()
