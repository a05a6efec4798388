"""The RQ queue. Payloads are JSON with ids only; failed jobs expire with the retention period."""

from __future__ import annotations

from datetime import timedelta

import redis
from flask import current_app
from rq import Queue
from rq.serializers import JSONSerializer

# RQ keeps failed jobs for a year by default; ours expire well within the retention period.
FAILURE_TTL = int(timedelta(days=30).total_seconds())
RESULT_TTL = 3600


def redis_connection(url: str | None = None) -> redis.Redis:
    # Short timeouts: a dead Redis must fail fast, never hang a web request or the sweeper.
    return redis.Redis.from_url(
        url or current_app.config["REDIS_URL"],
        socket_connect_timeout=1,
        socket_timeout=2,
        health_check_interval=30,
    )


def get_queue(connection: redis.Redis | None = None) -> Queue:
    return Queue(
        current_app.config["RQ_QUEUE"],
        connection=connection or redis_connection(),
        serializer=JSONSerializer,
    )


def enqueue(func_path: str, *args: int, job_id: str | None = None, **kwargs) -> None:
    """Enqueue a job by dotted path with integer arguments (ids only)."""
    for value in args:
        if not isinstance(value, int):
            raise TypeError("job arguments are ids only")
    get_queue().enqueue(
        func_path,
        *args,
        job_id=job_id,
        failure_ttl=FAILURE_TTL,
        result_ttl=RESULT_TTL,
        **kwargs,
    )


def enqueue_delivery(outbox_id: int, arrangement_id: int) -> None:
    enqueue("worker.jobs.deliver_outbox", outbox_id, arrangement_id)
