"""All the country-scale rows, table by table (country_people, country_jobs,
country_matches), and the facts the benchmark needs about them. One random stream per table,
so each table's rows depend only on the seed and the scale."""

from __future__ import annotations

import datetime as dt

from bench import harness
from bench.country_config import Scale
from bench.country_jobs import load_jobs, load_offers
from bench.country_matches import load_matches
from bench.country_people import load_people, load_skills
from bench.country_rows import Layout, LoadContext, email_of


def _load(con, scale: Scale, today: dt.date, log) -> dict:
    """All rows, table by table. Returns counts and the facts the benchmark needs."""
    from app import register_models
    from app.extensions import db

    register_models()
    ctx = LoadContext(
        cur=con.cursor(),
        tables=db.metadata.tables,
        scale=scale,
        today=today,
        now=dt.datetime.combine(today, dt.time(12)),
        span_days=365 * scale.years,
        lay=Layout(scale),
        common=harness.load_reference_common(),
        log=log,
    )
    load_people(ctx)
    names = load_skills(ctx)
    jf = load_jobs(ctx, names)
    offer_user = load_offers(ctx, names)
    applications, open_list = load_matches(ctx, jf, offer_user)
    return _facts(ctx, jf.org, jf.status, applications, open_list)


def _facts(ctx: LoadContext, job_org, job_status, applications, open_list) -> dict:
    """The accounts the benchmark logs in with, its candidates job and a few counts."""
    cur, lay, counts = ctx.cur, ctx.lay, ctx.counts
    # the benchmark's job for "candidates": the open job of organisation 1 with most responses
    waiting: dict[int, int] = {}
    for row in applications:
        j = row[2]
        if job_status[j] == 0 and job_org[j] == 1:
            waiting[j] = waiting.get(j, 0) + 1
    candidates_job = (
        max(waiting, key=lambda j: (waiting[j], -j))
        if waiting
        else next(j for j in open_list if job_org[j] == 1)
    )
    facts = {
        "accounts": {
            "employee": email_of(lay.employee_of(1), 1),
            "line_manager": email_of(lay.manager_of(1, 1), 1),
            "hr": email_of(lay.hr_of(1), 1),
            "coordinator": email_of(lay.coordinator_of(1), 1),
        },
        "candidates_job": candidates_job,
        "candidates_job_responses": waiting.get(candidates_job, 0),
        "big_arrangement_organisations": len(lay.arr_orgs[1]),
        "open_jobs_arrangement_1": sum(1 for j in open_list if lay.org_arr[job_org[j]] == 1),
    }
    cur.close()
    return {"counts": counts, **facts}
