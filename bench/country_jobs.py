"""Country-scale rows, second part: jobs (with their skills) and capacity offers (with
theirs). The jobs' streams are SEED + 2 (descriptions), + 3 (which are open) and + 4; the
offers' SEED + 5 and + 6."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from array import array

from bench.country_config import DEPARTMENTS_PER_ORG, DESCRIPTION_POOL, SEED, SKILLS_PER_ARRANGEMENT
from bench.country_rows import JOB_STATUS, LoadContext, _copy, skill_id


@dataclasses.dataclass
class JobFacts:
    """Per job id what the later tables need: organisation, status code (JOB_STATUS), days
    before `today` it was posted, and the open ones."""

    org: array
    status: bytearray
    day: array
    open_ids: set[int]


def load_jobs(ctx: LoadContext, names: list[str]) -> JobFacts:
    """Jobs created over `years` years, the open ones within the last half year; their skills."""
    from app.pool.markdown import excerpt

    cur, tables, scale, lay, timed = ctx.cur, ctx.tables, ctx.scale, ctx.lay, ctx.timed
    now, today, span_days, common = ctx.now, ctx.today, ctx.span_days, ctx.common

    # jobs: created over `years` years; the open ones within the last half year
    rng_pool = random.Random(SEED + 2)
    pool = [common.make_description(rng_pool) for _ in range(min(DESCRIPTION_POOL, scale.jobs))]
    summaries = [excerpt(d) for d in pool]
    job_org = array("i", [0]) * (scale.jobs + 1)
    job_status = bytearray(scale.jobs + 1)
    job_day = array("i", [0]) * (scale.jobs + 1)  # days before `today` it was posted
    job_skill_pick: list[tuple[int, ...]] = [()] * (scale.jobs + 1)
    rng_open = random.Random(SEED + 3)
    open_ids = set(rng_open.sample(range(1, scale.jobs + 1), scale.open_jobs))

    def jobs():
        rng = random.Random(SEED + 4)
        for j in range(1, scale.jobs + 1):
            o = rng.randint(1, scale.organisations)
            a = lay.org_arr[o]
            k = rng.randint(1, DEPARTMENTS_PER_ORG)
            if j in open_ids:
                status = 0
                age = rng.randrange(180)
            else:
                age = rng.randrange(span_days)
                r = rng.random()
                status = 1 if r < 0.4 else 2 if r < 0.75 else 3 if r < 0.95 else 4
            created = now - dt.timedelta(days=age, seconds=rng.randrange(86400))
            start = (created + dt.timedelta(days=rng.randint(7, 60))).date()
            picked = tuple(
                sorted({rng.randrange(SKILLS_PER_ARRANGEMENT) for _ in range(rng.randint(1, 4))})
            )
            job_org[j], job_status[j], job_day[j], job_skill_pick[j] = o, status, age, picked
            d = rng.randrange(len(pool))
            poster = lay.manager_of(o, k)
            yield (
                j,
                a,
                o,
                lay.department_id(o, k),
                poster,
                poster,
                common.make_title(rng),
                pool[d],
                summaries[d],
                rng.randint(4, 36),
                start,
                start + dt.timedelta(days=rng.randint(14, 365)),
                "",
                rng.random() < 0.3,
                1,
                "arrangement" if rng.random() < 0.8 else "organisation",
                JOB_STATUS[status],
                today + dt.timedelta(days=rng.randint(180, 540)) if status == 0 else None,
                "\n".join(sorted((names[s] for s in picked), key=str.casefold)),
                created,
                created,
            )

    timed(
        "jobs",
        lambda: _copy(
            cur,
            tables["jobs"],
            [
                "id",
                "arrangement_id",
                "organisation_id",
                "department_id",
                "posted_by_id",
                "contact_id",
                "title",
                "description",
                "summary",
                "hours_per_week",
                "start_date",
                "end_date",
                "location",
                "remote",
                "places",
                "visibility",
                "status",
                "expires_on",
                "skills_text",
                "created_at",
                "updated_at",
            ],
            jobs(),
        ),
    )

    def job_skills():
        n = 0
        for j in range(1, scale.jobs + 1):
            a = lay.org_arr[job_org[j]]
            for s in job_skill_pick[j]:
                n += 1
                yield (n, a, j, skill_id(a, s), names[s])

    timed(
        "job_skills",
        lambda: _copy(
            cur,
            tables["job_skills"],
            ["id", "arrangement_id", "job_id", "skill_id", "name"],
            job_skills(),
        ),
    )
    job_skill_pick.clear()
    return JobFacts(job_org, job_status, job_day, open_ids)


def load_offers(ctx: LoadContext, names: list[str]) -> array:
    """Capacity offers and their skills; returns each offer's user (by offer id)."""
    cur, tables, scale, lay, timed = ctx.cur, ctx.tables, ctx.scale, ctx.lay, ctx.timed
    today, span_days = ctx.today, ctx.span_days

    # capacity offers: 30 % open (available now or from soon), the rest withdrawn or closed
    offer_user = array("i", [0]) * (scale.offers + 1)
    offer_open = bytearray(scale.offers + 1)

    def offers():
        rng = random.Random(SEED + 5)
        for f in range(1, scale.offers + 1):
            u = rng.randint(1, scale.people)
            o = lay.user_org[u]
            offer_user[f] = u
            if rng.random() < 0.3:
                offer_open[f] = 1
                start = today - dt.timedelta(days=rng.randrange(120))
                until = (
                    None if rng.random() < 0.3 else today + dt.timedelta(days=rng.randint(30, 365))
                )
                status, closed = "open", None
            else:
                start = today - dt.timedelta(days=rng.randrange(span_days))
                until = start + dt.timedelta(days=rng.randint(30, 365))
                status = "closed" if rng.random() < 0.7 else "withdrawn"
                closed = dt.datetime.combine(min(until, today), dt.time(9))
            created = dt.datetime.combine(start, dt.time(10)) - dt.timedelta(days=rng.randrange(14))
            yield (
                f,
                lay.org_arr[o],
                u,
                o,
                rng.randint(4, 20),
                start,
                until,
                rng.choice(("peak", "development", "reintegration", "other")),
                status,
                created,
                created,
                closed,
            )

    timed(
        "capacity_offers",
        lambda: _copy(
            cur,
            tables["capacity_offers"],
            [
                "id",
                "arrangement_id",
                "user_id",
                "organisation_id",
                "hours_per_week",
                "available_from",
                "available_until",
                "reason",
                "status",
                "created_at",
                "updated_at",
                "closed_at",
            ],
            offers(),
        ),
    )

    def offer_skills():
        rng = random.Random(SEED + 6)
        n = 0
        for f in range(1, scale.offers + 1):
            a = lay.org_arr[lay.user_org[offer_user[f]]]
            for s in sorted(
                {rng.randrange(SKILLS_PER_ARRANGEMENT) for _ in range(rng.randint(1, 4))}
            ):
                n += 1
                yield (n, a, f, skill_id(a, s), names[s])

    timed(
        "offer_skills",
        lambda: _copy(
            cur,
            tables["offer_skills"],
            ["id", "arrangement_id", "offer_id", "skill_id", "name"],
            offer_skills(),
        ),
    )
    return offer_user
