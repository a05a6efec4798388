"""Making jobs in tests through the real operation (app.pool.jobs.operations.create_job)."""

from __future__ import annotations

from datetime import date, timedelta

from app.accounts.models import User


def job_data(**overrides) -> dict:
    start = date.today() + timedelta(days=7)
    data = {
        "title": "Notulist gezocht",
        "description": "Notuleren van de raadscommissie.",
        "hours_per_week": 8,
        "start_date": start,
        "end_date": start + timedelta(days=60),
        "skills": ["Notuleren"],
    }
    data.update(overrides)
    return data


def make_job(in_arrangement, poster, *, publish: bool = True, **overrides) -> int:
    """Create a job as ``poster`` (a world snapshot) and commit; returns its id."""
    from app.pool.jobs.operations import create_job
    from app.transaction import commit

    with in_arrangement(poster.arrangement_id) as session:
        user = session.get(User, poster.id)
        job = create_job(user, job_data(**overrides), publish=publish)
        commit()
        return job.id
