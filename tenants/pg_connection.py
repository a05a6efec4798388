"""Fewer round trips per transaction on PostgreSQL, with the arrangement setting unchanged.

psycopg (outside autocommit) sends ``BEGIN`` as a statement of its own before the first query,
and the arrangement setting of row-level security then took one more round trip
(``SELECT set_config(..., true)``), and the pool pinged each connection on every checkout: three
round trips before a page's one query. Here:

- the driver connection runs in autocommit mode and the transaction is opened by SQLAlchemy's
  ``do_begin`` itself, as one simple-protocol message that also sets the arrangement:
  ``BEGIN; SET LOCAL deelkracht.arrangement_id = '7'`` (one round trip, transaction-local like
  ``set_config(..., true)``, so safe under PgBouncer's transaction pooling). SQLAlchemy begins
  lazily (at the first statement), so a request that queries nothing sends nothing, and
  psycopg's ``commit()``/``rollback()`` look at the server's transaction status: no ``ROLLBACK``
  for a transaction never begun;
- no automatic server-side prepared statements (they end with every ``ROLLBACK`` and cost a
  ``DEALLOCATE ALL`` round trip after it);
- a connection is pinged at checkout only when it sat in the pool longer than
  :data:`PING_AFTER_SECONDS` (the pool's ``pre_ping`` pinged every checkout).

A connection given another isolation level (``execution_options(isolation_level=...)``) is left
to psycopg and SQLAlchemy as usual (``AUTOCOMMIT`` sends no ``BEGIN`` at all; ``SERIALIZABLE``
gets psycopg's own ``BEGIN ISOLATION LEVEL ...``, and the session's ``after_begin`` listener sets
the arrangement in a statement of its own); it comes back into this mode when SQLAlchemy resets
it to the default level on its return to the pool.
"""

from __future__ import annotations

import time
import weakref

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

from tenants.context import RLS_SETTING, current_arrangement_id

#: A connection idle in the pool for longer than this is pinged before use.
PING_AFTER_SECONDS = 10.0
_CHECKED_IN = "deelkracht_checked_in"

#: Driver connections whose transactions this module opens (driver autocommit on).
_managed: weakref.WeakSet = weakref.WeakSet()
#: The arrangement each managed connection's open transaction was begun with.
_begun_with: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def begin_statement(arrangement_id: int | None) -> bytes:
    """``BEGIN`` and the transaction-local arrangement setting, as one simple-protocol message.
    The value is an integer or empty, formatted here (no quoting of outside text)."""
    value = "" if arrangement_id is None else str(int(arrangement_id))
    return f"BEGIN; SET LOCAL {RLS_SETTING} = '{value}'".encode()


def opens_transactions(dbapi_connection) -> bool:
    """Whether this module opened (or will open) the connection's transactions."""
    return dbapi_connection in _managed


def install(engine: Engine) -> None:
    """Switch a PostgreSQL (psycopg) engine to this mode; idempotent per engine."""
    dialect = engine.dialect
    if dialect.name != "postgresql" or getattr(dialect, "_deelkracht_begin", False):
        return
    original_set_isolation = dialect.set_isolation_level

    def do_begin(dbapi_connection) -> None:
        raw = getattr(dbapi_connection, "dbapi_connection", dbapi_connection)
        if raw in _managed and raw.autocommit:
            arrangement_id = current_arrangement_id()
            with raw.cursor() as cursor:
                cursor.execute(begin_statement(arrangement_id), prepare=False)
            _begun_with[raw] = arrangement_id
        # else: psycopg's own BEGIN with the first statement (or no transaction in AUTOCOMMIT)

    def set_isolation_level(dbapi_connection, level) -> None:
        raw = getattr(dbapi_connection, "dbapi_connection", dbapi_connection)
        original_set_isolation(raw, level)
        if level == dialect.default_isolation_level and level != "AUTOCOMMIT":
            _manage(raw)
        else:
            _managed.discard(raw)

    dialect.do_begin = do_begin
    dialect.set_isolation_level = set_isolation_level
    dialect._deelkracht_begin = True

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, record) -> None:
        # No automatic server-side prepared statements: psycopg forgets them at every ROLLBACK
        # (the end of every read-only request) and then sends DEALLOCATE ALL, one more round
        # trip, whenever a statement had run five times in the transaction before; and behind
        # a transaction-pooling PgBouncer they may not outlive a transaction at all.
        dbapi_connection.prepare_threshold = None
        _manage(dbapi_connection)
        record.info[_CHECKED_IN] = time.monotonic()

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_connection, record) -> None:
        record.info[_CHECKED_IN] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection, record, proxy) -> None:
        idle = time.monotonic() - record.info.get(_CHECKED_IN, 0.0)
        if idle <= PING_AFTER_SECONDS:
            return
        try:
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SELECT 1", prepare=False)
        except Exception as error:  # the pool retries with a new connection
            raise exc.DisconnectionError(str(error)) from error


def _manage(raw) -> None:
    if not raw.autocommit:
        raw.autocommit = True
    _managed.add(raw)


def arrangement_sent_with_begin(dbapi_connection, arrangement_id: int | None) -> bool:
    """True when the open transaction was begun here with this arrangement already set."""
    raw = getattr(dbapi_connection, "dbapi_connection", dbapi_connection)
    return raw in _managed and _begun_with.get(raw, -1) == arrangement_id
