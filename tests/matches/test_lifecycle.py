"""After agreement: active from the start date, completed after the end date, then the employee
and the host are asked for a short evaluation, which they give once."""

from __future__ import annotations

from datetime import timedelta

from app.matches.lifecycle import advance
from app.matches.models import Match
from tests.ids import api_id, key_of
from tests.matches.conftest import END, START
from tests.matches.helpers import approve_all, propose


def test_agreed_active_completed_and_evaluated(
    client, app, world, scene, api_token, login, in_arrangement, mail_outbox
):
    """The hourly schedule moves the placement along its dates; at completion the employee and
    the job's line manager are asked (notification and e-mail) and each evaluates once; HR of
    the lender reads the evaluations; a third organisation's HR gets 404."""
    meer = world.meer
    match_id = propose(client, api_token(meer.ermelo.lead), application_id=scene.application)
    body = approve_all(
        client, api_token, match_id, meer.harderwijk.emp, meer.harderwijk.hr, meer.ermelo.lead
    )
    assert body["status"] == "agreed"  # the start date is still ahead
    with app.app_context():
        assert advance(START - timedelta(days=1)) == {"activated": 0, "completed": 0}
        assert advance(START) == {"activated": 1, "completed": 0}
    with in_arrangement(meer.arrangement.id) as s:
        assert s.get(Match, key_of("match", match_id)).status == "active"
    employee = api_token(meer.harderwijk.emp)
    early = client.post(
        f"/api/v1/matches/{api_id('match', match_id)}/evaluation",
        json={"rating": 4},
        headers=employee,
    )
    assert early.status_code == 409
    mail_outbox.clear()
    with app.app_context():
        assert advance(END + timedelta(days=1)) == {"activated": 0, "completed": 1}
    asked = {m.to[0] for m in mail_outbox if "Hoe ging" in m.subject}
    assert asked == {meer.harderwijk.emp.email, meer.ermelo.lead.email}

    r = client.post(
        f"/api/v1/matches/{api_id('match', match_id)}/evaluation",
        json={"rating": 4, "wentWell": "Fijn team", "again": True},
        headers=employee,
    )
    assert r.status_code == 201 and r.get_json()["role"] == "employee"
    again = client.post(
        f"/api/v1/matches/{api_id('match', match_id)}/evaluation",
        json={"rating": 5},
        headers=employee,
    )
    assert again.status_code == 409
    bad = client.post(
        f"/api/v1/matches/{api_id('match', match_id)}/evaluation",
        json={"rating": 9},
        headers=api_token(meer.ermelo.lead),
    )
    assert bad.status_code == 400
    host = app.test_client()
    login(host, meer.ermelo.lead)
    assert "Evaluatie invullen" in host.get(f"/detacheringen/{api_id('match', match_id)}").get_data(
        as_text=True
    )
    r = host.post(
        f"/detacheringen/{api_id('match', match_id)}/evaluatie",
        data={"rating": "5", "went_well": "Snel ingewerkt", "could_improve": ""},
    )
    assert r.status_code == 302
    hr = app.test_client()
    login(hr, meer.harderwijk.hr)
    page = hr.get(f"/detacheringen/{api_id('match', match_id)}").get_data(as_text=True)
    assert "Fijn team" in page and "Snel ingewerkt" in page
    outsider = app.test_client()
    login(outsider, meer.zeewolde.hr)
    assert outsider.get(f"/detacheringen/{api_id('match', match_id)}/evaluatie").status_code == 404
