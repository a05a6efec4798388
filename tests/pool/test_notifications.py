"""Notifications: in the app (with an unread count in the menu) and by e-mail, only ever about
what the recipient may see — checked when written, when shown and when the e-mail is sent."""

from __future__ import annotations

from sqlalchemy import delete, select

from app.accounts.models import User
from app.outbox.models import OutboxMessage
from app.pool.models import Notification
from app.pool.notifications.operations import notify
from tenants.models import DepartmentManager
from tests.ids import api_id, key_of
from tests.pool.jobs_factory import make_job
from tests.pool.privacy_world import apply_to, mails_to, other_org_job


def test_the_menu_counts_unread_notifications(client, world, in_arrangement, api_token, login):
    """The poster sees "Meldingen (1 nieuw)"; opening the notification leads to the response
    and clears the count; "Alles gelezen" clears everything."""
    job_id = other_org_job(in_arrangement, world)
    application_id = apply_to(client, api_token, world.meer.ermelo.emp, job_id)
    apply_to(client, api_token, world.meer.ermelo.emp2, job_id)
    login(client, world.meer.harderwijk.lead_other)
    assert "Meldingen (2 nieuw)" in client.get("/start").get_data(as_text=True)
    page = client.get("/meldingen").get_data(as_text=True)
    assert "Emp Ermelo reageerde op je klus" in page
    with in_arrangement(world.meer.arrangement) as s:
        first = s.scalar(
            select(Notification.id).where(
                Notification.refs["application_id"].as_integer()
                == key_of("application", application_id)
            )
        )
    opened = client.get(f"/meldingen/{api_id('notification', first)}")
    assert opened.status_code == 302 and opened.location.endswith(
        f"/reacties/{api_id('application', application_id)}"
    )
    assert "Meldingen (1 nieuw)" in client.get("/start").get_data(as_text=True)
    assert client.post("/meldingen/gelezen").status_code == 302
    start = client.get("/start").get_data(as_text=True)
    assert "Meldingen (" not in start and ">Meldingen<" in start


def test_nobody_opens_someone_elses_notification(client, world, in_arrangement, api_token, login):
    """A notification of someone else is a 404, also for HR and coordinators."""
    job_id = other_org_job(in_arrangement, world)
    apply_to(client, api_token, world.meer.ermelo.emp, job_id)
    with in_arrangement(world.meer.arrangement) as s:
        (note_id,) = s.scalars(select(Notification.id)).all()
    for person in (world.meer.harderwijk.hr, world.meer.coordinator, world.meer.ermelo.lead):
        login(client, person)
        assert client.get(f"/meldingen/{api_id('notification', note_id)}").status_code == 404
        assert (
            client.get("/api/v1/notifications", headers=api_token(person)).get_json()["total"] == 0
        )


def test_notify_writes_nothing_for_someone_who_may_not_know(
    app, client, world, in_arrangement, api_token
):
    """Asked to tell the applicant's own line manager about the response, notify() writes no
    notification and no e-mail: the rule is checked before anything is stored."""
    job_id = other_org_job(in_arrangement, world)
    application_id = apply_to(client, api_token, world.meer.ermelo.emp, job_id)
    with app.test_request_context(), in_arrangement(world.meer.arrangement) as s:
        before = s.query(OutboxMessage).count(), s.query(Notification).count()
        assert (
            notify(
                world.meer.ermelo.lead.id,
                "application_new",
                application_id=key_of("application", application_id),
            )
            is None
        )
        assert (s.query(OutboxMessage).count(), s.query(Notification).count()) == before


def test_what_may_no_longer_be_seen_is_not_shown_counted_or_sent(
    app, client, world, in_arrangement, api_token, login, mail_outbox
):
    """A department's line manager is told of a response to its job; when they stop managing
    the department before the e-mail goes out, the e-mail is dropped at delivery and the
    notification disappears from the list, the count and the API."""
    from app.outbox.delivery import deliver

    hr = world.meer.harderwijk.hr
    job_id = make_job(
        in_arrangement, hr, title="Klus van P&O", department_id=world.meer.harderwijk.other.id
    )
    application_id = apply_to(client, api_token, world.meer.ermelo.emp, job_id)
    manager = world.meer.harderwijk.lead_other
    assert len(mails_to(mail_outbox, manager)) == 1
    mail_outbox.clear()
    # A second notification whose e-mail is still waiting in the outbox.
    with app.test_request_context(), in_arrangement(world.meer.arrangement) as s:
        notify(manager.id, "application_new", application_id=key_of("application", application_id))
        s.commit()  # committed without dispatch: delivery comes later
        outbox_id = s.scalars(
            select(OutboxMessage.id).where(OutboxMessage.status == "pending")
        ).one()
        s.execute(delete(DepartmentManager).where(DepartmentManager.user_id == manager.id))
        s.commit()
    with app.app_context():
        assert deliver(outbox_id, world.meer.arrangement.id) == "dropped"
    assert mail_outbox == []
    login(client, manager)
    assert "Meldingen (" not in client.get("/start").get_data(as_text=True)
    assert "reageerde op je klus" not in client.get("/meldingen").get_data(as_text=True)
    assert client.get("/api/v1/notifications", headers=api_token(manager)).get_json()["total"] == 0
    with in_arrangement(world.meer.arrangement) as s:
        ids = s.scalars(select(Notification.id).where(Notification.user_id == manager.id)).all()
    assert ids and all(
        client.get(f"/meldingen/{api_id('notification', i)}").status_code == 404 for i in ids
    )
    # HR, the poster, still sees theirs.
    login(client, hr)
    assert "Meldingen (1 nieuw)" in client.get("/start").get_data(as_text=True)


def test_an_inactive_recipient_gets_nothing(
    app, client, world, in_arrangement, api_token, mail_outbox
):
    """A deactivated poster is not notified or mailed."""
    poster = world.meer.harderwijk.lead_other
    job_id = other_org_job(in_arrangement, world)
    with in_arrangement(world.meer.arrangement) as s:
        s.get(User, poster.id).active = False
        s.commit()
    apply_to(client, api_token, world.meer.ermelo.emp, job_id)
    assert mails_to(mail_outbox, poster) == []
    with in_arrangement(world.meer.arrangement) as s:
        assert s.query(Notification).filter_by(user_id=poster.id).count() == 0


def test_the_notifications_api(client, world, in_arrangement, api_token):
    """GET /notifications: the caller's own, newest first, with text, link and unread flag."""
    job_id = other_org_job(in_arrangement, world)
    application_id = apply_to(client, api_token, world.meer.ermelo.emp, job_id)
    body = client.get(
        "/api/v1/notifications", headers=api_token(world.meer.harderwijk.lead_other)
    ).get_json()
    assert body["total"] == 1 and body["unread"] == 1
    (item,) = body["items"]
    assert item["kind"] == "application_new" and item["unread"] is True
    assert item["url"].endswith(f"/reacties/{api_id('application', application_id)}")
    assert "Emp Ermelo" in item["text"]
