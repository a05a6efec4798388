"""The job page leads whoever may propose placements to the job's ranked candidates."""

from app.pool.jobs import operations as jobs
from tenants.context import use_arrangement
from tests.ids import api_id


def _job(app, world):
    from datetime import date, timedelta

    from app.accounts.models import User
    from app.extensions import db
    from app.transaction import commit

    with app.app_context(), use_arrangement(world.meer.arrangement.id):
        lead = db.session.get(User, world.meer.harderwijk.lead.id)
        job = jobs.create_job(
            lead,
            {
                "title": "Notuleren raadscommissie",
                "description": "Verslag maken.",
                "hours_per_week": 8,
                "start_date": date.today() + timedelta(days=7),
                "end_date": date.today() + timedelta(days=60),
                "visibility": "arrangement",
            },
        )
        job_id = job.id
        commit()
    return job_id


def test_the_posting_side_and_coordinator_see_the_candidates_link(app, world, login):
    """The job's line manager and the coordinator get the link; an employee does not."""
    job_id = _job(app, world)
    for user, expected in (
        (world.meer.harderwijk.lead, True),
        (world.meer.coordinator, True),
        (world.meer.ermelo.emp, False),
    ):
        client = app.test_client()
        login(client, user)
        page = client.get(f"/klussen/{api_id('job', job_id)}").get_data(as_text=True)
        assert (f"/klussen/{api_id('job', job_id)}/kandidaten" in page) is expected, user.email
        if expected:
            assert client.get(f"/klussen/{api_id('job', job_id)}/kandidaten").status_code == 200
