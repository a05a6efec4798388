"""Database round trips per search request on PostgreSQL, counted on the wire.

libpq's own trace (``PQtrace``) logs every message psycopg sends; a round trip is a message the
client then waits on: a simple ``Query`` or the ``Sync`` that closes an extended-protocol
statement. So the count includes what statement listeners never see: ``BEGIN``, ``ROLLBACK``,
the arrangement setting and the pool's pings.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from app.extensions import db
from tests.pool.jobs_factory import make_job

pytestmark = pytest.mark.postgres

#: The search page's round trips (main had 13: a pool ping, a BEGIN of its own and a set_config
#: after it; then 10: the login session, set_config of its arrangement and the user apart):
#: 1 BEGIN with the arrangement the signed cookie names, 2 the login session and its user in
#: one statement, 3 the kept-page check (newest job change), 4 the page's one statement, 5 the
#: jobs the viewer responded to, 6 the unread notifications of the navigation, 7 the setting
#: cleared at the request's end, 8 ROLLBACK.
SEARCH_ROUND_TRIPS = 8
#: The same search asked again, the page kept: the page's statement is not sent.
KEPT_SEARCH_ROUND_TRIPS = SEARCH_ROUND_TRIPS - 1


@contextmanager
def traced(app):
    """Every message the app's pooled connections send while the block runs, as text lines."""
    import psycopg

    with app.app_context():
        engine = db.engine
    handle, path = tempfile.mkstemp(prefix="libpq-trace-")
    messages: list[str] = []

    def on_checkout(dbapi_connection, record, proxy):
        dbapi_connection.pgconn.trace(handle)
        dbapi_connection.pgconn.set_trace_flags(psycopg.pq.Trace.SUPPRESS_TIMESTAMPS)

    def on_checkin(dbapi_connection, record):
        if dbapi_connection is not None and not dbapi_connection.closed:
            dbapi_connection.pgconn.untrace()

    event.listen(engine, "checkout", on_checkout)
    event.listen(engine, "checkin", on_checkin)
    try:
        yield messages
    finally:
        event.remove(engine, "checkout", on_checkout)
        event.remove(engine, "checkin", on_checkin)
        os.close(handle)
        with open(path, encoding="utf-8", errors="replace") as trace:
            messages.extend(line.rstrip("\n") for line in trace)
        os.unlink(path)


def round_trips(messages: list[str]) -> list[str]:
    """The client messages that wait for an answer: simple queries and extended-protocol syncs;
    for a sync, the statement it runs (the Parse or Bind before it) is shown."""
    out, pending = [], ""
    for line in messages:
        parts = line.split("\t")
        if len(parts) < 3 or parts[0] != "F":
            continue
        kind = parts[2]
        text = parts[3].strip() if len(parts) > 3 else ""
        if kind == "Query":
            out.append(text.strip('"'))
        elif kind == "Parse":
            pending = text.split('" "', 1)[-1].split('"', 1)[0]
        elif kind == "Sync":
            out.append(pending or "(prepared statement)")
            pending = ""
    return out


def test_round_trips_per_search_request(app, client, world, login, in_arrangement):
    """A search page request: BEGIN and the arrangement setting in one message, the kept-page
    check, the page's one statement, ROLLBACK. No ping of a fresh pooled connection, no
    BEGIN of its own; the same count for 3 jobs and 23."""
    login(client, world.meer.harderwijk.emp)
    counts = []
    for n in (3, 20):
        for i in range(n):
            make_job(in_arrangement, world.meer.ermelo.lead, title=f"Zwembad {len(counts)} {i}")
        client.get("/klussen?q=zwembad")  # warm-up: the statement is built, the login cached
        app.extensions.pop("pool_search_pages", None)  # measure a search, not a kept page
        with traced(app) as messages:
            response = client.get("/klussen?q=zwembad")
        assert response.status_code == 200
        assert b"Zwembad" in response.data
        trips = round_trips(messages)
        counts.append(len(trips))
        assert trips[0].startswith("BEGIN; SET LOCAL deelkracht.arrangement_id = "), trips
        assert trips[-1] == "ROLLBACK", trips
        assert not any(t.strip() == "SELECT 1" for t in trips), trips  # no ping
        assert sum(t.startswith("BEGIN") for t in trips) == 1, trips
    assert counts == [SEARCH_ROUND_TRIPS, SEARCH_ROUND_TRIPS], (counts, trips)

    with traced(app) as messages:  # asked again: the kept page
        assert client.get("/klussen?q=zwembad").status_code == 200
    assert len(round_trips(messages)) == KEPT_SEARCH_ROUND_TRIPS, round_trips(messages)
