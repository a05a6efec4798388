"""The RQ queue. Payloads are JSON with ids only; failed jobs expire well within the retention
period, results almost at once."""

from __future__ import annotations

from datetime import timedelta

import redis
from flask import current_app
from redis.backoff import NoBackoff
from redis.retry import Retry
from rq import Queue
from rq.serializers import JSONSerializer

# RQ keeps failed jobs for a year by default; ours go after a week (``RQ_FAILURE_TTL`` in the
# app config, in seconds, overrides it). A failed delivery is also kept in the outbox row.
FAILURE_TTL = int(timedelta(days=7).total_seconds())
# Results are only "sent"/"skipped" strings; nobody reads them later.
RESULT_TTL = 300


def redis_connection(url: str | None = None) -> redis.Redis:
    # Short timeouts and no retries: a dead Redis must fail fast, never hang the enqueuer thread
    # or the sweeper for long (the default retry policy backs off for seconds).
    return redis.Redis.from_url(
        url or current_app.config["REDIS_URL"],
        socket_connect_timeout=1,
        socket_timeout=2,
        retry=Retry(NoBackoff(), 0),
        health_check_interval=30,
    )


def get_queue(connection: redis.Redis | None = None) -> Queue:
    return Queue(
        current_app.config["RQ_QUEUE"],
        connection=connection or redis_connection(),
        serializer=JSONSerializer,
    )


def enqueue(
    func_path: str,
    *args: int,
    job_id: str | None = None,
    connection: redis.Redis | None = None,
    **kwargs,
) -> None:
    """Enqueue a job by dotted path with integer arguments (ids only)."""
    for value in args:
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError("job arguments are ids only")
    get_queue(connection).enqueue(
        func_path,
        *args,
        job_id=job_id,
        failure_ttl=int(current_app.config.get("RQ_FAILURE_TTL", FAILURE_TTL)),
        result_ttl=RESULT_TTL,
        **kwargs,
    )


def enqueue_delivery(
    outbox_id: int, arrangement_id: int, *, connection: redis.Redis | None = None
) -> None:
    enqueue("app.outbox.tasks.deliver_outbox", outbox_id, arrangement_id, connection=connection)
