"""Issue 10, finding 3: identical proposals sent at the same moment make one match, not several.

The rule "one open proposal per (job, person) for a proposer" is a partial unique index of the
database (``uq_matches_open_proposal``), so it holds between web processes and on SQLite and
PostgreSQL alike; the losers get the API's usual 409 and only one proposal notice (and e-mail)
is recorded. Real parallel requests: each thread has its own test client, app context, session
and database connection.
"""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from app.matches.models import OPEN_STATUSES, Match
from app.pool.models import Notification
from tests.ids import key_of, public_id

PARALLEL = 20


def _post_all_at_once(app, headers, body) -> list[int]:
    barrier = threading.Barrier(PARALLEL)
    statuses: list[int] = []
    lock = threading.Lock()

    def propose() -> None:
        client = app.test_client()
        barrier.wait()
        response = client.post("/api/v1/matches", json=body, headers=headers)
        with lock:
            statuses.append(response.status_code)

    threads = [threading.Thread(target=propose) for _ in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return statuses


def _open_matches_and_notices(in_arrangement, arrangement_id, job_id, employee_id):
    """(open matches, proposal notices) for the person and job."""
    with in_arrangement(arrangement_id) as s:
        matches = s.scalar(
            select(func.count(Match.id)).where(
                Match.job_id == key_of("job", job_id),
                Match.employee_id == key_of("user", employee_id),
                Match.status.in_(OPEN_STATUSES),
            )
        )
        notices = s.scalar(
            select(func.count(Notification.id)).where(
                Notification.user_id == key_of("user", employee_id),
                Notification.kind == "match_proposed",
            )
        )
    return matches, notices


def test_twenty_parallel_proposals_from_one_response_make_one_match(
    app, world, scene, in_arrangement, api_token, mail_outbox
):
    """20 identical POST /api/v1/matches from the same response at the same moment: one 201,
    nineteen 409 (never a 500), one open match, one notice and one e-mail for the employee."""
    meer = world.meer
    statuses = _post_all_at_once(
        app, api_token(meer.ermelo.lead), {"applicationId": scene.application}
    )
    assert sorted(statuses) == [201] + [409] * (PARALLEL - 1), statuses
    assert _open_matches_and_notices(
        in_arrangement, meer.arrangement.id, scene.keys.job, meer.harderwijk.emp.id
    ) == (1, 1)
    assert [m.to for m in mail_outbox if "voorgesteld" in m.body] == [[meer.harderwijk.emp.email]]


def test_twenty_parallel_direct_proposals_make_one_match(
    app, world, scene, in_arrangement, api_token, mail_outbox
):
    """The same for a direct proposal (a job with an ``employee_id``) by HR of the employee's
    organisation."""
    meer = world.meer
    employee = meer.ermelo.emp_other
    statuses = _post_all_at_once(
        app,
        api_token(meer.ermelo.hr),
        {"jobId": scene.same_org_job, "employeeId": public_id("user", employee.id)},
    )
    assert sorted(statuses) == [201] + [409] * (PARALLEL - 1), statuses
    assert _open_matches_and_notices(
        in_arrangement, meer.arrangement.id, scene.keys.same_org_job, employee.id
    ) == (1, 1)
    assert [m.to for m in mail_outbox if "voorgesteld" in m.body] == [[employee.email]]
