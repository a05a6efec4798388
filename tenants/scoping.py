"""The one scoping mechanism every tenant query goes through.

After SQLAlchemy's ``filter_public`` example: a ``do_orm_execute`` listener adds
``with_loader_criteria`` for :class:`ArrangementScoped` to every ORM statement, so no view builds a
filter of its own and a forgotten filter cannot leak. New rows are stamped with the current
arrangement when they are added to the session (so a later switch of context cannot re-stamp
them), and a ``before_flush`` listener refuses every write outside the current arrangement,
including any write at all while no arrangement is set.
"""

from __future__ import annotations

import functools
import threading
import weakref

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from tenants.context import ACROSS_ARRANGEMENTS, apply_rls_setting, current_arrangement_id
from tenants.models import ArrangementScoped
from tenants.pg_connection import arrangement_sent_with_begin


class ArrangementWallError(RuntimeError):
    """A write was attempted outside the current arrangement."""


def _scoped_target(state: ORMExecuteState) -> bool:
    mapper = state.bind_mapper
    return mapper is not None and issubclass(mapper.class_, ArrangementScoped)


def _statement_rows(statement) -> list[dict]:
    """The VALUES / SET of an INSERT or UPDATE, as {column name: value} per row."""
    rows: list = []
    # No public accessor for a DML statement's values: _values, _multi_values, _ordered_values
    # are stable since SQLAlchemy 1.4.
    if getattr(statement, "_values", None):
        rows.append(statement._values)
    for multi in getattr(statement, "_multi_values", None) or ():
        rows.extend(multi)
    if getattr(statement, "_ordered_values", None):
        rows.append(dict(statement._ordered_values))
    out = []
    for row in rows:
        if not isinstance(row, dict):
            out.append({})  # positional values: the arrangement cannot be read, so refused
            continue
        out.append({getattr(k, "key", k): getattr(v, "value", v) for k, v in row.items()})
    return out


def _written_arrangements(state: ORMExecuteState) -> tuple[list, bool]:
    """The arrangement ids an ORM INSERT/UPDATE writes, and whether every row names one."""
    rows = _statement_rows(state.statement)
    params = state.parameters
    rows += params if isinstance(params, list) else [params] if params else []
    named = [row["arrangement_id"] for row in rows if "arrangement_id" in row]
    return named, bool(rows) and len(named) == len(rows)


def _guard_bulk_write(state: ORMExecuteState) -> None:
    """ORM bulk INSERT and UPDATE skip the flush, so they are checked here: an INSERT must name
    the current arrangement for every row; an UPDATE may not move rows to another one."""
    arrangement_id = current_arrangement_id()
    written, every_row = _written_arrangements(state)
    name = state.bind_mapper.class_.__name__
    if state.is_insert and (arrangement_id is None or not every_row):
        raise ArrangementWallError(f"bulk insert of {name} must name the current arrangement")
    if any(value != arrangement_id for value in written):
        raise ArrangementWallError(f"{name} rows may not be written to another arrangement")


@event.listens_for(Session, "do_orm_execute")
def _scope_to_arrangement(state: ORMExecuteState) -> None:
    if state.execution_options.get(ACROSS_ARRANGEMENTS, False):
        return
    if (state.is_insert or state.is_update) and _scoped_target(state):
        _guard_bulk_write(state)
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.is_column_load or state.is_relationship_load:
        return  # the criteria of the parent statement propagate to these loads
    # With no arrangement set the criterion is `arrangement_id IS NULL`: no rows at all.
    state.statement = _scoped(state.statement, current_arrangement_id())


#: statement -> {arrangement id: the statement with its criteria}. A statement kept and run
#: again (app.pool.search keeps one per page shape) then gets the same scoped object back, whose
#: cache key SQLAlchemy has memoized: making that key for a large statement cost more than
#: running it. Weak keys: an ad-hoc statement's entry goes with it.
_SCOPED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_SCOPED_LOCK = threading.Lock()


def _scoped(statement, arrangement_id: int | None):
    with _SCOPED_LOCK:
        per_arrangement = _SCOPED.get(statement)
        scoped = per_arrangement.get(arrangement_id) if per_arrangement is not None else None
    if scoped is not None:
        return scoped
    scoped = statement.options(_criteria(arrangement_id))
    with _SCOPED_LOCK:
        _SCOPED.setdefault(statement, {})[arrangement_id] = scoped
    return scoped


@functools.lru_cache(maxsize=1024)
def _criteria(arrangement_id: int | None):
    """The option for one arrangement, made once: building with_loader_criteria (and analysing
    its lambda) for every statement cost about as much as running a simple query."""
    return with_loader_criteria(
        ArrangementScoped,
        lambda cls: cls.arrangement_id == arrangement_id,
        include_aliases=True,
    )


@event.listens_for(Session, "transient_to_pending")
def _stamp_on_add(session: Session, instance) -> None:
    if isinstance(instance, ArrangementScoped) and instance.arrangement_id is None:
        instance.arrangement_id = current_arrangement_id()


@event.listens_for(Session, "before_flush")
def _stamp_arrangement(session: Session, flush_context, instances) -> None:
    arrangement_id = current_arrangement_id()
    for obj in [*session.new, *session.dirty, *session.deleted]:
        if not isinstance(obj, ArrangementScoped):
            continue
        name = type(obj).__name__
        if arrangement_id is None:
            raise ArrangementWallError(f"no arrangement set: {name} cannot be written")
        if obj.arrangement_id is None:
            obj.arrangement_id = arrangement_id
        elif obj.arrangement_id != arrangement_id:
            raise ArrangementWallError(f"{name} belongs to another arrangement")


@event.listens_for(Session, "after_begin")
def _set_rls_context(session: Session, transaction, connection) -> None:
    if connection.dialect.name != "postgresql":
        return
    arrangement_id = current_arrangement_id()
    if arrangement_sent_with_begin(connection.connection, arrangement_id):
        return  # set by tenants.pg_connection with the transaction's BEGIN
    apply_rls_setting(connection, arrangement_id)
