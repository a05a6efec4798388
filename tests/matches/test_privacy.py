"""Who learns of a match, and when (DESIGN.md section 3): the employee's own line manager
learns nothing before the employee approved — no page, API answer, e-mail, notification or
count — and everyone who is not a party gets 404, HR and line managers of a third member
organisation included."""

from __future__ import annotations

from sqlalchemy import select

from app.pool.models import Notification
from tests.ids import api_id, public_id
from tests.matches.helpers import approve_all, decide, propose


def _mails_to(mail_outbox, email):
    return [m for m in mail_outbox if email in m.to]


def _notifications(in_arrangement, world, user):
    with in_arrangement(world.meer.arrangement.id) as s:
        return s.scalars(select(Notification.kind).where(Notification.user_id == user.id)).all()


def _unread(app, in_arrangement, world, user) -> int:
    """The figure in the menu, as the pool computes it."""
    from app.accounts.models import User
    from app.pool.notifications.operations import unread_count

    with in_arrangement(world.meer.arrangement.id) as s, app.test_request_context():
        return unread_count(s.get(User, user.id))


def test_home_line_manager_learns_nothing_before_the_employee_approves(
    client, app, world, scene, api_token, login, in_arrangement, mail_outbox
):
    """Proposed by the job's side: the employee is told; the home line manager gets 404 on the
    page and the API, no list entry, no count, no notification and no e-mail. After the
    employee's approval the home line manager is told and may decide for the lending side."""
    meer = world.meer
    home_lead = meer.harderwijk.lead
    match_id = propose(client, api_token(meer.ermelo.lead), application_id=scene.application)

    assert _mails_to(mail_outbox, meer.harderwijk.emp.email)  # the employee is asked
    lead_api = api_token(home_lead)
    assert (
        client.get(f"/api/v1/matches/{api_id('match', match_id)}", headers=lead_api).status_code
        == 404
    )
    listing = client.get("/api/v1/matches", headers=lead_api).get_json()
    assert listing["total"] == 0 and listing["items"] == []
    assert decide(client, lead_api, match_id).status_code == 404
    web = app.test_client()
    login(web, home_lead)
    assert web.get(f"/detacheringen/{api_id('match', match_id)}").status_code == 404
    assert (
        web.get(f"/detacheringen/{api_id('match', match_id)}/overeenkomst.pdf").status_code == 404
    )
    page = web.get("/detacheringen?scope=organisation").get_data(as_text=True)
    assert "Emp Harderwijk" not in page and "Projectleider" not in page
    assert _mails_to(mail_outbox, home_lead.email) == []
    assert _notifications(in_arrangement, world, home_lead) == []
    assert _unread(app, in_arrangement, world, home_lead) == 0
    assert _unread(app, in_arrangement, world, meer.harderwijk.emp) == 1

    assert decide(client, api_token(meer.harderwijk.emp), match_id).status_code == 200
    assert (
        client.get(f"/api/v1/matches/{api_id('match', match_id)}", headers=lead_api).status_code
        == 200
    )
    assert client.get("/api/v1/matches", headers=lead_api).get_json()["total"] == 1
    assert _notifications(in_arrangement, world, home_lead) == ["match_decision_needed"]
    assert _unread(app, in_arrangement, world, home_lead) == 1
    mails = _mails_to(mail_outbox, home_lead.email)
    assert len(mails) == 1 and "Emp Harderwijk" in mails[0].subject
    assert web.get(f"/detacheringen/{api_id('match', match_id)}").status_code == 200
    assert decide(client, lead_api, match_id).status_code == 200


def test_a_declining_employee_keeps_the_match_from_the_home_line_manager(
    client, world, scene, api_token, in_arrangement, mail_outbox
):
    """The employee declines with a reason: the proposer hears it, the home line manager
    never learns the match existed."""
    meer = world.meer
    match_id = propose(client, api_token(meer.ermelo.lead), application_id=scene.application)
    r = decide(client, api_token(meer.harderwijk.emp), match_id, "decline", reason="Past niet")
    assert r.status_code == 200 and r.get_json()["status"] == "declined"
    assert r.get_json()["approvals"][0]["reason"] == "Past niet"
    assert _mails_to(mail_outbox, meer.ermelo.lead.email)  # the proposer is told
    lead_api = api_token(meer.harderwijk.lead)
    assert (
        client.get(f"/api/v1/matches/{api_id('match', match_id)}", headers=lead_api).status_code
        == 404
    )
    assert _mails_to(mail_outbox, meer.harderwijk.lead.email) == []
    assert _notifications(in_arrangement, world, meer.harderwijk.lead) == []


