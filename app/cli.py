"""The `deelkracht` console script: a Flask CLI group over the app factory."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from werkzeug.serving import WSGIRequestHandler

from app import create_app


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
    from tenants.cli import tenants_cli

    cli.add_command(tenants_cli)


@cli.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Set up the demo and stop (for scripts and tests).")
@with_appcontext
def demo_command(host: str, port: int, no_serve: bool) -> None:
    """Create or upgrade the embedded database, load the demo and serve it."""
    from flask_migrate import upgrade

    from app.demo import load_demo, summary
    from app.transaction import commit

    app = current_app._get_current_object()
    upgrade()
    load_demo()
    commit()
    click.echo(summary(f"http://{host}:{port}"))
    if no_serve:
        return
    app.config["BASE_URL"] = f"http://{host}:{port}"
    if not app.config.get("REDIS_URL"):
        from worker.runner import start_in_process

        start_in_process(app)  # outbox retries and schedules, without a worker
    # Not app.run(): Flask ignores it inside its own CLI (FLASK_RUN_FROM_CLI).
    from werkzeug.serving import run_simple

    run_simple(host, port, app, threaded=True, use_reloader=False, request_handler=AnonymousHandler)


@cli.command("worker")
@click.option("--burst", is_flag=True, help="Work until the queue is empty, then stop.")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Run the RQ worker (and the outbox sweeper and schedules) for REDIS_URL."""
    from worker.runner import run_worker

    app = current_app._get_current_object()
    if not app.config.get("REDIS_URL"):
        raise click.UsageError("REDIS_URL is not set: the embedded default runs jobs in-process.")
    run_worker(app, burst=burst)


_register()


def main() -> None:
    cli(prog_name="deelkracht")
