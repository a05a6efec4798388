"""API: jobs (CONTRACT.md). Thin: parse, call one operation, serialise."""

from __future__ import annotations

from app import policy
from app.accounts.auth import api_auth
from app.extensions import db
from app.pool.api import blp
from app.pool.jobs import operations as jobs
from app.pool.jobs.schemas import (
    JobCreateSchema,
    JobListQuerySchema,
    JobListSchema,
    JobPatchSchema,
    JobSchema,
)
from app.pool.search import Filters, jobs_by_ids, search_jobs
from app.transaction import commit
from tenants.models import Organisation

BEARER = [{"bearer": []}]


def _may_post(user) -> None:
    """Before the body is read: only who may post jobs for their organisation (403)."""
    policy.require(user, "job.post", db.session.get(Organisation, user.organisation_id))


def _may_manage(user, job_id: int) -> None:
    """Before the body is read: 404 for a job the caller cannot see, 403 if they only see it."""
    jobs.get_job(user, job_id, manage=True)


def _department_input(user, data: dict) -> dict:
    """The API names a department by slug; operations take its id."""
    data = dict(data)
    if "department" in data:
        slug = data.pop("department")
        if slug is None:
            data["department_id"] = None
        else:
            match = [d for d in jobs.department_choices(user) if d.slug == slug]
            if not match:
                raise jobs.JobInputError(
                    {"department": ["Onbekende afdeling, of een waarvoor je niet mag plaatsen."]}
                )
            data["department_id"] = match[0].id
    return data


@blp.route("/jobs", methods=["GET"])
@blp.doc(security=BEARER)
@api_auth
@blp.arguments(JobListQuerySchema, location="query", error_status_code=400)
@blp.response(200, JobListSchema)
def list_jobs(user, args):
    """The jobs the caller may see: open ones of the own organisation and the arrangement-wide
    ones of the others (``status`` for other states), ranked by ``q`` when given."""
    filters = Filters(
        organisation=args["organisation"],
        type=args.get("type"),
        skill=args["skill"],
        hours_min=args["hours_min"],
        hours_max=args["hours_max"],
        available_from=args["available_from"],
        available_until=args["available_until"],
        remote=args["remote"],
        status=args["status"],
    )
    result = search_jobs(user, args["q"], filters, args["page"], args["per_page"], exact_total=True)
    return {
        "items": jobs_by_ids([row.id for row in result.items]),
        "total": result.total,
        "page": result.page,
        "per_page": result.per_page,
    }


@blp.route("/jobs", methods=["POST"])
@blp.doc(security=BEARER)
@api_auth(before=_may_post)
@blp.arguments(JobCreateSchema, error_status_code=400)
@blp.response(201, JobSchema)
@blp.alt_response(403, description="Only line managers and HR post jobs")
def create_job(user, data):
    """Post a job for the caller's own organisation (line manager or HR); it opens at once.
    ``type`` is the kind of exchange (default ``klus``)."""
    job = jobs.create_job(user, _department_input(user, data), publish=True)
    commit()
    return job


@blp.route("/jobs/<int:job_id>", methods=["GET"])
@blp.doc(security=BEARER)
@blp.response(200, JobSchema)
@api_auth
def get_job(user, job_id: int):
    """One job; 404 when it does not exist or the caller may not see it."""
    return jobs.get_job(user, job_id)


@blp.route("/jobs/<int:job_id>", methods=["PATCH"])
@blp.doc(security=BEARER)
@api_auth(before=_may_manage)
@blp.arguments(JobPatchSchema, error_status_code=400)
@blp.response(200, JobSchema)
@blp.alt_response(403, description="Not on the job's posting side")
@blp.alt_response(409, description="The status change is not possible from the current one")
def patch_job(user, data, job_id: int):
    """Change a job (its posting side: poster, the department's line manager, HR)."""
    job = jobs.get_job(user, job_id, manage=True)
    jobs.update_job(user, job, _department_input(user, data))
    commit()
    return job