def test_non_parties_get_404_for_match_and_agreement(client, app, world, scene, api_token, login):
    """After agreement: the employee, both sides and the arrangement's coordinator see the
    match and download the agreement; HR and line managers of a third member organisation, the
    lender's other line manager and a colleague get 404 on every channel."""
    meer = world.meer
    match_id = propose(client, api_token(meer.ermelo.lead), application_id=scene.application)
    body = approve_all(
        client, api_token, match_id, meer.harderwijk.emp, meer.harderwijk.hr, meer.ermelo.lead
    )
    assert body["agreement"]["status"] == "ready"

    insiders = [
        meer.harderwijk.emp,
        meer.harderwijk.hr,
        meer.harderwijk.lead,
        meer.ermelo.hr,
        meer.ermelo.lead,
        meer.coordinator,
    ]
    outsiders = [
        meer.zeewolde.hr,
        meer.zeewolde.lead,
        meer.harderwijk.lead_other,
        meer.harderwijk.emp_other,
        meer.ermelo.lead_other,
        meer.ermelo.emp,
    ]
    for user in insiders:
        headers = api_token(user)
        assert (
            client.get(f"/api/v1/matches/{api_id('match', match_id)}", headers=headers).status_code
            == 200
        )
        pdf = client.get(
            f"/api/v1/matches/{api_id('match', match_id)}/agreement.pdf", headers=headers
        )
        assert pdf.status_code == 200 and pdf.mimetype == "application/pdf", user.email
    for user in outsiders:
        headers = api_token(user)
        for url in (
            f"/api/v1/matches/{api_id('match', match_id)}",
            f"/api/v1/matches/{api_id('match', match_id)}/agreement.pdf",
        ):
            assert client.get(url, headers=headers).status_code == 404, (user.email, url)
        assert client.get("/api/v1/matches", headers=headers).get_json()["total"] == 0
        for path, body in (
            ("decision", {"decision": "approve"}),
            ("end", {"reason": "x"}),
            ("agreement/retry", None),
        ):
            r = client.post(
                f"/api/v1/matches/{api_id('match', match_id)}/{path}", json=body, headers=headers
            )
            assert r.status_code == 404, (user.email, path)
        web = app.test_client()
        login(web, user)
        for url in (
            f"/detacheringen/{api_id('match', match_id)}",
            f"/detacheringen/{api_id('match', match_id)}/overeenkomst.pdf",
            f"/detacheringen/{api_id('match', match_id)}/voorwaarden",
        ):
            assert web.get(url).status_code == 404, (user.email, url)
        assert "Projectleider" not in web.get("/detacheringen?scope=mine").get_data(as_text=True)


def test_proposals_need_a_visible_source_and_a_proposing_role(
    client, world, scene, api_token, make_world
):
    """404 for a response, offer or employee the caller may not see; 403 for a caller who sees
    them but may not propose; 409 when the job is full or a match already runs."""
    meer = world.meer
    # The home line manager may not see the response (nor the offer: hr_coordinators default).
    home_lead = api_token(meer.harderwijk.lead)
    r = client.post("/api/v1/matches", json={"applicationId": scene.application}, headers=home_lead)
    assert r.status_code == 404
    r = client.post(
        "/api/v1/matches",
        json={"capacityId": scene.offer, "jobId": scene.job},
        headers=api_token(meer.ermelo.lead),
    )
    assert r.status_code == 404  # an Ermelo line manager does not see Harderwijk's offers
    r = client.post(
        "/api/v1/matches",
        json={"jobId": scene.job, "employeeId": public_id("user", meer.harderwijk.emp.id)},
        headers=api_token(meer.ermelo.hr),
    )
    assert r.status_code == 404  # HR does not name another organisation's staff
    # A colleague sees the response to the job of their own department? No: employees never.
    r = client.post(
        "/api/v1/matches",
        json={"jobId": scene.job, "employeeId": public_id("user", meer.ermelo.emp2.id)},
        headers=api_token(meer.ermelo.emp),
    )
    assert r.status_code == 403
    # The coordinator sees the offer (hr_coordinators) and proposes it.
    coordinator = api_token(meer.coordinator)
    r = client.post(
        "/api/v1/matches",
        json={"capacityId": scene.offer, "jobId": scene.job},
        headers=coordinator,
    )
    assert r.status_code == 201, r.get_json()
    again = client.post(
        "/api/v1/matches",
        json={"capacityId": scene.offer, "jobId": scene.job},
        headers=coordinator,
    )
    assert again.status_code == 409


