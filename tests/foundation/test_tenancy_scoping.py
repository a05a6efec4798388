"""The arrangement wall in the ORM: one scoping mechanism every tenant query goes through.

These run on the configured backend (SQLite by default, PostgreSQL with
``DEELKRACHT_TEST_BACKEND=postgresql``), as the application's own session would use it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import delete, exists, func, insert, select, union_all, update
from sqlalchemy.orm import aliased

from app.accounts.models import User
from app.extensions import db
from tenants.context import ACROSS_ARRANGEMENTS, use_arrangement
from tenants.models import Department, DepartmentManager, Organisation
from tenants.scoping import ArrangementWallError
from tests.ids import key_of

ROOT = Path(__file__).resolve().parents[2]


def _org_slugs(session, *options) -> set[str]:
    stmt = select(Organisation.slug)
    if options:
        stmt = stmt.execution_options(**{ACROSS_ARRANGEMENTS: True})
    return set(session.scalars(stmt))


def test_queries_return_only_the_current_arrangements_rows(world, in_arrangement):
    """Entity, column, count, join, alias, subquery, exists and union queries all see only the
    rows of the arrangement that is set."""
    meer, elders = world.meer.arrangement.id, world.elders.arrangement.id
    with in_arrangement(meer) as s:
        assert set(s.scalars(select(Organisation.slug))) == {"ermelo", "harderwijk", "zeewolde"}
        users = s.scalars(select(User)).all()
        assert users and {u.arrangement_id for u in users} == {meer}
        assert s.scalar(select(func.count()).select_from(User)) == len(users)
        assert s.scalar(select(func.count(Department.id))) == 6
        joined = s.scalars(
            select(User.email).join(Organisation, User.organisation_id == Organisation.id)
        ).all()
        assert joined and not any(e.endswith("andere.test") for e in joined)
        o = aliased(Organisation)
        assert set(s.scalars(select(o.slug))) == {"ermelo", "harderwijk", "zeewolde"}
        in_sub = select(User.email).where(User.organisation_id.in_(select(Organisation.id)))
        assert set(s.scalars(in_sub)) == {u.email for u in users}
        andere_id = world.elders.andere.org.id
        assert not s.scalar(select(exists().where(Organisation.id == andere_id)))
        both = union_all(select(Organisation.slug), select(Department.slug))
        assert "andere" not in set(s.scalars(select(both.subquery().c.slug)))
    with in_arrangement(elders) as s:
        assert set(s.scalars(select(Organisation.slug))) == {"andere"}
        assert {u.arrangement_id for u in s.scalars(select(User))} == {elders}


def test_no_arrangement_set_returns_no_rows(world, in_arrangement):
    """With no arrangement in context, scoped queries return nothing (not everything)."""
    with in_arrangement(None) as s:
        assert s.scalars(select(Organisation)).all() == []
        assert s.scalars(select(User.email)).all() == []
        assert s.scalar(select(func.count()).select_from(Department)) == 0
        assert s.get(User, world.meer.ermelo.emp.id) is None


def test_session_get_of_another_arrangements_id_is_none(world, in_arrangement):
    """session.get by id outside the current arrangement finds nothing, also when the object
    already sits in the session's identity map from an earlier arrangement context."""
    emp_id = world.meer.ermelo.emp.id
    with in_arrangement(world.elders.arrangement.id) as s:
        assert s.get(User, key_of("user", emp_id)) is None
        assert s.get(Organisation, world.meer.ermelo.org.id) is None
    with in_arrangement(world.meer.arrangement.id) as s:
        loaded = s.get(User, key_of("user", emp_id))
        assert loaded is not None and loaded.email == world.meer.ermelo.emp.email
        with use_arrangement(world.elders.arrangement.id):
            assert (
                s.get(User, key_of("user", emp_id)) is None
            )  # in the identity map, still not found
            s.expire_all()
            assert (
                s.get(User, key_of("user", emp_id)) is None
            )  # expired: the refresh must not leak it
        with use_arrangement(None):
            assert s.get(User, key_of("user", emp_id)) is None
        again = s.get(User, key_of("user", emp_id))
        assert again is not None and again.email == world.meer.ermelo.emp.email


def test_orm_update_and_delete_touch_only_the_current_arrangement(world, in_arrangement):
    """Bulk UPDATE and DELETE through the ORM are scoped like SELECT."""
    with in_arrangement(world.meer.arrangement.id) as s:
        changed = s.execute(update(Department).values(name="Hernoemd"))
        assert changed.rowcount == 6
        gone = s.execute(delete(DepartmentManager))
        assert gone.rowcount == 6
        s.commit()
    with in_arrangement(world.elders.arrangement.id) as s:
        assert {d.name for d in s.scalars(select(Department))} == {"Team Uitvoering", "Team Beleid"}
        assert s.scalar(select(func.count()).select_from(DepartmentManager)) == 2


