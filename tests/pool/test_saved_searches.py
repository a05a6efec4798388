"""Saved searches with e-mail alerts (issue 14), over real SMTP (aiosmtpd): a new matching job
is mailed once; a non-matching job, or another organisation's organisation-only job, never; no
news, no e-mail; the signed unsubscribe link works without a session, for its own search only;
and the searches are their owner's alone."""

from __future__ import annotations

import re
from datetime import timedelta
from email import message_from_bytes

from sqlalchemy import select

from app.accounts.models import User
from app.pool.models import Job
from app.pool.saved_searches import SavedSearch, record_due_alerts, unsubscribe_token
from tenants.models import utcnow
from tests.foundation.test_outbox_mail import smtp_server  # noqa: F401  the aiosmtpd fixture
from tests.ids import api_id, key_of
from tests.pool.jobs_factory import make_job

#: The columns a test copies from one job to make many like it.
COPIED = (
    "organisation_id",
    "department_id",
    "posted_by_id",
    "contact_id",
    "type",
    "description",
    "summary",
    "hours_per_week",
    "start_date",
    "end_date",
    "expires_on",
    "status",
    "visibility",
    "skills_text",
    "location",
)


def _mails(inbox, to):
    out = []
    for envelope in inbox.envelopes:
        if envelope.rcpt_tos == [to]:
            message = message_from_bytes(envelope.content)
            out.append((message, message.get_payload(decode=True).decode()))
    return out


