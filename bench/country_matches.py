"""Country-scale rows, third part: placements (matches with their approvals, the placement
and an agreement version), open proposals and responses (stream SEED + 7)."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from array import array

from bench.country_config import SEED
from bench.country_jobs import JobFacts
from bench.country_rows import LoadContext, _copy


def load_matches(
    ctx: LoadContext, jf: JobFacts, offer_user: array
) -> tuple[list[tuple], list[int]]:
    """Applications, matches, approvals, placements and agreements; returns the applications
    and the open job ids in order."""
    cur, tables, scale, lay, timed = ctx.cur, ctx.tables, ctx.scale, ctx.lay, ctx.timed
    now, today = ctx.now, ctx.today
    job_org, job_status, job_day, open_ids = jf.org, jf.status, jf.day, jf.open_ids

    # placements: distinct filled jobs; the employee from an organisation of the same
    # arrangement (a third from the job's own); half via a response, half via an offer
    rng = random.Random(SEED + 7)
    filled = [j for j in range(1, scale.jobs + 1) if job_status[j] == 1]
    placed_jobs = rng.sample(filled, scale.placements)
    arr_offers: dict[int, list[int]] = {}
    for f in range(1, scale.offers + 1):
        arr_offers.setdefault(lay.org_arr[lay.user_org[offer_user[f]]], []).append(f)
    applications: list[tuple] = []
    applied: set[tuple[int, int]] = set()
    matches: list[tuple] = []
    approvals: list[tuple] = []
    placements: list[tuple] = []
    agreements: list[tuple] = []
    app_id = 0

    def add_application(j, u, status, created):
        nonlocal app_id
        app_id += 1
        applied.add((j, u))
        o = lay.user_org[u]
        closed = (
            None if status in ("submitted", "in_conversation") else created + dt.timedelta(days=10)
        )
        applications.append(
            (app_id, lay.org_arr[o], j, u, o, "Graag!", None, status, created, created, closed)
        )
        return app_id

    for m, j in enumerate(placed_jobs, start=1):
        borrowing = job_org[j]
        arr = lay.org_arr[borrowing]
        orgs_here = lay.arr_orgs[arr]
        lending = borrowing if rng.random() < 0.33 else rng.choice(orgs_here)
        posted = now - dt.timedelta(days=job_day[j])
        agreed = posted + dt.timedelta(days=rng.randint(3, 40))
        start = agreed.date() + dt.timedelta(days=rng.randint(1, 21))
        end = start + dt.timedelta(days=rng.randint(30, 365))
        status = "active" if end >= today else ("completed" if rng.random() < 0.85 else "ended")
        ended = dt.datetime.combine(end, dt.time(17)) if status == "ended" else None
        application_id = capacity_id = None
        if m % 2 and arr_offers.get(arr):
            capacity_id = rng.choice(arr_offers[arr])
            employee = offer_user[capacity_id]
            lending = lay.user_org[employee]
        else:
            employee = lay.random_employee(rng, lending)
            while (j, employee) in applied:
                employee = lay.random_employee(rng, lending)
            application_id = add_application(j, employee, "matched", posted + dt.timedelta(days=1))
        hours = rng.randint(4, 24)
        proposer = lay.manager_of(borrowing, 1)
        matches.append(
            (
                m,
                arr,
                j,
                employee,
                application_id,
                capacity_id,
                proposer,
                lending,
                borrowing,
                status,
                hours,
                start,
                end,
                agreed,
                agreed,
                ended,
                agreed,
                agreed,
                1,
                1,
                1,
            )
        )
        for p, party in enumerate(("employee", "lending", "borrowing")):
            by = (
                employee
                if party == "employee"
                else lay.hr_of(lending if party == "lending" else borrowing)
            )
            approvals.append((3 * (m - 1) + p + 1, arr, m, party, "approve", by, agreed, 1))
        placements.append((m, arr, j, 1, m, agreed))
        terms = {
            "hours_per_week": hours,
            "start_date": start.isoformat(),
            "end_date": end.isoformat(),
            "place_of_work": "",
            "supervisor_name": "",
            "supervisor_role": "",
            "cost_recharge": "none",
            "hourly_rate": None,
            "vat_treatment": "",
            "notes": "",
        }
        agreements.append(
            (
                m,
                arr,
                m,
                1,
                1,
                terms,
                "ready",
                hashlib.sha256(str(m).encode()).hexdigest(),
                41_000,
                agreed,
                agreed,
            )
        )

    # open proposals waiting for decisions, on distinct open jobs
    open_list = sorted(open_ids)
    for j in rng.sample(open_list, min(scale.proposals, len(open_list))):
        m = len(matches) + 1
        borrowing = job_org[j]
        arr = lay.org_arr[borrowing]
        lending = rng.choice(lay.arr_orgs[arr])
        employee = lay.random_employee(rng, lending)
        created = now - dt.timedelta(days=rng.randrange(20))
        start = today + dt.timedelta(days=rng.randint(7, 40))
        consented = created if rng.random() < 0.5 else None
        matches.append(
            (
                m,
                arr,
                j,
                employee,
                None,
                None,
                lay.manager_of(borrowing, 1),
                lending,
                borrowing,
                "proposed",
                rng.randint(4, 24),
                start,
                start + dt.timedelta(days=90),
                None,
                consented,
                None,
                created,
                created,
                1,
                None,
                1,
            )
        )
        if consented:
            approvals.append(
                (len(approvals) + 1, arr, m, "employee", "approve", employee, created, 1)
            )

    # more responses: on open jobs (waiting) and on older ones (decided)
    while len(applications) < scale.applications:
        j = rng.randint(1, scale.jobs)
        if job_status[j] == 4:
            continue
        o = rng.choice(lay.arr_orgs[lay.org_arr[job_org[j]]])
        u = lay.random_employee(rng, o)
        if (j, u) in applied:
            continue
        posted = now - dt.timedelta(days=job_day[j])
        created = posted + dt.timedelta(days=rng.randint(0, min(30, job_day[j])))
        if job_status[j] == 0:
            status = "submitted" if rng.random() < 0.7 else "in_conversation"
        else:
            status = "declined" if rng.random() < 0.7 else "withdrawn"
        add_application(j, u, status, created)

    timed(
        "applications",
        lambda: _copy(
            cur,
            tables["applications"],
            [
                "id",
                "arrangement_id",
                "job_id",
                "user_id",
                "organisation_id",
                "motivation",
                "hours_per_week",
                "status",
                "created_at",
                "updated_at",
                "closed_at",
            ],
            applications,
        ),
    )
    timed(
        "matches",
        lambda: _copy(
            cur,
            tables["matches"],
            [
                "id",
                "arrangement_id",
                "job_id",
                "employee_id",
                "application_id",
                "capacity_id",
                "proposed_by_id",
                "lending_organisation_id",
                "borrowing_organisation_id",
                "status",
                "hours_per_week",
                "start_date",
                "end_date",
                "agreed_at",
                "employee_consented_at",
                "ended_at",
                "created_at",
                "updated_at",
                "terms_version",
                "agreed_terms_version",
                "row_version",
            ],
            matches,
        ),
    )
    timed(
        "match_approvals",
        lambda: _copy(
            cur,
            tables["match_approvals"],
            [
                "id",
                "arrangement_id",
                "match_id",
                "party",
                "decision",
                "by_id",
                "at",
                "terms_version",
            ],
            approvals,
        ),
    )
    timed(
        "placements",
        lambda: _copy(
            cur,
            tables["placements"],
            ["id", "arrangement_id", "job_id", "slot", "match_id", "created_at"],
            placements,
        ),
    )
    timed(
        "agreements",
        lambda: _copy(
            cur,
            tables["agreements"],
            [
                "id",
                "arrangement_id",
                "match_id",
                "version",
                "terms_version",
                "terms",
                "status",
                "sha256",
                "size",
                "created_at",
                "rendered_at",
            ],
            agreements,
        ),
    )
    return applications, open_list
