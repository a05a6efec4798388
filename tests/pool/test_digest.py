"""The weekly digest: new jobs that match the employee's skills, by e-mail, for those who
chose it — and only jobs that employee may see: an organisation-only job of another
organisation never appears."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.outbox.models import OutboxMessage
from app.outbox.schedules import SCHEDULES
from app.pool.models import Job
from app.pool.notifications.digest import record_weekly_digests
from tenants.models import utcnow
from tests.ids import key_of
from tests.pool.jobs_factory import make_job
from tests.pool.privacy_world import mails_to, make_offer


def _subscribe(in_arrangement, *people) -> None:
    for person in people:
        with in_arrangement(person.arrangement_id) as s:
            s.get(User, person.id).weekly_digest = True
            s.commit()


def _run(app) -> int:
    with app.app_context():
        return record_weekly_digests()


def test_the_digest_lists_new_visible_jobs_that_match(
    app, client, world, in_arrangement, api_token, mail_outbox
):
    """Matching new jobs: the own organisation's (also organisation-only) and arrangement-wide
    ones of others. Never: another organisation's organisation-only job, a job without the
    skill, a job older than a week, a closed job, a job of another arrangement."""
    emp = world.meer.ermelo.emp
    make_offer(client, api_token, emp, skills=["Notuleren"])
    meer = world.meer
    make_job(in_arrangement, meer.harderwijk.lead, title="Gedeeld Harderwijk")
    make_job(
        in_arrangement, meer.ermelo.lead_other, title="Intern Ermelo", visibility="organisation"
    )
    make_job(in_arrangement, meer.zeewolde.lead, title="Intern Zeewolde", visibility="organisation")
    make_job(in_arrangement, meer.zeewolde.lead, title="Andere vaardigheid", skills=["Tuinieren"])
    old = make_job(in_arrangement, meer.harderwijk.lead, title="Oude klus")
    closed = make_job(in_arrangement, meer.harderwijk.lead, title="Gesloten klus")
    make_job(in_arrangement, world.elders.andere.lead, title="Elders")
    with in_arrangement(meer.arrangement) as s:
        s.get(Job, key_of("job", old)).created_at = utcnow() - timedelta(days=10)
        s.get(Job, key_of("job", closed)).status = "closed"
        s.commit()
    _subscribe(in_arrangement, emp)
    mail_outbox.clear()
    assert _run(app) == 1
    (mail,) = mails_to(mail_outbox, emp)
    assert mail.subject == "Nieuwe klussen van deze week"
    assert "Gedeeld Harderwijk" in mail.body and "Intern Ermelo" in mail.body
    for absent in ("Intern Zeewolde", "Andere vaardigheid", "Oude klus", "Gesloten klus", "Elders"):
        assert absent not in mail.body
    assert "Notuleren" in mail.body and "/meldingen/instellingen" in mail.body


def test_without_skills_the_digest_lists_every_new_visible_job(
    app, world, in_arrangement, mail_outbox
):
    """An employee without an offer gets all new jobs they may see — still never another
    organisation's organisation-only job."""
    emp = world.meer.zeewolde.emp
    make_job(in_arrangement, world.meer.harderwijk.lead, title="Gedeeld", skills=["Tuinieren"])
    make_job(
        in_arrangement, world.meer.ermelo.lead, title="Alleen Ermelo", visibility="organisation"
    )
    _subscribe(in_arrangement, emp)
    _run(app)
    (mail,) = mails_to(mail_outbox, emp)
    assert "Gedeeld" in mail.body and "Alleen Ermelo" not in mail.body


def test_only_subscribers_get_it_once_a_week_and_never_empty(
    app, client, world, in_arrangement, api_token, mail_outbox
):
    """No choice, no e-mail; a second run in the same week records nothing; a week without
    matching jobs sends nothing."""
    emp, emp2 = world.meer.ermelo.emp, world.meer.ermelo.emp2
    make_job(in_arrangement, world.meer.harderwijk.lead, title="Gedeeld")
    make_offer(client, api_token, emp2, skills=["Tuinieren"])
    _subscribe(in_arrangement, emp, emp2)
    mail_outbox.clear()
    assert _run(app) == 2
    assert len(mails_to(mail_outbox, emp)) == 1
    assert mails_to(mail_outbox, emp2) == []  # nothing matches Tuinieren: no empty e-mail
    assert mails_to(mail_outbox, world.meer.ermelo.emp_other) == []
    assert _run(app) == 0
    with in_arrangement(world.meer.arrangement) as s:
        statuses = sorted(
            s.scalars(select(OutboxMessage.status).where(OutboxMessage.kind == "pool.digest"))
        )
    assert statuses == ["dropped", "sent"]


def test_the_digest_is_a_weekly_schedule_and_a_choice_on_a_page(
    client, world, login, in_arrangement
):
    """The worker runs it weekly; the employee switches it on and off on /meldingen/instellingen."""
    every, _ = SCHEDULES["pool.weekly_digest"]
    assert every == 7 * 24 * 3600
    emp = world.meer.ermelo.emp
    login(client, emp)
    assert client.get("/meldingen/instellingen").status_code == 200
    assert client.post("/meldingen/instellingen", data={"weekly_digest": "y"}).status_code == 302
    with in_arrangement(world.meer.arrangement) as s:
        assert s.get(User, emp.id).weekly_digest is True
    client.post("/meldingen/instellingen", data={})
    with in_arrangement(world.meer.arrangement) as s:
        assert s.get(User, emp.id).weekly_digest is False