def _save(client, query: str, frequency: str = "daily", name: str = "") -> int:
    response = client.post(
        "/zoekopdrachten", data={"query": query, "frequency": frequency, "name": name}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return response


def _run(app, days: float) -> int:
    with app.app_context():
        return record_due_alerts(utcnow() + timedelta(days=days))


def test_alerts_over_smtp_once_visible_only_and_one_click_unsubscribe(
    make_app,
    world,
    login,
    in_arrangement,
    smtp_server,  # noqa: F811
):
    controller, inbox = smtp_server
    app = make_app(
        MAIL_BACKEND="smtp",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=controller.port,
        MAIL_DEFAULT_SENDER="Deelkracht <noreply@deelkracht.test>",
    )
    meer = world.meer
    emp, colleague = meer.ermelo.emp, meer.ermelo.emp2
    client = app.test_client()
    login(client, emp)
    _save(client, "q=notulen&hours_max=20", name="Notuleren")
    _save(client, "q=zwembad", frequency="weekly")
    login(client, colleague)
    _save(client, "q=notulen")

    make_job(in_arrangement, meer.harderwijk.lead, title="Notulist raad", description="Notuleren")
    make_job(in_arrangement, meer.harderwijk.lead, title="Tuinman", description="Hagen", skills=[])
    make_job(in_arrangement, meer.harderwijk.lead, title="Notulist fulltime", hours_per_week=36)
    make_job(
        in_arrangement,
        meer.zeewolde.lead,
        title="Notulist Zeewolde intern",
        visibility="organisation",
    )
    make_job(
        in_arrangement, meer.ermelo.lead, title="Notulist Ermelo intern", visibility="organisation"
    )
    make_job(in_arrangement, world.elders.andere.lead, title="Notulist elders")

    assert _run(app, 1) == 2  # the two daily searches; the weekly one is not due yet
    ((mail, body),) = _mails(inbox, emp.email)
    assert mail["Subject"] == 'Nieuwe klussen voor je zoekopdracht "Notuleren"'
    assert "Notulist raad" in body and "Notulist Ermelo intern" in body
    for absent in ("Tuinman", "Notulist fulltime", "Notulist Zeewolde intern", "Notulist elders"):
        assert absent not in body, absent
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header = "".join(str(mail["List-Unsubscribe"]).split())  # long headers are folded
    unsubscribe = re.fullmatch(r"<(http://[^>]+)>", header).group(1)
    assert unsubscribe in body
    ((_, other_body),) = _mails(inbox, colleague.email)
    assert "Notulist raad" in other_body

    # Mailed once: the next day nothing is new, so no e-mail at all.
    inbox.envelopes.clear()
    assert _run(app, 2.1) == 2
    assert inbox.envelopes == []

    # One-click unsubscribe without a session, as a mail client does it (RFC 8058).
    path = unsubscribe.removeprefix("http://deelkracht.test")
    anonymous = app.test_client()
    assert "Afmelden" in anonymous.get(path).get_data(as_text=True)
    done = anonymous.post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    with in_arrangement(meer.arrangement) as s:
        frequencies = {
            (row.user_id, row.query): row.frequency for row in s.scalars(select(SavedSearch))
        }
    assert frequencies == {
        (emp.id, "hours_max=20&q=notulen"): "never",
        (emp.id, "q=zwembad"): "weekly",  # only the search the link names
        (colleague.id, "q=notulen"): "daily",
    }
    # A tampered or made-up link changes nothing and says so.
    assert anonymous.post(path[:-3] + "xyz").status_code == 404
    assert anonymous.get("/zoekopdrachten/afmelden/onzin").status_code == 404

    second = make_job(
        in_arrangement, meer.harderwijk.lead, title="Notulist tweede", description="Notulen"
    )
    with in_arrangement(meer.arrangement) as s:  # published after the last alert (day 2.1)
        job = s.get(Job, key_of("job", second))
        job.created_at = job.published_at = utcnow() + timedelta(days=2.5)
        s.commit()
    inbox.envelopes.clear()
    _run(app, 3.2)
    assert _mails(inbox, emp.email) == []
    assert [b for _, b in _mails(inbox, colleague.email) if "Notulist tweede" in b]


def test_saved_searches_are_their_owners_alone(client, world, login, in_arrangement):
    """Nobody else sees, changes or deletes them (404); a token names one search only."""
    meer = world.meer
    login(client, meer.ermelo.emp)
    _save(client, "q=geheimzoekwoord&skill=Excel")
    assert "geheimzoekwoord" in client.get("/zoekopdrachten").get_data(as_text=True)
    with in_arrangement(meer.arrangement) as s:
        search = s.scalar(select(SavedSearch))
        search_id = search.id
    for outsider in (meer.ermelo.hr, meer.ermelo.lead, meer.harderwijk.emp):
        login(client, outsider)
        assert "geheimzoekwoord" not in client.get("/zoekopdrachten").get_data(as_text=True)
        assert (
            client.post(
                f"/zoekopdrachten/{api_id('search', search_id)}", data={"delete": "1"}
            ).status_code
            == 404
        )
        assert (
            client.post(
                f"/zoekopdrachten/{api_id('search', search_id)}", data={"frequency": "never"}
            ).status_code
            == 404
        )
    with in_arrangement(meer.arrangement) as s:
        assert s.get(SavedSearch, key_of("search", search_id)).frequency == "daily"


def test_bad_input_is_a_form_error_and_nothing_is_saved(client, world, login, in_arrangement):
    login(client, world.meer.ermelo.emp)
    for data in (
        {"query": "q=a", "frequency": "hourly"},
        {"query": "", "frequency": "daily"},
        {"query": "q=a", "frequency": "daily", "name": "x" * 121},
        # a filter value the job list refuses: the alert would find nothing, ever
        {"query": "q=a&remote=misschien", "frequency": "daily"},
        {"query": "hours_min=0", "frequency": "daily"},
    ):
        response = client.post("/zoekopdrachten", data=data)
        assert response.status_code == 400, data
        if "hours_min" in data["query"]:
            assert "Deze zoekopdracht heeft een fout: Kies een getal van 1 tot en met 40." in (
                response.get_data(as_text=True)
            )
    with in_arrangement(world.meer.arrangement) as s:
        assert s.scalars(select(SavedSearch)).all() == []
    # A token for a search is bound to it: signing is per search, with its own key.
    login(client, world.meer.ermelo.emp)
    _save(client, "q=a")
    with in_arrangement(world.meer.arrangement) as s:
        search = s.scalar(select(SavedSearch))
        with client.application.app_context():
            token = unsubscribe_token(search)
        search.unsubscribe_key = "0" * 16  # e.g. deleted and made again
        s.commit()
    assert client.post(f"/zoekopdrachten/afmelden/{token}").status_code == 404


def test_an_alert_finds_every_new_job_past_the_first_page_and_a_draft_from_the_day_it_opened(
    app, world, in_arrangement
):
    """ "New" is the moment a job first opened to readers: a draft saved ten days ago and
    published now is new now, and a new job is found however many older ones match the search
    (the period is a filter of the query, not a look at the first page of results)."""
    from app.pool.jobs.operations import change_status
    from app.pool.saved_searches import new_jobs_for, save
    from app.transaction import commit

    meer = world.meer
    lead = meer.harderwijk.lead
    template = key_of("job", make_job(in_arrangement, lead, title="Notulist oud"))
    old = utcnow() - timedelta(days=10)
    with in_arrangement(meer.arrangement) as s:
        first = s.get(Job, template)
        first.created_at = first.published_at = old
        for number in range(120):  # more older matches than a page of results holds
            copy = Job(**{name: getattr(first, name) for name in COPIED})
            copy.title, copy.created_at, copy.published_at = f"Notulist oud {number}", old, None
            s.add(copy)
        s.commit()
    draft = key_of("job", make_job(in_arrangement, lead, publish=False, title="Notulist concept"))
    with in_arrangement(meer.arrangement) as s:
        s.get(Job, draft).created_at = old
        s.commit()
    since = utcnow() - timedelta(minutes=5)
    with in_arrangement(meer.arrangement) as s:
        change_status(s.get(User, lead.id), s.get(Job, draft), "open")
        commit()
    new = key_of("job", make_job(in_arrangement, lead, title="Notulist nieuw"))
    with in_arrangement(meer.arrangement) as s:
        reader = s.get(User, meer.ermelo.emp.id)
        search = save(reader, name="Notulen", query="q=notulist", frequency="daily")
        commit()
        found = new_jobs_for(search, reader, since, utcnow() + timedelta(minutes=5))
        assert sorted(row.id for row in found) == sorted([draft, new])
        # The same search over the whole history sees the older ones too (they do match).
        everything = new_jobs_for(search, reader, old - timedelta(days=1), utcnow())
        assert len(everything) == 20 and {draft, new} <= {row.id for row in everything}


def test_an_alert_with_words_finds_a_draft_opened_now_behind_more_newer_matches_than_ranked(
    app, world, in_arrangement, monkeypatch
):
    """A text search ranks the newest CANDIDATES matches by job id. A draft saved before them
    and opened now has an older id than all of them, yet it is new: the alert ranks every match
    (review of issue 9's saved searches). CANDIDATES is 50 here, standing in for 1,000."""
    import app.pool.search as search_module
    from app.pool.jobs.operations import change_status
    from app.pool.saved_searches import new_jobs_for, save
    from app.transaction import commit

    monkeypatch.setattr(search_module, "CANDIDATES", 50)
    meer = world.meer
    lead = meer.harderwijk.lead
    draft = key_of("job", make_job(in_arrangement, lead, publish=False, title="Notulist concept"))
    template = key_of("job", make_job(in_arrangement, lead, title="Notulist oud"))
    old = utcnow() - timedelta(days=10)
    with in_arrangement(meer.arrangement) as s:
        first = s.get(Job, template)
        first.created_at = first.published_at = old
        s.get(Job, draft).created_at = old
        for number in range(60):  # newer matches than the search ranks
            copy = Job(**{name: getattr(first, name) for name in COPIED})
            copy.title, copy.created_at, copy.published_at = f"Notulist oud {number}", old, old
            s.add(copy)
        s.commit()
    since = utcnow() - timedelta(minutes=5)
    with in_arrangement(meer.arrangement) as s:
        change_status(s.get(User, lead.id), s.get(Job, draft), "open")
        commit()
    with in_arrangement(meer.arrangement) as s:
        reader = s.get(User, meer.ermelo.emp.id)
        words = save(reader, name="Notulen", query="q=notulist", frequency="daily")
        commit()
        until = utcnow() + timedelta(minutes=5)
        assert [row.id for row in new_jobs_for(words, reader, since, until)] == [draft]
        # The page itself still ranks the newest 50 and says there are more.
        page = search_module.search_jobs(reader, "notulist", None, 1)
        assert page.capped and draft not in {row.id for row in page.items}


def test_a_search_saved_before_a_stricter_rule_is_marked_as_finding_nothing(
    client, world, login, in_arrangement
):
    """A search stored with a value the filters now refuse gets no alerts (new_jobs_for finds
    nothing): the page says so next to it, rather than leaving its owner waiting."""
    reader = world.meer.ermelo.emp
    with in_arrangement(world.meer.arrangement) as s:
        for query in ("q=notulist", "from=1999-01-01&q=notulist"):
            s.add(
                SavedSearch(
                    user_id=reader.id,
                    name=query,
                    query=query,
                    frequency="daily",
                    checked_at=utcnow(),
                )
            )
        s.commit()
    login(client, reader)
    page = client.get("/zoekopdrachten").get_data(as_text=True)
    problems = re.findall(r'<p class="error" id="search-(\d)-problem">(.*?)</p>', page, re.S)
    assert [
        (number, "Kies een datum tussen 2000 en 2099." in text) for number, text in problems
    ] == [("2", True)]
    assert "Tot dan krijg je er geen e-mail over." in problems[0][1]
