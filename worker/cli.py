"""The `deelkracht` console script: the app's commands (:mod:`app.cli`) and the processes'.

The processes sit above the app: `deelkracht worker` (RQ worker, sweeper, schedules),
`deelkracht scheduler` (sweeper and schedules alone, under a lease) and their liveness probes.
They are added here, so the app never imports this package.
"""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from rq import Worker

from app.cli import cli
from app.metrics import serve_on_port
from app.outbox.queue import redis_connection
from worker.runner import run_scheduler, run_worker


def _needs_redis(app) -> None:
    if not app.config.get("REDIS_URL"):
        raise click.UsageError("REDIS_URL is not set: the embedded default runs jobs in-process.")


@cli.command("worker")
@click.option("--burst", is_flag=True, help="Work until the queue is empty, then stop.")
@click.option(
    "--without-scheduler",
    is_flag=True,
    help="Leave the outbox sweeper and the schedules to `deelkracht scheduler`.",
)
@with_appcontext
def worker_command(burst: bool, without_scheduler: bool) -> None:
    """Run the RQ worker (and the outbox sweeper and schedules) for REDIS_URL."""
    app = current_app._get_current_object()
    _needs_redis(app)
    port = os.environ.get("METRICS_PORT")
    if port:
        serve_on_port(int(port))
    run_worker(app, burst=burst, with_scheduler=not without_scheduler)


@cli.command("worker-alive")
@with_appcontext
def worker_alive_command() -> None:
    """Exit 0 when an RQ worker of this host is registered in Redis (a liveness probe)."""
    _needs_redis(current_app)
    connection = redis_connection()
    hostname = socket.gethostname()
    if not any(w.hostname == hostname for w in Worker.all(connection=connection)):
        raise click.ClickException(f"no RQ worker of {hostname} is registered")


@cli.command("scheduler")
@click.option(
    "--heartbeat-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Touched after every round, for a liveness probe.",
)
@with_appcontext
def scheduler_command(heartbeat_file: Path | None) -> None:
    """Sweep the outbox and run the periodic schedules: one process per installation (a Redis
    lease keeps a second one idle)."""
    app = current_app._get_current_object()
    _needs_redis(app)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    run_scheduler(app, heartbeat=heartbeat_file, stop=stop)


@cli.command("scheduler-alive")
@click.option("--heartbeat-file", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--max-age", default=120, show_default=True, help="Seconds.")
def scheduler_alive_command(heartbeat_file: Path, max_age: int) -> None:
    """Exit 0 when the scheduler touched its heartbeat file within ``--max-age`` seconds."""
    try:
        age = time.time() - heartbeat_file.stat().st_mtime
    except OSError as exc:
        raise click.ClickException(f"no heartbeat: {exc}") from exc
    if age > max_age:
        raise click.ClickException(f"the last heartbeat is {age:.0f} s old")


def main() -> None:
    cli(prog_name="deelkracht")
