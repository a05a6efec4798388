"""The list stays current by itself: open jobs expire, their owners are reminded in time and
renew with one click."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

from app.pool.models import Job
from app.pool.tasks import REMIND_DAYS, run_job_upkeep
from tests.ids import api_id, key_of
from tests.pool.jobs_factory import make_job


def set_expiry(in_arrangement, world, job_id: int, days_from_today: int) -> None:
    with in_arrangement(world.meer.arrangement) as session:
        session.get(Job, key_of("job", job_id)).expires_on = date.today() + timedelta(
            days=days_from_today
        )
        session.commit()


def load(in_arrangement, world, job_id: int) -> Job:
    with in_arrangement(world.meer.arrangement) as session:
        job = session.get(Job, key_of("job", job_id))
        session.expunge(job)
        return job


def test_the_upkeep_schedule_is_registered():
    """A periodic schedule runs the expiry and the reminders (app/outbox/schedules)."""
    from app.outbox.schedules import SCHEDULES

    assert "pool.job_upkeep" in SCHEDULES


def test_every_open_job_gets_an_expiry_date_from_its_organisation(make_world, in_arrangement):
    """expires_on = today + the organisation's job_expiry_days when a job opens."""
    world = make_world({"ermelo": {"job_expiry_days": 10}})
    job_id = make_job(in_arrangement, world.meer.ermelo.lead)
    assert load(in_arrangement, world, job_id).expires_on == date.today() + timedelta(days=10)
    draft_id = make_job(in_arrangement, world.meer.ermelo.lead, publish=False)
    assert load(in_arrangement, world, draft_id).expires_on is None


def test_overdue_jobs_are_marked_expired(app, world, in_arrangement):
    """The schedule marks open jobs past their date expired, in every arrangement."""
    overdue = make_job(in_arrangement, world.meer.ermelo.lead)
    current = make_job(in_arrangement, world.meer.ermelo.lead)
    elsewhere = make_job(in_arrangement, world.elders.andere.lead)
    set_expiry(in_arrangement, world, overdue, -1)
    with in_arrangement(world.elders.arrangement) as session:
        session.get(Job, key_of("job", elsewhere)).expires_on = date.today() - timedelta(days=3)
        session.commit()
    with app.app_context():
        totals = run_job_upkeep()
    assert totals["expired"] == 2
    assert load(in_arrangement, world, overdue).status == "expired"
    assert load(in_arrangement, world, current).status == "open"


def test_owners_are_reminded_once_before_expiry(app, world, in_arrangement, mail_outbox):
    """The poster, the department's line manager and HR get one e-mail with a renew link a
    few days before; the employees and another department's manager do not; a second run
    sends nothing new."""
    job_id = make_job(in_arrangement, world.meer.ermelo.lead)
    far = make_job(in_arrangement, world.meer.ermelo.lead, title="Nog lang open")
    set_expiry(in_arrangement, world, job_id, REMIND_DAYS - 2)
    with app.app_context():
        run_job_upkeep()
    recipients = sorted(address for mail in mail_outbox for address in mail.to)
    assert recipients == sorted([world.meer.ermelo.lead.email, world.meer.ermelo.hr.email])
    body = mail_outbox[0].body
    assert f"/klussen/{api_id('job', job_id)}/verlengen" in body
    assert "Nog lang open" not in "".join(m.body for m in mail_outbox)
    with app.app_context():
        run_job_upkeep()
    assert len(mail_outbox) == 2
    assert load(in_arrangement, world, far).reminder_sent_on is None


def test_renewing_from_the_email_link_extends_and_rearms(
    app, client, world, login, in_arrangement, mail_outbox
):
    """The renew link's page renews with one POST: a new expiry date, and the next reminder
    will come again before that date."""
    job_id = make_job(in_arrangement, world.meer.ermelo.lead)
    set_expiry(in_arrangement, world, job_id, 1)
    with app.app_context():
        run_job_upkeep()
    assert load(in_arrangement, world, job_id).reminder_sent_on == date.today()
    login(client, world.meer.ermelo.lead)
    assert client.get(f"/klussen/{api_id('job', job_id)}/verlengen").status_code == 200
    assert client.post(f"/klussen/{api_id('job', job_id)}/verlengen").status_code == 302
    job = load(in_arrangement, world, job_id)
    assert job.expires_on == date.today() + timedelta(days=42)
    assert job.reminder_sent_on is None


def test_an_expired_job_can_be_renewed_and_reopens(client, world, login, in_arrangement, app):
    """Renewing an expired job opens it again; a closed job cannot be renewed."""
    job_id = make_job(in_arrangement, world.meer.ermelo.lead)
    set_expiry(in_arrangement, world, job_id, -2)
    with app.app_context():
        run_job_upkeep()
    login(client, world.meer.ermelo.hr)
    client.post(f"/klussen/{api_id('job', job_id)}/verlengen")
    assert load(in_arrangement, world, job_id).status == "open"
    client.post(f"/klussen/{api_id('job', job_id)}/status", data={"status": "closed"})
    response = client.post(f"/klussen/{api_id('job', job_id)}/verlengen", follow_redirects=True)
    assert "kan niet meer verlengd worden" in response.get_data(as_text=True)
    assert load(in_arrangement, world, job_id).status == "closed"


def test_a_reminder_is_dropped_when_no_longer_true(app, world, in_arrangement):
    """At delivery the reminder is re-checked: renewed meanwhile, closed, or the recipient
    no longer on the posting side: no e-mail."""
    from app.pool.jobs.emails import job_expiring

    job_id = make_job(in_arrangement, world.meer.ermelo.lead)
    with app.test_request_context(), in_arrangement(world.meer.arrangement) as session:
        job = session.get(Job, key_of("job", job_id))
        message = SimpleNamespace(recipient_id=world.meer.ermelo.lead.id, refs={"job_id": job_id})
        assert job.reminder_sent_on is None  # renewed (or never reminded): dropped
        assert job_expiring(message) is False
        job.reminder_sent_on = date.today()
        other = SimpleNamespace(recipient_id=world.meer.ermelo.emp.id, refs={"job_id": job_id})
        assert job_expiring(other) is False  # not on the posting side
        job.status = "closed"
        assert job_expiring(message) is False
        session.rollback()
