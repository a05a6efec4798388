"""Every time a person reads is in Europe/Amsterdam, through one Babel formatter (app.dates),
one style per context: pages ``2 dec 2026, 18:09``, exports ``2026-12-02 18:09``. No raw ISO
timestamps or codes (``employee``, ``match_proposed``) on the pages."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from app import dates
from app.pool.models import CapacityOffer, Notification, OfferView
from tests.ids import api_id, key_of

WINTER = datetime(2026, 12, 2, 17, 9, 17, 372608)  # stored UTC: 18:09 in Amsterdam (CET)
SUMMER = datetime(2026, 7, 1, 22, 30)  # 00:30 the next day in Amsterdam (CEST)
ISO_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def test_the_formatter_shows_amsterdam_time_in_each_language(app):
    """Winter +1 h, summer +2 h (the date moves with it); Dutch and English by Babel; exports
    in ISO order but local time."""
    with app.test_request_context(headers={"Accept-Language": "nl"}):
        assert dates.moment(WINTER) == "2 dec 2026, 18:09"
        assert dates.moment(SUMMER) == "2 jul 2026, 00:30"
        assert dates.day(SUMMER) == "2 jul 2026"
        assert dates.day(date(2026, 12, 30)) == "30 dec 2026"
        assert dates.moment(WINTER, "export") == "2026-12-02 18:09"
        assert dates.day(SUMMER, "export") == "2026-07-02"
    with app.test_request_context():
        from flask import session

        session["locale"] = "en"
        from flask_babel import refresh

        refresh()
        text = dates.moment(WINTER)
    assert text in ("Dec 2, 2026, 6:09\u202fPM", "Dec 2, 2026, 6:09 PM"), text


def test_today_is_the_amsterdam_date(app):
    """ "Today" is the local date, not the server's UTC one."""
    from zoneinfo import ZoneInfo

    with app.app_context():
        assert dates.today() == datetime.now(ZoneInfo("Europe/Amsterdam")).date()


def test_notifications_and_the_view_log_show_amsterdam_time(app, world, in_arrangement, login):
    """The notification list and "Wie heeft je aanbod bekeken" show 18:09 for 17:09 UTC."""
    emp, hr = world.meer.ermelo.emp, world.meer.ermelo.hr
    with in_arrangement(world.meer.arrangement) as s:
        offer = CapacityOffer(
            user_id=emp.id,
            organisation_id=emp.organisation_id,
            hours_per_week=8,
            available_from=dates.today(),
            available_until=dates.today() + timedelta(days=30),
            reason="peak",
            status="open",
        )
        s.add(offer)
        s.flush()
        s.add(OfferView(offer_id=offer.id, viewer_id=hr.id, viewed_at=WINTER))
        s.add(
            Notification(
                user_id=emp.id,
                kind="offer_registered",
                refs={"offer_id": offer.id},
                created_at=WINTER,
            )
        )
        s.commit()
        offer_id = offer.id
    client = app.test_client()
    login(client, emp)
    for url in ("/meldingen", f"/krachten/{api_id('offer', offer_id)}"):
        page = client.get(url).get_data(as_text=True)
        assert "2 dec 2026, 18:09" in page, url
        assert "17:09" not in page and not ISO_TIMESTAMP.search(page), url


def test_my_data_page_shows_words_and_local_times(app, world, in_arrangement, login):
    """Mijn gegevens: roles and notification kinds in words, times local, no ISO or codes."""
    emp = world.meer.ermelo.lead  # an employee who also manages a department
    with in_arrangement(world.meer.arrangement) as s:
        s.add(Notification(user_id=emp.id, kind="match_proposed", refs={}, created_at=WINTER))
        s.commit()
    client = app.test_client()
    login(client, emp)
    page = client.get("/mijn-gegevens").get_data(as_text=True)
    assert "Medewerker, Leidinggevende" in page
    assert "Nieuw voorstel" in page and "2 dec 2026, 18:09" in page
    for code in ("employee", "line_manager", "match_proposed", ">web<"):
        assert code not in page, code
    assert not ISO_TIMESTAMP.search(page)


def test_the_expiry_e_mail_writes_the_date_like_the_pages(app, world, in_arrangement, mail_outbox):
    """The reminder e-mail names the expiry date in the pages' style ("9 dec 2026"), not
    30-12-2026 or ISO."""
    from app.pool.models import Job
    from app.pool.tasks import run_job_upkeep
    from tests.pool.jobs_factory import make_job

    job_id = make_job(in_arrangement, world.meer.ermelo.lead)
    expires = dates.today() + timedelta(days=3)
    with in_arrangement(world.meer.arrangement) as s:
        s.get(Job, key_of("job", job_id)).expires_on = expires
        s.commit()
    with app.app_context():
        run_job_upkeep()
    assert mail_outbox
    with app.test_request_context():
        shown = dates.day(expires)
    for mail in mail_outbox:
        assert shown in mail.subject and shown in mail.body
        assert expires.strftime("%d-%m-%Y") not in mail.body
        assert expires.isoformat() not in mail.body
