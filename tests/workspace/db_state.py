"""Reading the whole database as the owner (no scoping, no row-level security: the PostgreSQL
owner in the tests is a superuser), to compare states and to search for personal data."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa

from app.extensions import db


def _plain(value):
    if isinstance(value, datetime | date | Decimal):
        return str(value)
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def snapshot(engine: sa.Engine, *, skip: dict[str, set[str]] | None = None) -> dict:
    """{table: {primary key: {column: value}}} of every table of the models."""
    skip = skip or {}
    state: dict = {}
    with engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            if skip.get(table.name) == {"*"}:
                continue
            pk = [c.name for c in table.primary_key.columns]
            rows = {}
            for row in conn.execute(sa.select(table)).mappings():
                key = tuple(row[c] for c in pk)
                rows[key] = {
                    k: _plain(v) for k, v in row.items() if k not in skip.get(table.name, set())
                }
            state[table.name] = rows
    return state


def diff(before: dict, after: dict) -> dict:
    """{table: {"added": {pk: row}, "removed": {pk: row}, "changed": {pk: {col: (old, new)}}}}."""
    out: dict = {}
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name, {}), after.get(name, {})
        added = {k: new[k] for k in new.keys() - old.keys()}
        removed = {k: old[k] for k in old.keys() - new.keys()}
        changed = {}
        for key in old.keys() & new.keys():
            cols = {c: (old[key][c], new[key][c]) for c in old[key] if old[key][c] != new[key][c]}
            if cols:
                changed[key] = cols
        if added or removed or changed:
            out[name] = {"added": added, "removed": removed, "changed": changed}
    return out


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes | memoryview):
        return bytes(value).decode("utf-8", errors="ignore")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def find_anywhere(engine: sa.Engine, needles: list[str], *, except_columns=()) -> list[tuple]:
    """Every (table, column, value) in the whole database (every table, also those the models do
    not know, such as full-text indexes) whose text contains one of the needles, ignoring case.
    ``except_columns``: (table, column) pairs left out (documented exceptions)."""
    needles = [n.lower() for n in needles if n]
    hits = []
    inspector = sa.inspect(engine)
    with engine.connect() as conn:
        for name in inspector.get_table_names():
            quoted = engine.dialect.identifier_preparer.quote(name)
            try:
                result = conn.execute(sa.text(f"SELECT * FROM {quoted}"))
            except sa.exc.DBAPIError:
                conn.rollback()
                continue
            for row in result.mappings():
                for column, value in row.items():
                    if (name, column) in except_columns:
                        continue
                    text = _text(value).lower()
                    for needle in needles:
                        if needle in text:
                            hits.append((name, column, _text(value)[:120]))
    return hits