def test_until_the_employee_decides_only_the_employee_and_the_proposer_know(
    client, app, world, scene, api_token, login, in_arrangement, mail_outbox
):
    """Issue 10, finding 14. The proposal form says "Eerst beslist de medewerker": so until the
    employee approves, a proposal is known to the employee and the proposer only. HR of the
    borrowing and of the lending organisation, the job's other line manager and the coordinator
    get 404 on the page and the API, an empty list, no notification and no e-mail, though each
    may see the response it came from. From the employee's approval they all see it."""
    meer = world.meer
    proposer = meer.ermelo.lead
    match_id = propose(client, api_token(proposer), application_id=scene.application)
    others = [meer.ermelo.hr, meer.harderwijk.hr, meer.coordinator]
    knowing = [proposer, meer.harderwijk.emp]

    def sees(user) -> bool:
        headers = api_token(user)
        api = client.get(
            f"/api/v1/matches/{api_id('match', match_id)}", headers=headers
        ).status_code
        listed = client.get("/api/v1/matches", headers=headers).get_json()["total"]
        web = app.test_client()
        login(web, user)
        page = web.get(f"/detacheringen/{api_id('match', match_id)}").status_code
        assert (api, page) in ((200, 200), (404, 404)), (user.email, api, page)
        assert listed == (1 if api == 200 else 0), user.email
        return api == 200

    for user in others:
        response = client.get(
            f"/api/v1/applications/{scene.application}",
            headers=api_token(user),
        )
        assert response.status_code == 200, user.email  # they know of the response itself
        assert not sees(user), user.email
        assert _notifications(in_arrangement, world, user) == [], user.email
        assert _mails_to(mail_outbox, user.email) == [], user.email
    assert all(sees(user) for user in knowing)

    assert decide(client, api_token(meer.harderwijk.emp), match_id).status_code == 200
    assert all(sees(user) for user in others + knowing)

    # The words say the same: the proposal form and the employee's privacy page.
    web = app.test_client()
    login(web, proposer)
    form = web.get(f"/detacheringen/nieuw?application={scene.application}")
    assert "Tot dan weten alleen de medewerker en jij van dit voorstel." in form.get_data(
        as_text=True
    )
    login(web, meer.harderwijk.emp)
    page = web.get("/privacy").get_data(as_text=True)
    assert "Tot dan weten alleen jij en wie het voorstel deed ervan." in page


def test_a_proposal_by_the_lending_side_stays_with_it_until_the_employee_decides(
    client, world, scene, api_token
):
    """The same rule when the employee's own HR proposes their offer for another organisation's
    job: the job's line manager and HR of the borrowing organisation hear of it only once the
    employee approved."""
    meer = world.meer
    match_id = propose(
        client, api_token(meer.harderwijk.hr), capacity_id=scene.offer, job_id=scene.job
    )
    borrowing = [api_token(meer.ermelo.lead), api_token(meer.ermelo.hr)]
    for headers in borrowing:
        assert (
            client.get(f"/api/v1/matches/{api_id('match', match_id)}", headers=headers).status_code
            == 404
        )
    assert decide(client, api_token(meer.harderwijk.emp2), match_id).status_code == 200
    for headers in borrowing:
        assert (
            client.get(f"/api/v1/matches/{api_id('match', match_id)}", headers=headers).status_code
            == 200
        )


def test_after_consent_the_lending_line_manager_sees_what_they_decide_on_not_the_road_to_it(
    client, app, world, scene, api_token, login
):
    """Issue 10, finding 13. The coordinator proposes an employee's capacity offer; she agrees.
    Her line manager (who may not see her offer) now sees the match to decide on — job, terms,
    approvals — but neither ``source: capacity`` nor when the proposal was made, in the API
    (one match and the list) or on the page. The proposer and HR of her organisation (who may
    see the offer) still see both."""
    meer = world.meer
    emp, home_lead = meer.harderwijk.emp2, meer.harderwijk.lead
    created = client.post(
        "/api/v1/matches",
        json={"capacityId": scene.offer, "jobId": scene.job},
        headers=api_token(meer.coordinator),
    ).get_json()
    assert created["source"] == "capacity"
    proposed_at = created["createdAt"]
    assert decide(client, api_token(emp), created["id"]).status_code == 200

    lead = api_token(home_lead)
    one = client.get(f"/api/v1/matches/{created['id']}", headers=lead)
    assert one.status_code == 200
    body = one.get_json()
    assert "source" not in body and "createdAt" not in body
    assert body["job"]["id"] == scene.job and body["terms"]["hoursPerWeek"] == 16
    assert [a["decision"] for a in body["approvals"]] == ["approve", None, None]
    assert "capacity" not in one.get_data(as_text=True)
    assert proposed_at not in one.get_data(as_text=True)
    (item,) = client.get("/api/v1/matches", headers=lead).get_json()["items"]
    assert item == body
    web = app.test_client()
    login(web, home_lead)
    assert _proposed_by(web, created["id"]) == meer.coordinator.name

    for insider in (meer.coordinator, meer.harderwijk.hr, emp):
        seen = client.get(f"/api/v1/matches/{created['id']}", headers=api_token(insider))
        assert seen.get_json()["source"] == "capacity", insider.email
        assert seen.get_json()["createdAt"] == proposed_at, insider.email
        login(web, insider)
        assert _proposed_by(web, created["id"]).startswith(f"{meer.coordinator.name} · ")


def _proposed_by(web, match_id) -> str:
    """The "Voorgesteld door" line of the match page."""
    import re

    page = web.get(f"/detacheringen/{api_id('match', match_id)}").get_data(as_text=True)
    found = re.search(r"<dt>Voorgesteld door</dt><dd>(.*?)</dd>", page)
    assert found, page
    return found.group(1)
