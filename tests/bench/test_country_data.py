"""The country-scale benchmark's data generator (bench/country_data.py), at a tiny scale on
PostgreSQL, so it cannot rot: the counts and ratios it promises, row-level security as the
application role sees it, the search side table, the sequences, and the same rows from the same
seed."""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest

from bench import country_data
from tests.support.environment import BACKEND, PG_MISSING, SUFFIX

pytestmark = pytest.mark.skipif(
    BACKEND != "postgresql" or bool(PG_MISSING), reason="the generator is PostgreSQL only"
)

TINY = country_data.Scale(
    arrangements=3,
    organisations=7,
    big_organisations=4,
    people=420,
    jobs=3_000,
    open_jobs=300,
    offers=450,
    placements=60,
    applications=200,
    proposals=12,
    years=5,
)
TODAY = dt.date(2026, 6, 15)


@pytest.fixture(scope="module")
def generated():
    names = [f"deelkracht_country_test_{SUFFIX}_{n}" for n in (1, 2)]
    metas = []
    try:
        for name in names:
            metas.append(
                country_data.build(
                    TINY, name, log=lambda _msg: None, migrate=False, reference=False, today=TODAY
                )
            )
        yield names, metas
    finally:
        for name in names:
            country_data.drop_databases(name)


def _owner(name):
    return psycopg.connect(country_data.dsn(name), autocommit=True)


def test_counts_and_ratios(generated):
    (name, _), (meta, _) = generated
    with _owner(name) as con:

        def one(sql):
            return con.execute(sql).fetchone()[0]

        assert one("SELECT count(*) FROM arrangements") == TINY.arrangements
        assert one("SELECT count(*) FROM organisations") == TINY.organisations
        assert one("SELECT count(*) FROM organisations WHERE arrangement_id = 1") == 4
        assert one("SELECT count(DISTINCT arrangement_id) FROM organisations") == 3
        assert one("SELECT count(*) FROM users") == TINY.people
        assert one("SELECT count(*) FROM login_identities") == TINY.people
        assert one("SELECT count(*) FROM jobs") == TINY.jobs
        assert one("SELECT count(*) FROM jobs WHERE status = 'open'") == TINY.open_jobs
        assert (
            one("SELECT count(*) FROM jobs WHERE status = 'open' AND expires_on <= '2026-06-15'")
            == 0
        )
        assert one("SELECT count(*) FROM capacity_offers") == TINY.offers
        assert one("SELECT count(*) FROM placements") == TINY.placements
        assert one("SELECT count(*) FROM agreements") == TINY.placements
        assert one("SELECT count(*) FROM applications") == TINY.applications
        assert one("SELECT count(*) FROM matches") == TINY.placements + TINY.proposals
        assert one("SELECT count(*) FROM matches WHERE status = 'proposed'") == TINY.proposals
        # every row in its organisation's arrangement
        assert (
            one(
                "SELECT count(*) FROM jobs j JOIN organisations o ON o.id = j.organisation_id "
                "WHERE o.arrangement_id <> j.arrangement_id"
            )
            == 0
        )
        assert (
            one(
                "SELECT count(*) FROM matches m JOIN users u ON u.id = m.employee_id "
                "WHERE u.organisation_id <> m.lending_organisation_id "
                "OR u.arrangement_id <> m.arrangement_id"
            )
            == 0
        )
        # five years of placements in the big arrangement
        first, last = con.execute(
            "SELECT min(agreed_at), max(agreed_at) FROM matches "
            "WHERE arrangement_id = 1 AND status <> 'proposed'"
        ).fetchone()
        assert (last - first).days > 4 * 365
        # the search side table holds every job; the sequences continue after the rows
        assert one("SELECT count(*) FROM job_search") == TINY.jobs
        assert one("SELECT last_value FROM jobs_id_seq") == TINY.jobs
        # the foreign keys hold (they were not checked during the load)
        assert (
            one(
                "SELECT count(*) FROM job_skills js LEFT JOIN jobs j ON j.id = js.job_id "
                "WHERE j.id IS NULL"
            )
            == 0
        )
    assert meta["counts"]["jobs"] == TINY.jobs
    assert meta["big_arrangement_organisations"] == 4
    assert meta["generated_on"] == TODAY.isoformat()
    assert country_data.read_meta(name)["fingerprint"] == country_data.fingerprint(TINY)


def test_application_role_sees_one_arrangement(generated):
    (name, _), (meta, _) = generated
    with psycopg.connect(country_data.dsn(name, country_data.APP_ROLE)) as con:
        assert con.execute("SELECT count(*) FROM jobs").fetchone()[0] == 0  # no arrangement set
        con.execute("SELECT set_config('deelkracht.arrangement_id', '1', true)")
        jobs_1 = con.execute("SELECT count(*) FROM jobs").fetchone()[0]
        open_1 = con.execute("SELECT count(*) FROM jobs WHERE status = 'open'").fetchone()[0]
        employee = con.execute(
            "SELECT is_hr, is_coordinator FROM users WHERE email = %s",
            (meta["accounts"]["employee"],),
        ).fetchone()
        coordinator = con.execute(
            "SELECT is_coordinator FROM users WHERE email = %s", (meta["accounts"]["coordinator"],)
        ).fetchone()
        job = con.execute(
            "SELECT status, organisation_id FROM jobs WHERE id = %s", (meta["candidates_job"],)
        ).fetchone()
    assert 0 < jobs_1 < TINY.jobs
    assert open_1 == meta["open_jobs_arrangement_1"]
    assert employee == (False, False)
    assert coordinator == (True,)
    assert job == ("open", 1)


def test_same_seed_same_rows(generated):
    names, _ = generated
    digests = []
    for name in names:
        with _owner(name) as con:
            digests.append(
                con.execute(
                    "SELECT md5(string_agg(t::text, ',' ORDER BY t.id)) FROM ("
                    "SELECT id, organisation_id, title, status, created_at, skills_text FROM jobs "
                    "UNION ALL SELECT id, employee_id, status, status, agreed_at, '' FROM matches"
                    ") t"
                ).fetchone()[0]
            )
    assert digests[0] == digests[1]
