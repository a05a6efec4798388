"""Concurrent final approvals can never place more people than the job has places: the seat is
a row with UNIQUE(job_id, slot), which holds on SQLite and PostgreSQL alike (SQLAlchemy's
with_for_update() would be silently ignored by SQLite). Run on both backends."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from app.accounts.operations import create_user
from app.matches.models import Agreement, Approval, Match, Placement
from app.pool.models import Job
from tests.ids import api_id, key_of
from tests.matches.conftest import make_application, make_job
from tests.support.world import PASSWORD

PARALLEL = 20


def _twenty_matches_waiting_for_the_host(world, in_arrangement, places: int):
    meer = world.meer
    with in_arrangement(meer.arrangement.id) as s:
        job = make_job(
            s, meer.ermelo.org, department=meer.ermelo.team, poster=meer.ermelo.lead, places=places
        )
        match_ids = []
        for number in range(PARALLEL):
            employee = create_user(
                organisation_id=meer.harderwijk.org.id,
                email=f"parallel{number}@harderwijk.test",
                name=f"Parallel {number}",
                password=PASSWORD,
                department_id=meer.harderwijk.team.id,
            )
            application = make_application(s, job.id, employee)
            match = Match(
                job_id=job.id,
                employee_id=employee.id,
                application_id=application.id,
                proposed_by_id=meer.ermelo.lead.id,
                lending_organisation_id=meer.harderwijk.org.id,
                borrowing_organisation_id=meer.ermelo.org.id,
                hours_per_week=8,
                start_date=job.start_date,
                end_date=job.end_date,
                employee_consented_at=job.created_at,
            )
            s.add(match)
            s.flush()
            s.add_all(
                [
                    Approval(
                        match_id=match.id, party="employee", decision="approve", by_id=employee.id
                    ),
                    Approval(
                        match_id=match.id,
                        party="lending",
                        decision="approve",
                        by_id=meer.harderwijk.hr.id,
                    ),
                ]
            )
            match_ids.append(match.id)
        job_id = job.id
        s.commit()
    return job_id, match_ids


def _approve_all_at_once(app, headers, match_ids) -> list[int]:
    barrier = threading.Barrier(len(match_ids))
    statuses: list[int] = []
    lock = threading.Lock()

    def final_approval(match_id: int) -> None:
        client = app.test_client()  # each request: its own app context and session
        barrier.wait()
        response = client.post(
            f"/api/v1/matches/{api_id('match', match_id)}/decision",
            json={"decision": "approve"},
            headers=headers,
        )
        with lock:
            statuses.append(response.status_code)

    threads = [threading.Thread(target=final_approval, args=(m,)) for m in match_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return statuses


def test_twenty_parallel_final_approvals_for_one_place_make_one_placement(
    app, world, in_arrangement, api_token
):
    """20 matches for a one-place job, each waiting only for the host's approval; the host
    approves all 20 at the same moment: exactly one 200, nineteen 409, one seat, one agreed
    match, one agreement, the job filled — and no 500."""
    job_id, match_ids = _twenty_matches_waiting_for_the_host(world, in_arrangement, places=1)
    headers = api_token(world.meer.ermelo.lead)
    statuses = _approve_all_at_once(app, headers, match_ids)
    assert sorted(statuses) == [200] + [409] * (PARALLEL - 1), statuses
    with in_arrangement(world.meer.arrangement.id) as s:
        assert (
            s.scalar(
                select(func.count(Placement.id)).where(Placement.job_id == key_of("job", job_id))
            )
            == 1
        )
        agreed = s.scalars(select(Match).where(Match.status.in_(("agreed", "active")))).all()
        assert len(agreed) == 1
        assert s.scalar(select(func.count(Agreement.id))) == 1
        assert s.scalar(select(func.count(Approval.id)).where(Approval.party == "borrowing")) == 1
        assert s.get(Job, key_of("job", job_id)).status == "filled"


def test_parallel_final_approvals_fill_every_place_and_no_more(
    app, world, in_arrangement, api_token
):
    """The same with three places: three seats 1, 2, 3 taken, seventeen refused."""
    job_id, match_ids = _twenty_matches_waiting_for_the_host(world, in_arrangement, places=3)
    statuses = _approve_all_at_once(app, api_token(world.meer.ermelo.lead), match_ids)
    assert sorted(statuses) == [200] * 3 + [409] * (PARALLEL - 3), statuses
    with in_arrangement(world.meer.arrangement.id) as s:
        slots = s.scalars(
            select(Placement.slot).where(Placement.job_id == key_of("job", job_id))
        ).all()
        assert sorted(slots) == [1, 2, 3]
        assert s.get(Job, key_of("job", job_id)).status == "filled"


def test_lending_and_borrowing_approving_at_the_same_moment_never_strand_a_match(
    app, world, scene, in_arrangement, api_token
):
    """The last two approvals arrive together: the match's row version lets only one of two
    stale views count (the other is 409, to try again), so a match never ends up with all
    three approvals but not agreed."""
    from tests.matches.helpers import decide, propose

    meer = world.meer
    client = app.test_client()
    match_id = propose(client, api_token(meer.ermelo.lead), application_id=scene.application)
    assert decide(client, api_token(meer.harderwijk.emp), match_id).status_code == 200
    lending, borrowing = api_token(meer.harderwijk.hr), api_token(meer.ermelo.lead)
    barrier = threading.Barrier(2)
    statuses = {}

    def approve(name, headers):
        own = app.test_client()
        barrier.wait()
        statuses[name] = decide(own, headers, match_id).status_code

    threads = [
        threading.Thread(target=approve, args=a)
        for a in (("lending", lending), ("borrowing", borrowing))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses.values()) in ([200, 200], [200, 409]), statuses
    for name, status in statuses.items():
        if status == 409:
            retry = decide(client, lending if name == "lending" else borrowing, match_id)
            assert retry.status_code == 200, retry.get_json()
    with in_arrangement(meer.arrangement.id) as s:
        match = s.get(Match, key_of("match", match_id))
        assert match.status in ("agreed", "active")
        assert len(match.current_approvals()) == 3
        assert s.scalar(select(func.count(Placement.id))) == 1
