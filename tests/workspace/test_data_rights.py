"""Data subject rights (issue 5 acceptance): an employee's export holds every record about them
that was seeded; after HR erases the leaver, no identifier of theirs (e-mail address, name,
personnel number) remains anywhere in the database, except inside the kept agreement PDF (the
documented legal document), nor in queued RQ jobs."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.matches.models import Agreement, Match
from app.outbox.models import OutboxMessage
from app.pool.models import Application, CapacityOffer, Notification
from app.pool.saved_searches import SavedSearch
from app.workspace.models import Erasure, ImportBatch, KeptAgreement
from tenants.models import DepartmentManager
from tests.ids import public_id
from tests.workspace import seed
from tests.workspace.db_state import find_anywhere

NUMBER = "P-4711"
#: The kept agreement's PDF is the legal document: kept unchanged (app.workspace.data_rights).
KEPT_DOCUMENT = {("agreements", "pdf")}


def seed_everything(world, in_arrangement) -> SimpleNamespace:
    """One record of every kind about Ermelo's employee (E), made in the database."""
    ermelo, harderwijk = world.meer.ermelo, world.meer.harderwijk
    with in_arrangement(world.meer.arrangement) as s:
        emp = s.get(User, ermelo.emp.id)
        emp.personnel_number, emp.job_title, emp.contract_hours = NUMBER, "Beleidsadviseur", 32
        hr, host_lead = s.get(User, ermelo.hr.id), s.get(User, harderwijk.lead.id)
        s.add(DepartmentManager(department_id=ermelo.other.id, user_id=emp.id))
        offer = seed.offer(s, emp, note=f"Vraag {emp.name} naar Excel", skills=("Geheimschrift",))
        viewed = seed.view(s, offer, hr)
        host_job = seed.job(s, harderwijk.org, host_lead, title="Notulist Harderwijk")
        applied = seed.application(s, host_job.id, emp, motivation="Ik notuleer graag (kenmerk-9Z)")
        told = seed.notification(s, emp, application_id=applied.id, status="in_conversation")
        told_lead = seed.notification(s, host_lead, "application_new", application_id=applied.id)
        placed = seed.placement(
            s,
            host_job,
            emp,
            lending_approver=hr,
            borrowing_approver=host_lead,
            notes=f"Kennismaking met {emp.name} ({emp.email}, {NUMBER})",
        )
        placed.agreements[0].terms = placed.terms()
        own_opinion = seed.evaluation(s, placed, emp, "employee", "Leerzaam")
        host_opinion = seed.evaluation(s, placed, host_lead, "host", f"{emp.name} deed het goed")
        other_job = seed.job(s, harderwijk.org, host_lead, title="Adviseur participatie")
        proposed = seed.proposal(s, other_job, emp, host_lead)
        # E as line manager: posted a job, approved a colleague's placement.
        own_job = seed.job(s, ermelo.org, emp, title="Klus van E")
        colleague = s.get(User, ermelo.emp_other.id)
        colleague_match = seed.placement(
            s, host_job, colleague, lending_approver=emp, borrowing_approver=host_lead
        )
        colleague_match.approvals[1].reason = "Akkoord"
        pending = OutboxMessage(kind="accounts.password_reset", recipient_id=emp.id, refs={})
        delivered = OutboxMessage(
            kind="pool.application_decision",
            recipient_id=emp.id,
            refs={"application_id": applied.id},  # api-rules: keep
            status="sent",
        )
        batch = ImportBatch(
            organisation_id=ermelo.org.id,
            created_by_id=hr.id,
            status="mapped",
            headers=["email", "naam"],
            rows=[[emp.email, emp.name]],
            mapping={"email": "email", "name": "naam"},
            upload_sha256="0" * 64,
        )
        saved = SavedSearch(
            user_id=emp.id, name=f"Zoekopdracht van {emp.name}", query="q=zoekwoord-7Q"
        )
        s.add_all([pending, delivered, batch, saved])
        s.flush()
        out = seed.ids(
            offer=offer,
            viewed=viewed,
            application=applied,
            told=told,
            told_lead=told_lead,
            placed=placed,
            agreement=placed.agreements[0],
            own_opinion=own_opinion,
            host_opinion=host_opinion,
            proposed=proposed,
            own_job=own_job,
            colleague_match=colleague_match,
            pending=pending,
            delivered=delivered,
            batch=batch,
            saved=saved,
        )
        s.commit()
    return out


