"""Issue 10, finding 3: the migration that adds ``uq_matches_open_proposal`` resolves the
duplicates the race already made (or the unique index could not be built): of the open
proposals with the same job, employee and proposer, the one furthest along or else the oldest
stays, the others are withdrawn; other matches are untouched."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from app import create_app
from app.extensions import db
from tests.foundation.test_migrations import ROOT
from tests.support.databases import create_pg_database, drop_pg_database, pg_url
from tests.support.environment import FAST_HASH, SUFFIX

BASE = "1b731306c545"


def _app(url):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": url,
            "MIGRATE_DATABASE_URL": url,
            "PASSWORD_HASH_METHOD": FAST_HASH,
            "MAIL_BACKEND": "locmem",
            "REDIS_URL": None,
        }
    )


def _user_at_base(org, email: str, name: str, is_hr: bool = False):
    """A users row as the schema at BASE has it (core SQL: the ORM model may have columns that
    later migrations add)."""
    from types import SimpleNamespace

    from tenants.models import utcnow

    user_id = db.session.execute(
        sa.text(
            "INSERT INTO users (organisation_id, email, name, active, is_hr, is_coordinator, "
            "personnel_number, job_title, weekly_digest, created_at, arrangement_id) VALUES "
            "(:org, :email, :name, true, :hr, false, '', '', false, :now, :arr) RETURNING id"
        ),
        {
            "org": org.id,
            "email": email,
            "name": name,
            "hr": is_hr,
            "now": utcnow(),
            "arr": org.arrangement_id,
        },
    ).scalar_one()
    return SimpleNamespace(id=user_id)


def _row_at_base(table_name: str, **values):
    """A row of ``table_name`` with the columns the table has at BASE (read from the database),
    the model's defaults for the rest: later migrations add columns the ORM model already has."""
    from types import SimpleNamespace

    table = sa.Table(table_name, sa.MetaData(), autoload_with=db.session.connection())
    model = db.Model.metadata.tables[table_name]
    row = dict(values)
    for column in table.columns:
        default = getattr(model.c.get(column.name), "default", None)
        if column.name in row or column.primary_key or default is None:
            continue
        row[column.name] = default.arg(None) if default.is_callable else default.arg
    row_id = db.session.execute(table.insert().values(row).returning(table.c.id)).scalar_one()
    return SimpleNamespace(id=row_id, arrangement_id=values.get("arrangement_id"))


def _world_with_duplicates() -> dict[str, int]:
    """Rows as the schema at BASE has them (core SQL throughout: the ORM models have columns
    that later migrations add, e.g. a job's and a match's ``type``)."""
    from tenants.context import use_arrangement
    from tenants.models import Arrangement

    arrangement = Arrangement(slug="dubbel", name="Dubbel")
    db.session.add(arrangement)
    db.session.flush()
    ids = {}
    with use_arrangement(arrangement.id):
        org = _row_at_base(
            "organisations",
            slug="ermelo",
            name="Gemeente Ermelo",
            legal_name="Gemeente Ermelo",
            arrangement_id=arrangement.id,
        )
        hr = _user_at_base(org, "hr@e.test", "HR", is_hr=True)
        other_hr = _user_at_base(org, "hr2@e.test", "HR2", is_hr=True)
        emp = _user_at_base(org, "emp@e.test", "Emp")

        def job_at_base(title):
            return _row_at_base(
                "jobs",
                organisation_id=org.id,
                title=title,
                description="Leiden van het project.",
                hours_per_week=16,
                start_date=date.today() + timedelta(days=14),
                end_date=date.today() + timedelta(days=180),
                places=1,
                visibility="arrangement",
                status="open",
                location="Gemeentehuis",
                expires_on=date.today() + timedelta(days=42),
                arrangement_id=arrangement.id,
            )

        job = job_at_base("Projectleider Omgevingswet")
        second_job = job_at_base("Tweede klus")

        def match(status, proposer=hr, on=job):
            return _row_at_base(
                "matches",
                job_id=on.id,
                employee_id=emp.id,
                proposed_by_id=proposer.id,
                lending_organisation_id=org.id,
                borrowing_organisation_id=org.id,
                status=status,
                hours_per_week=8,
                start_date=date.today(),
                end_date=date.today() + timedelta(days=30),
                arrangement_id=arrangement.id,
            ).id

        ids["oldest"] = match("proposed")
        ids["newer"] = match("proposed")
        ids["newest"] = match("proposed")
        ids["other_proposer"] = match("proposed", proposer=other_hr)
        ids["agreed"] = match("agreed", on=second_job)
        ids["after_agreed"] = match("proposed", on=second_job)
        ids["declined"] = match("declined", on=second_job)
    db.session.commit()
    return ids


EXPECTED = {
    "oldest": "proposed",
    "newer": "withdrawn",
    "newest": "withdrawn",
    "other_proposer": "proposed",
    "agreed": "agreed",
    "after_agreed": "withdrawn",
    "declined": "declined",
}


def _migrate_with_duplicates(url) -> dict[str, str]:
    app = _app(url)
    directory = str(ROOT / "migrations")
    with app.app_context():
        upgrade(directory=directory)
        downgrade(directory=directory, revision=BASE)
        ids = _world_with_duplicates()
        upgrade(directory=directory)
        statuses = dict(db.session.execute(sa.text("SELECT id, status FROM matches")).all())
        db.session.remove()
        db.engine.dispose()
    assert set(ids.values()) <= set(statuses), ("the upgrade lost matches", ids, statuses)
    return {name: statuses[i] for name, i in ids.items()}


def test_the_migration_withdraws_duplicate_open_proposals_on_sqlite(tmp_path):
    """Three identical proposals: the oldest stays; a proposal next to an agreed match of the
    same proposer is withdrawn; another proposer's and closed matches stay as they were."""
    assert _migrate_with_duplicates(f"sqlite:///{tmp_path / 'race.db'}") == EXPECTED


@pytest.mark.postgres
def test_the_migration_withdraws_duplicate_open_proposals_on_postgresql():
    """The same on PostgreSQL, where the migration walks the arrangements one by one (forced
    row-level security applies to a table owner that is not a superuser)."""
    name = f"deelkracht_race_{SUFFIX}"
    create_pg_database(name)
    try:
        assert _migrate_with_duplicates(pg_url(name)) == EXPECTED
    finally:
        drop_pg_database(name)
