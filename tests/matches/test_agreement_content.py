"""The agreement built from the database: approval times in Amsterdam time, no personnel-number
placeholder, and HR warned on the match page before approving when the number is missing.
(tests/matches/test_pdf_archival.py covers the renderer on its own.)"""

from __future__ import annotations

from datetime import datetime

from app.accounts.models import User
from app.matches import agreements
from app.matches.models import Agreement, Match
from tests.ids import api_id, key_of, public_id
from tests.matches.helpers import approve_all, decide, propose
from tests.matches.test_flow_api import pdf_text

WARNING = "is niet vastgelegd, dus de overeenkomst noemt het niet"


def _clear_personnel_number(world, in_arrangement) -> None:
    with in_arrangement(world.meer.arrangement.id) as s:
        s.get(User, world.meer.harderwijk.emp.id).personnel_number = ""
        s.commit()


def _proposal(client, world, scene, api_token) -> int:
    return propose(client, api_token(world.meer.ermelo.lead), application_id=scene.application)


def test_agreement_prints_amsterdam_times_and_leaves_a_missing_number_out(
    client, world, scene, api_token, in_arrangement
):
    """Rule (issue 13 #2, #5): the PDF made from the database prints the approval times in
    Europe/Amsterdam (stored 12:00 UTC in January: 13:00; in July: 14:00) and, without a
    personnel number, says nothing about it instead of "(niet vastgelegd)"."""
    meer = world.meer
    _clear_personnel_number(world, in_arrangement)
    match_id = _proposal(client, world, scene, api_token)
    body = approve_all(
        client, api_token, match_id, meer.harderwijk.emp, meer.harderwijk.hr, meer.ermelo.lead
    )
    assert body["agreement"]["status"] == "ready", body["agreement"]
    with in_arrangement(meer.arrangement.id) as s:
        match = s.get(Match, key_of("match", match_id))
        stamps = {
            "employee": datetime(2026, 1, 15, 12, 0),
            "lending": datetime(2026, 1, 16, 12, 0),
            "borrowing": datetime(2026, 7, 15, 12, 0),
        }
        for approval in match.approvals:
            approval.at = stamps[approval.party]
        s.flush()
        agreement = s.query(Agreement).filter_by(match_id=key_of("match", match_id)).one()
        text = pdf_text(agreements.render_pdf(agreement))
    assert "Medewerker Emp Harderwijk Akkoord 15 januari 2026, 13:00" in text
    assert "16 januari 2026, 13:00" in text and "15 juli 2026, 14:00" in text
    assert "12:00" not in text
    assert "Emp Harderwijk, bij de uitlener werkzaam" in text
    assert "niet vastgelegd" not in text


def test_hr_is_warned_before_approving_when_the_personnel_number_is_missing(
    app, client, world, scene, api_token, login, in_arrangement
):
    """Rule (issue 13 #5): while the match waits for decisions, HR of either side (and the
    coordinator) read on the match page that the personnel number is missing; the lending HR
    gets a link to record it. The employee is not shown HR's warning; once the number is
    recorded the warning is gone."""
    meer = world.meer
    _clear_personnel_number(world, in_arrangement)
    match_id = _proposal(client, world, scene, api_token)
    assert decide(client, api_token(meer.harderwijk.emp), match_id).status_code == 200

    def page(user) -> str:
        browser = app.test_client()
        login(browser, user)
        response = browser.get(f"/detacheringen/{api_id('match', match_id)}")
        assert response.status_code == 200
        return response.get_data(as_text=True)

    lending_hr = page(meer.harderwijk.hr)
    assert WARNING in lending_hr
    assert lending_hr.index(WARNING) < lending_hr.index('value="approve"')
    assert f'href="/medewerkers/{public_id("user", meer.harderwijk.emp.id)}"' in lending_hr
    borrowing_hr = page(meer.ermelo.hr)
    assert WARNING in borrowing_hr
    assert f'href="/medewerkers/{public_id("user", meer.harderwijk.emp.id)}"' not in borrowing_hr
    assert WARNING not in page(meer.harderwijk.emp)

    with in_arrangement(meer.arrangement.id) as s:
        s.get(User, meer.harderwijk.emp.id).personnel_number = "HW-1234"
        s.commit()
    assert WARNING not in page(meer.harderwijk.hr)