def identifiers(world) -> list[str]:
    emp = world.meer.ermelo.emp
    return [emp.email, emp.name, NUMBER]


def test_the_export_holds_every_record_about_the_employee(
    client, world, login, api_token, in_arrangement
):
    """/mijn-gegevens.json holds the account, led department, offer with skills and its view
    log, response, notification, placement with approvals, agreement and both evaluations,
    proposal, approval given, job posted and the login sessions (times only); the page shows
    the same."""
    ids = seed_everything(world, in_arrangement)
    emp = world.meer.ermelo.emp
    api_token(emp)  # an API session too
    login(client, emp)
    response = client.get("/mijn-gegevens.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.get_json()
    account = data["account"]
    assert (account["email"], account["name"], account["personnel_number"]) == (
        emp.email,
        emp.name,
        NUMBER,
    )
    assert account["job_title"] == "Beleidsadviseur" and account["contract_hours"] == 32
    assert account["line_manager_of"] == ["Team Beleid"]
    (offer,) = data["capacity_offers"]
    assert offer["id"] == public_id("offer", ids.offer) and offer["skills"] == ["Geheimschrift"]
    assert [v["viewer"]["name"] for v in offer["viewed_by"]] == [world.meer.ermelo.hr.name]
    (application,) = data["applications"]
    assert application["id"] == public_id("application", ids.application)
    assert application["motivation"] == "Ik notuleer graag (kenmerk-9Z)"
    assert [n["id"] for n in data["notifications"]] == [public_id("notification", ids.told)]
    matches = {m["id"]: m for m in data["matches"]}
    assert set(matches) == {public_id("match", ids.placed), public_id("match", ids.proposed)}
    placed = matches[public_id("match", ids.placed)]
    assert [a["party"] for a in placed["approvals"]] == ["employee", "lending", "borrowing"]
    assert [a["version"] for a in placed["agreements"]] == [1]
    assert {e["role"] for e in placed["evaluations"]} == {"employee", "host"}
    assert [a["match_id"] for a in data["approvals_given"]] == [
        public_id("match", ids.colleague_match)
    ]
    assert [j["id"] for j in data["jobs"]] == [public_id("job", ids.own_job)]
    (saved,) = data["saved_searches"]
    assert saved["id"] == public_id("search", ids.saved) and saved["query"] == "q=zoekwoord-7Q"
    kinds = sorted(s["kind"] for s in data["sessions"])
    assert "web" in kinds and "api" in kinds
    assert all(
        set(s)
        == {"kind", "created_at", "last_seen_at", "expires_at", "ended_at"}  # api-rules: keep
        for s in data["sessions"]
    )
    # Nobody else's records.
    assert world.meer.ermelo.emp_other.name not in str(data["matches"])

    page = client.get("/mijn-gegevens").get_data(as_text=True)
    texts = ("Geheimschrift", "kenmerk-9Z", "Notulist Harderwijk", NUMBER, "Team Beleid")
    for text in (*texts, "zoekwoord-7Q"):
        assert text in page, text


def erase_through_the_pages(client, world, login) -> None:
    emp = world.meer.ermelo.emp
    login(client, world.meer.ermelo.hr)
    refused = client.post(
        f"/medewerkers/{public_id('user', emp.id)}/gegevens-wissen", data={"confirm": "y"}
    )
    assert refused.status_code == 409  # still active: deactivate first
    assert client.post(f"/medewerkers/{public_id('user', emp.id)}/deactiveren").status_code == 302
    unconfirmed = client.post(f"/medewerkers/{public_id('user', emp.id)}/gegevens-wissen", data={})
    assert unconfirmed.status_code == 400
    page = client.get(f"/medewerkers/{public_id('user', emp.id)}/gegevens-wissen").get_data(
        as_text=True
    )
    assert "Wat blijft bewaard" in page or "Wat bewaard blijft" in page
    assert (
        client.post(
            f"/medewerkers/{public_id('user', emp.id)}/gegevens-wissen", data={"confirm": "y"}
        ).status_code
        == 302
    )


def test_after_erasure_no_identifier_remains_except_the_kept_agreement(
    client, world, login, api_token, in_arrangement, schema
):
    """HR erases the leaver: a scan of every text of every table (as the owner, all
    arrangements) finds no e-mail, name or personnel number of theirs, except the kept
    agreement's PDF; the agreed placement, its approvals and agreement remain, marked and
    anonymised; everything else about them is gone."""
    ids = seed_everything(world, in_arrangement)
    emp = world.meer.ermelo.emp
    token = api_token(emp)
    assert find_anywhere(schema.owner_engine, identifiers(world))  # the scan does find them
    erase_through_the_pages(client, world, login)

    hits = find_anywhere(schema.owner_engine, identifiers(world), except_columns=KEPT_DOCUMENT)
    assert hits == []
    with in_arrangement(world.meer.arrangement) as s:
        user = s.get(User, emp.id)
        assert user.name.startswith("Oud-medewerker") and user.email.endswith("@gewist.invalid")
        assert not user.active and user.password_hash is None and user.personnel_number == ""
        for model, key in (
            (CapacityOffer, ids.offer),
            (Application, ids.application),
            (Notification, ids.told),
            (Notification, ids.told_lead),
            (Match, ids.proposed),
            (OutboxMessage, ids.pending),
            (OutboxMessage, ids.delivered),
            (ImportBatch, ids.batch),
            (SavedSearch, ids.saved),
        ):
            assert s.get(model, key) is None, (model.__name__, key)
        assert (
            s.scalar(select(DepartmentManager).where(DepartmentManager.user_id == emp.id)) is None
        )
        placed = s.get(Match, ids.placed)
        assert placed.status == "completed" and placed.employee_id == emp.id
        assert "[gewist]" in placed.notes
        assert len(placed.approvals) == 3
        assert [e.id for e in s.scalars(select(Match).where(Match.id == ids.placed))] == [
            ids.placed
        ]
        agreement = s.get(Agreement, ids.agreement)
        assert agreement.pdf == seed.FAKE_PDF and "[gewist]" in agreement.terms["notes"]
        kept = s.scalar(select(KeptAgreement).where(KeptAgreement.agreement_id == ids.agreement))
        assert kept is not None and kept.keep_until.year == placed.end_date.year + 7
        assert s.get(Match, ids.colleague_match).approvals[1].by_id == emp.id  # pseudonymised
        erasure = s.scalar(select(Erasure))
        assert erasure.user_id == emp.id and erasure.erased_by_id == world.meer.ermelo.hr.id
        assert erasure.counts["kept_agreements"] == 1 and erasure.counts["capacity_offers"] == 1
    # Logged out for good; the account cannot come back.
    assert (
        client.post(
            "/api/v1/auth/token", json={"email": emp.email, "password": "geheim-wachtwoord-1"}
        ).status_code
        == 401
    )
    assert client.get("/api/v1/me", headers=token).status_code == 401
    assert client.post(f"/medewerkers/{public_id('user', emp.id)}/activeren").status_code == 409
    edit = client.post(
        f"/medewerkers/{public_id('user', emp.id)}", data={"name": emp.name, "department": 0}
    )
    assert edit.status_code == 409
    assert (
        client.post(
            f"/medewerkers/{public_id('user', emp.id)}/gegevens-wissen", data={"confirm": "y"}
        ).status_code
        == 409
    )
    placements = client.get("/organisatie/detacheringen").get_data(as_text=True)
    assert "bewaard als wettelijk document" in placements


def test_erasure_is_refused_during_a_placement_and_for_others(client, world, login, in_arrangement):
    """A placement in force must be ended first (409); HR cannot erase itself (409), an
    employee cannot erase anyone (403), HR of another organisation gets 404."""
    ermelo, harderwijk = world.meer.ermelo, world.meer.harderwijk
    with in_arrangement(world.meer.arrangement) as s:
        emp = s.get(User, ermelo.emp.id)
        emp.active = False
        host_job = seed.job(s, harderwijk.org, s.get(User, harderwijk.lead.id))
        seed.placement(
            s,
            host_job,
            emp,
            lending_approver=s.get(User, ermelo.hr.id),
            borrowing_approver=s.get(User, harderwijk.lead.id),
            status="active",
        )
        s.commit()
    login(client, ermelo.hr)
    response = client.post(
        f"/medewerkers/{public_id('user', ermelo.emp.id)}/gegevens-wissen", data={"confirm": "y"}
    )
    assert response.status_code == 409
    assert "lopende detachering" in response.get_data(as_text=True)
    assert (
        client.post(
            f"/medewerkers/{public_id('user', ermelo.hr.id)}/gegevens-wissen", data={"confirm": "y"}
        ).status_code
        == 409
    )
    login(client, ermelo.emp2)
    assert (
        client.post(
            f"/medewerkers/{public_id('user', ermelo.emp.id)}/gegevens-wissen",
            data={"confirm": "y"},
        ).status_code
        == 403
    )
    login(client, harderwijk.hr)
    assert (
        client.post(
            f"/medewerkers/{public_id('user', ermelo.emp.id)}/gegevens-wissen",
            data={"confirm": "y"},
        ).status_code
        == 404
    )
    with in_arrangement(world.meer.arrangement) as s:
        assert s.get(User, ermelo.emp.id).name == ermelo.emp.name
        assert s.scalar(select(Erasure)) is None


@pytest.mark.redis
def test_erasure_removes_their_queued_jobs(
    make_app, world, in_arrangement, redis_url, unique_queue, login
):
    """With Redis: an e-mail to the employee waits on the RQ queue (ids only), next to one for a
    colleague; after the erasure their job is gone, the colleague's stays, and no key of the
    queue holds an identifier of theirs."""
    import redis

    from app.outbox.enqueuer import enqueuer
    from app.outbox.queue import get_queue

    app = make_app(REDIS_URL=redis_url, RQ_QUEUE=unique_queue)
    connection = redis.Redis.from_url(redis_url)
    emp, other = world.meer.ermelo.emp, world.meer.ermelo.emp2
    try:
        client = app.test_client()
        for person in (emp, other):
            assert (
                client.post("/wachtwoord-vergeten", data={"email": person.email}).status_code == 302
            )
        with app.app_context():
            assert enqueuer(app).wait_idle(10)
            queue = get_queue()
            assert queue.count == 2
            before = {tuple(job.args) for job in queue.get_jobs()}
        with in_arrangement(world.meer.arrangement) as s:
            rows = {m.recipient_id: m.id for m in s.scalars(select(OutboxMessage))}
        arrangement_id = world.meer.arrangement.id
        assert before == {(rows[emp.id], arrangement_id), (rows[other.id], arrangement_id)}

        erase_through_the_pages(client, world, login)

        with app.app_context():
            queue = get_queue()
            assert [tuple(job.args) for job in queue.get_jobs()] == [
                (rows[other.id], arrangement_id)
            ]
        everything = b""
        for key in connection.scan_iter("rq:*"):
            if connection.type(key) == b"hash":
                everything += b" ".join(connection.hgetall(key).values())
            elif connection.type(key) == b"string":
                everything += connection.get(key) or b""
        for secret in identifiers(world):
            assert secret.lower().encode() not in everything.lower()
    finally:
        from tests.foundation.test_outbox import remove_queue

        remove_queue(connection, unique_queue)
        connection.close()


def test_erasure_works_while_redis_is_down(make_app, world, in_arrangement, login):
    """Removing queued jobs is best effort: with Redis unreachable the erasure still completes
    (a job left behind names an outbox row that no longer exists, so it delivers nothing)."""
    app = make_app(REDIS_URL="redis://127.0.0.1:1/0")
    client = app.test_client()
    erase_through_the_pages(client, world, login)
    with in_arrangement(world.meer.arrangement) as s:
        assert s.get(User, world.meer.ermelo.emp.id).name.startswith("Oud-medewerker")
