"""Prometheus metrics: ``/metrics`` for the web processes, a port of its own for the worker.

What is measured, and the one rule for labels: a label holds a route *template*
(``/klussen/<int:job_id>``), a method, a status code, a queue name or a fixed word, never a URL
with ids, an arrangement or a person, so a dashboard can be shared without sharing personal data.

- ``deelkracht_http_requests_total`` and ``deelkracht_http_request_duration_seconds`` by route
  template, method (and status);
- ``deelkracht_login_failures_total`` by reason (``invalid`` or ``throttled``);
- ``deelkracht_agreement_render_seconds`` and ``deelkracht_agreement_render_failures_total``;
- at scrape time: ``deelkracht_outbox_backlog`` (rows waiting for delivery, all arrangements
  together), ``deelkracht_outbox_oldest_age_seconds`` and ``deelkracht_queue_depth`` (RQ).

Not public: ``/metrics`` answers only with ``Authorization: Bearer <METRICS_TOKEN>``; without
``METRICS_TOKEN`` it does not exist (404). Under gunicorn with several workers each process
writes its figures to ``PROMETHEUS_MULTIPROC_DIR`` and a scrape adds them up (prometheus-client's
multiprocess mode; ``app/gunicorn_conf.py``, given as ``--config python:app.gunicorn_conf``,
empties the folder at start and marks exited workers dead).
"""

from __future__ import annotations

import hmac
import logging
import os
import time
from contextlib import contextmanager

from flask import Flask, Response, abort, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
    start_http_server,
)
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import func, select

from app.extensions import db
from app.outbox.models import OutboxMessage
from app.outbox.queue import get_queue, redis_connection
from tenants.context import use_arrangement
from tenants.models import Arrangement, utcnow

log = logging.getLogger(__name__)


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


# In multiprocess mode the metrics below open their files as they are created, here: the folder
# must exist first. Every process of a pod gets the variable (the worker, the scheduler, the
# migration Job), not only gunicorn, whose start hook makes the folder too.
if multiprocess_dir():
    os.makedirs(multiprocess_dir(), exist_ok=True)

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

REQUESTS = Counter(
    "deelkracht_http_requests",
    "HTTP requests by route template, method and status.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "deelkracht_http_request_duration_seconds",
    "Time to answer an HTTP request, by route template and method.",
    ["method", "route"],
    buckets=LATENCY_BUCKETS,
)
LOGIN_FAILURES = Counter(
    "deelkracht_login_failures",
    "Failed logins: invalid (unknown e-mail or wrong password) or throttled.",
    ["reason"],
)
AGREEMENT_RENDER = Histogram(
    "deelkracht_agreement_render_seconds",
    "Time to render one agreement PDF.",
    buckets=(0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0),
)
AGREEMENT_FAILURES = Counter(
    "deelkracht_agreement_render_failures", "Agreement PDFs that failed to render."
)

UNMATCHED = "<unmatched>"


def scrape_registry(app: Flask | None = None) -> CollectorRegistry:
    """The registry one scrape reads: every process's files in multiprocess mode, else this
    process's own; plus the figures read from the database and Redis at scrape time."""
    path = multiprocess_dir()
    if path:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=path)
    else:
        registry = CollectorRegistry()
        for collector in list(REGISTRY._collector_to_names):
            registry.register(collector)
    if app is not None:
        registry.register(BacklogCollector(app))
    return registry


class BacklogCollector:
    """Outbox backlog and age, and the RQ queue depth, read when scraped.

    The outbox rows are arrangement-owned (row-level security): they are counted arrangement by
    arrangement, each in its own context, and only the sum is exported.
    """

    def __init__(self, app: Flask):
        self.app = app

    def collect(self):
        backlog = GaugeMetricFamily(
            "deelkracht_outbox_backlog", "Outbox rows waiting for delivery (pending or sending)."
        )
        oldest = GaugeMetricFamily(
            "deelkracht_outbox_oldest_age_seconds",
            "Age of the oldest outbox row waiting for delivery (0: none waiting).",
        )
        count, age = self._outbox()
        backlog.add_metric([], count)
        oldest.add_metric([], age)
        yield backlog
        yield oldest
        depth = GaugeMetricFamily(
            "deelkracht_queue_depth", "Jobs waiting in the RQ queue.", labels=["queue"]
        )
        queue_name = self.app.config["RQ_QUEUE"]
        depth.add_metric([queue_name], self._queue_depth())
        yield depth

    def _outbox(self) -> tuple[int, float]:

        total, first = 0, None
        with self.app.app_context():
            session = db.session()
            try:
                for arrangement_id in session.scalars(select(Arrangement.id)).all():
                    with use_arrangement(arrangement_id):
                        n, created = session.execute(
                            select(func.count(), func.min(OutboxMessage.created_at)).where(
                                OutboxMessage.status.in_(("pending", "sending"))
                            )
                        ).one()
                    total += n
                    if created is not None and (first is None or created < first):
                        first = created
            except Exception as exc:
                log.warning("outbox metrics unavailable: %r", exc)
                return 0, 0.0
            finally:
                session.rollback()
                db.session.remove()
        age = (utcnow() - first).total_seconds() if first is not None else 0.0
        return total, max(age, 0.0)

    def _queue_depth(self) -> int:
        if not self.app.config.get("REDIS_URL"):
            return 0

        try:
            with self.app.app_context():
                connection = redis_connection()
                try:
                    return get_queue(connection).count
                finally:
                    connection.close()
        except Exception as exc:
            log.warning("queue depth unavailable: %r", exc)
            return 0


@contextmanager
def timed_render():
    """Time one agreement render; a failure counts as one."""
    started = time.perf_counter()
    try:
        yield
    except Exception:
        AGREEMENT_FAILURES.inc()
        raise
    finally:
        AGREEMENT_RENDER.observe(time.perf_counter() - started)


def route_label() -> str:
    rule = request.url_rule
    return rule.rule if rule is not None else UNMATCHED


def init_app(app: Flask) -> None:
    @app.before_request
    def _start_timer() -> None:
        g.metrics_started = time.perf_counter()

    @app.after_request
    def _count(response):
        started = g.pop("metrics_started", None)
        if started is not None:
            route = route_label()
            REQUESTS.labels(request.method, route, str(response.status_code)).inc()
            LATENCY.labels(request.method, route).observe(time.perf_counter() - started)
        return response

    app.add_url_rule("/metrics", "metrics", metrics_view)


def _authorised() -> bool:
    token = current_app.config.get("METRICS_TOKEN")
    if not token:
        abort(404)
    header = request.headers.get("Authorization", "")
    scheme, _, given = header.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.encode(), token.encode())


def metrics_view():
    """The figures, for a Prometheus server holding METRICS_TOKEN."""
    if not _authorised():
        return Response(
            "unauthorised\n",
            401,
            {"WWW-Authenticate": 'Bearer realm="metrics"', "Content-Type": "text/plain"},
        )
    registry = scrape_registry(current_app._get_current_object())
    return Response(generate_latest(registry), headers={"Content-Type": CONTENT_TYPE_LATEST})


def serve_on_port(port: int, app: Flask | None = None) -> None:
    """The worker's metrics (render times and failures) on a port of its own, in a thread."""

    start_http_server(port, registry=scrape_registry(app))
