"""Cross-arrangement cases for the job routes (tests/test_routes_cross_arrangement.py): HR and
the coordinator of arrangement "elders" get 404 for a job of "meer", by every route that takes
its id, and none of its text, however they ask (page, form post, renew, status, API)."""

from __future__ import annotations

from tests.ids import public_id
from tests.route_cases import OWN_DATA, Req, route_case

SECRET_TITLE = "Klus die niemand buiten Meer mag zien"
SECRET_DESCRIPTION = "Omschrijving die niemand buiten Meer mag lezen"

OWN_DATA.update(
    {
        "pool.jobs_list": "the jobs the caller may see, in their own arrangement "
        "(tests/pool/test_jobs_visibility.py)",
        "pool.job_new": "posts a job for the caller's own organisation",
        "pool.my_jobs_list": "the jobs the caller posts or manages, in their own organisation",
        "pool.for_you": "ranked against the caller's own offer",
        "pool_api.list_jobs": "the jobs the caller may see (tests/pool/test_jobs_visibility.py)",
        "pool_api.create_job": "posts a job for the caller's own organisation",
    }
)


def _meer_jobs(ctx) -> dict:
    """An arrangement-wide open job and an organisation-only draft, in "meer"."""
    if "pool_jobs" in ctx.extra:
        return ctx.extra["pool_jobs"]
    from tests.pool.jobs_factory import make_job

    lead = ctx.world.meer.ermelo.lead
    data = {
        "open": make_job(
            ctx.in_arrangement, lead, title=SECRET_TITLE, description=SECRET_DESCRIPTION
        ),
        "draft": make_job(
            ctx.in_arrangement,
            lead,
            publish=False,
            title=SECRET_TITLE,
            description=SECRET_DESCRIPTION,
            visibility="organisation",
        ),
    }
    ctx.extra["pool_jobs"] = data
    ctx.extra.setdefault("secrets", []).extend([SECRET_TITLE, SECRET_DESCRIPTION])
    return data


def _each(ctx, make) -> list[Req]:
    return [make(public_id("job", job_id)) for job_id in _meer_jobs(ctx).values()]


@route_case("pool.job_detail")
def _detail(ctx):
    return _each(ctx, lambda i: Req("GET", f"/klussen/{i}"))


@route_case("pool.job_edit")
def _edit(ctx):
    reqs = _each(ctx, lambda i: Req("GET", f"/klussen/{i}/bewerken"))
    reqs += _each(
        ctx,
        lambda i: Req(
            "POST",
            f"/klussen/{i}/bewerken",
            data={
                "title": "Overgenomen",
                "hours_per_week": "8",
                "start_date": "2030-01-01",
                "end_date": "2030-02-01",
                "places": "1",
                "visibility": "arrangement",
            },
        ),
    )
    return reqs


@route_case("pool.job_renew")
def _renew(ctx):
    return _each(ctx, lambda i: Req("GET", f"/klussen/{i}/verlengen")) + _each(
        ctx, lambda i: Req("POST", f"/klussen/{i}/verlengen", data={})
    )


@route_case("pool.job_status")
def _status(ctx):
    return _each(ctx, lambda i: Req("POST", f"/klussen/{i}/status", data={"status": "closed"}))


@route_case("pool_api.get_job")
def _api_get(ctx):
    return _each(ctx, lambda i: Req("GET", f"/api/v1/jobs/{i}", auth="api"))


@route_case("pool_api.patch_job")
def _api_patch(ctx):
    return _each(
        ctx, lambda i: Req("PATCH", f"/api/v1/jobs/{i}", json={"title": "Overgenomen"}, auth="api")
    )