def test_writing_a_row_of_another_arrangement_is_refused(world, in_arrangement):
    """A new row stamped with another arrangement, or a row moved to one, is refused at flush;
    a new row without an arrangement is stamped with the current one."""
    meer, elders = world.meer.arrangement.id, world.elders.arrangement.id
    with in_arrangement(meer) as s:
        s.add(
            Department(
                arrangement_id=elders,
                organisation_id=world.elders.andere.org.id,
                slug="binnendringer",
                name="Binnendringer",
            )
        )
        with pytest.raises(ArrangementWallError):
            s.flush()
        s.rollback()
        department = s.get(Department, world.meer.ermelo.team.id)
        department.arrangement_id = elders
        with pytest.raises(ArrangementWallError):
            s.flush()
        s.rollback()
        stamped = Department(organisation_id=world.meer.ermelo.org.id, slug="nieuw", name="Nieuw")
        s.add(stamped)
        s.flush()
        assert stamped.arrangement_id == meer
    with in_arrangement(elders) as s:
        assert s.scalar(select(func.count()).select_from(Department)) == 2


def test_bulk_insert_and_update_cannot_cross_the_wall(world, in_arrangement):
    """ORM bulk INSERT/UPDATE statements skip the flush; they are checked too: an insert must
    name the current arrangement for every row, an update cannot move rows to another one."""
    meer, elders = world.meer.arrangement.id, world.elders.arrangement.id
    org = world.meer.ermelo.org.id
    row = {"organisation_id": org, "slug": "bulk", "name": "Bulk"}
    with in_arrangement(meer) as s:
        for statement, params in (
            (insert(Department).values(arrangement_id=elders, **row), None),
            (insert(Department), [{"arrangement_id": elders, **row}]),
            (insert(Department), [{"arrangement_id": meer, **row}, {**row, "slug": "b2"}]),
            (insert(Department).values(**row), None),
            (update(Department).values(arrangement_id=elders), None),
        ):
            with pytest.raises(ArrangementWallError):
                s.execute(statement, params)
            s.rollback()
        s.execute(insert(Department), [{"arrangement_id": meer, **row}])
        s.execute(insert(Department).values(arrangement_id=meer, **{**row, "slug": "b3"}))
        s.execute(update(Department).where(Department.slug == "bulk").values(name="Groot"))
        s.commit()
        assert s.scalar(select(func.count()).select_from(Department)) == 8
    with in_arrangement(None) as s, pytest.raises(ArrangementWallError):
        s.execute(insert(Department), [{"arrangement_id": meer, **row}])
    with in_arrangement(elders) as s:
        assert s.scalar(select(func.count()).select_from(Department)) == 2


def test_writing_with_no_arrangement_set_is_refused(world, in_arrangement):
    """With no arrangement in context nothing arrangement-owned can be written, stamped or not."""
    with in_arrangement(None) as s:
        s.add(Department(organisation_id=world.meer.ermelo.org.id, slug="a", name="A"))
        with pytest.raises(ArrangementWallError):
            s.flush()
        s.rollback()
        s.add(
            Department(
                arrangement_id=world.meer.arrangement.id,
                organisation_id=world.meer.ermelo.org.id,
                slug="b",
                name="B",
            )
        )
        with pytest.raises(ArrangementWallError):
            s.flush()


def test_pending_rows_keep_the_arrangement_they_were_added_in(world, in_arrangement):
    """A row added in one arrangement and flushed after switching to another is not silently
    stamped with the second one."""
    meer, elders = world.meer.arrangement.id, world.elders.arrangement.id
    with in_arrangement(meer) as s:
        department = Department(organisation_id=world.meer.ermelo.org.id, slug="c", name="C")
        s.add(department)
        with use_arrangement(elders):
            s.flush()
        s.commit()
        assert department.arrangement_id == meer


def test_across_arrangements_is_the_only_way_across(world, in_arrangement, database):
    """The ACROSS_ARRANGEMENTS execution option lifts the ORM scoping for one statement. On
    PostgreSQL row-level security still holds the application role to its arrangement."""
    with in_arrangement(world.meer.arrangement.id) as s:
        across = _org_slugs(s, ACROSS_ARRANGEMENTS)
        if database.backend == "postgresql":
            assert across == {"ermelo", "harderwijk", "zeewolde"}
        else:
            assert across == {"ermelo", "harderwijk", "zeewolde", "andere"}
        assert _org_slugs(s) == {"ermelo", "harderwijk", "zeewolde"}


def test_across_arrangements_is_used_only_where_reviewed():
    """The way across is greppable: the option's value is spelled once (tenants/context.py) and
    the name appears only in the modules listed here, each reviewed as platform work."""
    allowed = {
        "tenants/context.py",
        "tenants/scoping.py",
        "tenants/session.py",
        "tenants/__init__.py",
    }
    value = re.compile(r"deelkracht_across_arrangements")
    users, spelled = set(), set()
    for folder in ("app", "tenants", "worker"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            rel = path.relative_to(ROOT).as_posix()
            if "ACROSS_ARRANGEMENTS" in text:
                users.add(rel)
            if value.search(text):
                spelled.add(rel)
    assert spelled == {"tenants/context.py"}
    assert users <= allowed, f"new use of ACROSS_ARRANGEMENTS, review it: {users - allowed}"


def test_the_scoping_listener_is_installed_on_the_apps_session(app):
    """The listener is registered on the Session class, so every session of the app has it."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from tenants import scoping

    assert event.contains(Session, "do_orm_execute", scoping._scope_to_arrangement)
    assert event.contains(Session, "before_flush", scoping._stamp_arrangement)
    with app.app_context():
        assert isinstance(db.session(), Session)
