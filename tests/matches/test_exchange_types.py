"""Each exchange type end to end through the API (issue 14): who approves, in which order, what
terms apply and which document results (app.matches.exchange)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.matches.models import Match
from app.pool.models import Job, Notification
from app.pool.notifications.operations import KINDS
from tests.api_helpers import problem_fields
from tests.ids import api_body, api_id, key_of
from tests.matches.conftest import START
from tests.matches.helpers import decide
from tests.matches.test_flow_api import pdf_text


def typed_job(in_arrangement, world, scene, kind: str) -> int:
    """The scene's Ermelo job (team, line manager ermelo.lead), made of type ``kind``."""
    with in_arrangement(world.meer.arrangement.id) as s:
        s.get(Job, scene.keys.job).type = kind
        s.commit()
    return scene.job


def post(client, headers, **body):
    """POST /matches; ids may be keys or public ids: they are sent as public ids."""
    return client.post("/api/v1/matches", json=api_body(body), headers=headers)


def approve(client, api_token, match_id, *people):
    for person in people:
        response = decide(client, api_token(person), match_id)
        assert response.status_code == 200, (person.email, response.get_json())
    return response.get_json()


@pytest.mark.parametrize(
    "kind, document, title",
    [
        ("klus", "detacheringsovereenkomst", "Detacheringsovereenkomst"),
        ("detachering", "detacheringsovereenkomst", "Detacheringsovereenkomst"),
        ("meeloopdag", "bevestiging-meeloopdag", "Bevestiging meeloopdag"),
        ("mentoring", "bevestiging-mentoring", "Bevestiging mentoring"),
    ],
)
def test_one_person_types_three_approvals_and_their_document(
    kind, document, title, client, world, scene, api_token, in_arrangement, mail_outbox
):
    """klus, detachering, meeloopdag and mentoring: the employee, then lending and borrowing
    (line managers here) approve; the match carries the type and the document is the type's:
    the full agreement for klus and detachering, a short confirmation otherwise. The notices and
    e-mails call the exchange by its type's name: a meeloopdag is never called a secondment."""
    meer = world.meer
    job_id = typed_job(in_arrangement, world, scene, kind)
    end = START + timedelta(days=2)
    response = post(
        client,
        api_token(meer.coordinator),
        jobId=job_id,
        employeeId=meer.harderwijk.emp.id,
        startDate=START.isoformat(),
        endDate=end.isoformat(),
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["type"] == kind and body["counterpart"] is None
    assert [a["party"] for a in body["approvals"]] == ["employee", "lending", "borrowing"]
    done = approve(
        client, api_token, body["id"], meer.harderwijk.emp, meer.harderwijk.lead, meer.ermelo.lead
    )
    assert done["status"] == "agreed"
    assert done["agreement"]["status"] == "ready" and done["agreement"]["document"] == document
    pdf = client.get(done["agreement"]["url"], headers=api_token(meer.harderwijk.emp))
    assert pdf.status_code == 200
    assert document in pdf.headers["Content-Disposition"]
    text = pdf_text(pdf.data)
    assert title in text and "Emp Harderwijk" in text and "Lead Ermelo" in text
    if kind in ("meeloopdag", "mentoring"):
        assert "Detacheringsovereenkomst" not in text
        assert "Er wordt niets doorbelast" in text or "geen kosten" in text
    if kind == "mentoring":
        assert "geen uren overgedragen" in text

    noun = {"klus": "detachering", "detachering": "detachering"}.get(kind, kind)
    subjects = [m.subject for m in mail_outbox]
    assert len(mail_outbox) >= 3, subjects
    assert f"Voorstel: {noun} voor" in subjects[0]
    assert any(s.startswith(f"{noun.capitalize()} goedgekeurd") for s in subjects), subjects
    with in_arrangement(meer.arrangement.id) as s:
        notices = s.scalars(
            select(Notification).where(
                Notification.refs["match_id"].as_integer() == key_of("match", body["id"])
            )
        ).all()
        texts = [KINDS[n.kind].text(KINDS[n.kind].load(n.refs), n.refs) for n in notices]
    assert texts and all(noun in t for t in texts), texts
    for message in mail_outbox:
        assert noun in message.body, message.body
        if noun != "detachering":
            words = re.sub(r"https?://\S+", "", message.subject + message.body)  # not the link
            assert "detacher" not in words.lower(), message.body


def test_a_meeloopdag_lasts_at_most_five_days_and_charges_nothing(
    client, world, scene, api_token, in_arrangement
):
    """A meeloopdag of six days or with an hourly rate is a 400 naming the field; nothing is
    saved. Without dates it proposes the first day only."""
    meer = world.meer
    job_id = typed_job(in_arrangement, world, scene, "meeloopdag")
    coordinator = api_token(meer.coordinator)
    base = {
        "jobId": job_id,
        "employeeId": meer.harderwijk.emp.id,
        "startDate": START.isoformat(),
    }
    long = post(client, coordinator, **base, endDate=(START + timedelta(days=5)).isoformat())
    assert long.status_code == 400 and "endDate" in problem_fields(long)
    paid = post(
        client,
        coordinator,
        **base,
        endDate=START.isoformat(),
        costRecharge="hourly",
        hourlyRate="50.00",
    )
    assert paid.status_code == 400 and "costRecharge" in problem_fields(paid)
    with in_arrangement(meer.arrangement.id) as s:
        assert s.query(Match).count() == 0
    one = post(client, coordinator, jobId=job_id, employeeId=meer.harderwijk.emp.id)
    assert one.status_code == 201, one.get_json()
    terms = one.get_json()["terms"]
    assert terms["startDate"] == terms["endDate"]
    # Changing the terms keeps the rule.
    longer = client.patch(
        f"/api/v1/matches/{one.get_json()['id']}",
        json={"endDate": (START + timedelta(days=30)).isoformat()},
        headers=coordinator,
    )
    assert longer.status_code == 400 and "endDate" in problem_fields(longer)


def test_mentoring_refuses_a_cost_recharge_and_ignores_a_rate(
    client, world, scene, api_token, in_arrangement
):
    """Mentoring has no cost: "hourly" is refused (400), a rate sent with "none" is dropped."""
    meer = world.meer
    job_id = typed_job(in_arrangement, world, scene, "mentoring")
    coordinator = api_token(meer.coordinator)
    base = {"jobId": job_id, "employeeId": meer.harderwijk.emp.id}
    paid = post(client, coordinator, **base, costRecharge="hourly", hourlyRate="40.00")
    assert paid.status_code == 400 and "costRecharge" in problem_fields(paid)
    free = post(client, coordinator, **base, costRecharge="none", hourlyRate="40.00")
    assert free.status_code == 201, free.get_json()
    assert free.get_json()["terms"]["costRecharge"] == "none"
    assert free.get_json()["terms"]["hourlyRate"] is None


def test_counterpart_only_for_a_functieruil(client, world, scene, api_token, in_arrangement):
    """Another type refuses ``counterpartId``; a functieruil requires one of the job's
    organisation (not the employee's) and charges nothing."""
    meer = world.meer
    coordinator = api_token(meer.coordinator)
    base = {"jobId": scene.job, "employeeId": meer.harderwijk.emp.id}
    extra = post(client, coordinator, **base, counterpartId=meer.ermelo.emp_other.id)
    assert extra.status_code == 400 and "counterpartId" in problem_fields(extra)
    typed_job(in_arrangement, world, scene, "functieruil")
    missing = post(client, coordinator, **base)
    assert missing.status_code == 400 and "counterpartId" in problem_fields(missing)
    wrong_org = post(client, coordinator, **base, counterpartId=meer.zeewolde.emp.id)
    assert wrong_org.status_code == 400 and "counterpartId" in problem_fields(wrong_org)
    paid = post(
        client,
        coordinator,
        **base,
        counterpartId=meer.ermelo.emp_other.id,
        costRecharge="hourly",
        hourlyRate="50.00",
    )
    assert paid.status_code == 400 and "costRecharge" in problem_fields(paid)
    # HR of the employee's organisation may not name staff of the job's organisation: 404.
    hidden = post(
        client, api_token(meer.harderwijk.hr), **base, counterpartId=meer.ermelo.emp_other.id
    )
    assert hidden.status_code == 404
    with in_arrangement(meer.arrangement.id) as s:
        assert s.query(Match).count() == 0


def test_functieruil_both_people_then_both_organisations_one_agreement(
    client, world, scene, api_token, in_arrangement
):
    """A functieruil pairs Harderwijk's employee (to Ermelo's job) with Ermelo's counterpart
    (to the employee's role). Both people approve first; until the second of them has, neither
    organisation's line managers know of it (404), the counterpart's own line manager included.
    Then lending and borrowing approve — the counterpart's line manager may decide for the
    borrowing side — and one functieruilovereenkomst names both people."""
    meer = world.meer
    job_id = typed_job(in_arrangement, world, scene, "functieruil")
    counterpart = meer.ermelo.emp_other  # department "other", line manager lead_other
    response = post(
        client,
        api_token(meer.coordinator),
        jobId=job_id,
        employeeId=meer.harderwijk.emp.id,
        counterpartId=counterpart.id,
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    match_id = body["id"]
    assert body["type"] == "functieruil"
    assert body["counterpart"]["organisation"]["slug"] == "ermelo"
    assert [a["party"] for a in body["approvals"]] == [
        "employee",
        "counterpart",
        "lending",
        "borrowing",
    ]
    url = f"/api/v1/matches/{api_id('match', match_id)}"
    managers = (meer.harderwijk.lead, meer.ermelo.lead_other, meer.ermelo.lead)
    assert client.get(url, headers=api_token(counterpart)).status_code == 200

    def hidden_from_managers():
        for manager in managers:
            assert client.get(url, headers=api_token(manager)).status_code == 404, manager.email
            listed = client.get("/api/v1/matches", headers=api_token(manager)).get_json()
            assert match_id not in [m["id"] for m in listed["items"]]

    hidden_from_managers()
    approve(client, api_token, match_id, meer.harderwijk.emp)
    hidden_from_managers()
    # The organisations wait for both people.
    early = decide(client, api_token(meer.coordinator), match_id)
    assert early.status_code in (403, 409)
    done = approve(client, api_token, match_id, counterpart)
    assert done["status"] == "proposed"
    for manager in managers:
        assert client.get(url, headers=api_token(manager)).status_code == 200, manager.email
    approve(client, api_token, match_id, meer.harderwijk.lead)
    done = approve(client, api_token, match_id, meer.ermelo.lead_other)
    assert done["status"] == "agreed"
    parties = {a["party"]: a["by"] for a in done["approvals"]}
    assert parties == {
        "employee": "Emp Harderwijk",
        "counterpart": "Empother Ermelo",
        "lending": "Lead Harderwijk",
        "borrowing": "Leadother Ermelo",
    }
    assert done["agreement"]["document"] == "functieruilovereenkomst"
    pdf = client.get(done["agreement"]["url"], headers=api_token(counterpart))
    assert pdf.status_code == 200
    text = pdf_text(pdf.data)
    for expected in (
        "Functieruilovereenkomst",
        "Emp Harderwijk",
        "Empother Ermelo",
        "Gemeente Harderwijk",
        "Gemeente Ermelo",
        "Ruilpartner",
        "niets doorbelast",
    ):
        assert expected in text, expected
    # A third organisation still knows nothing.
    assert client.get(url, headers=api_token(meer.zeewolde.hr)).status_code == 404


@pytest.mark.parametrize("kind", ["mentoring", "functieruil"])
def test_the_placements_report_knows_the_type(
    kind, client, world, scene, api_token, in_arrangement
):
    """A mentoring is a placement without hours (no hours transfer); a functieruil is one
    placement each way with the same hours, so neither organisation's balance moves."""
    meer = world.meer
    job_id = typed_job(in_arrangement, world, scene, kind)
    extra = {"counterpartId": meer.ermelo.emp_other.id} if kind == "functieruil" else {}
    body = post(
        client,
        api_token(meer.coordinator),
        jobId=job_id,
        employeeId=meer.harderwijk.emp.id,
        hoursPerWeek=7,
        startDate=START.isoformat(),
        endDate=(START + timedelta(days=13)).isoformat(),
        **extra,
    ).get_json()
    people = [meer.harderwijk.emp]
    if kind == "functieruil":
        people.append(meer.ermelo.emp_other)
    done = approve(client, api_token, body["id"], *people, meer.harderwijk.hr, meer.ermelo.hr)
    assert done["status"] == "agreed"
    period = f"from={START.isoformat()}&to={(START + timedelta(days=30)).isoformat()}"
    report = client.get(
        f"/api/v1/reports/placements?{period}", headers=api_token(meer.coordinator)
    ).get_json()
    cells = {(c["from"], c["to"]): (c["placements"], float(c["hours"])) for c in report["items"]}
    balance = {
        row["organisation"]: (float(row["hoursLent"]), float(row["hoursBorrowed"]))
        for row in report["balance"]
    }
    if kind == "mentoring":
        assert cells[("harderwijk", "ermelo")] == (1, 0.0)
        assert balance["harderwijk"] == (0.0, 0.0) and balance["ermelo"] == (0.0, 0.0)
    else:
        assert cells[("harderwijk", "ermelo")] == (1, 14.0)
        assert cells[("ermelo", "harderwijk")] == (1, 14.0)
        assert balance["harderwijk"] == (14.0, 14.0) and balance["ermelo"] == (14.0, 14.0)
