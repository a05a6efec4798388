"""The whole flow of a match through the JSON API (CONTRACT.md), cross-organisation and inside
one organisation, up to the agreement PDF."""

from __future__ import annotations

import io

from pypdf import PdfReader

from app.matches.models import Agreement, Match, Placement
from app.pool.models import Job
from tests.ids import api_id, key_of


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)


def test_cross_organisation_flow_through_the_api(
    client, world, scene, api_token, in_arrangement, mail_outbox
):
    """Response → proposal by the job's line manager → employee, lending and borrowing approve
    → agreed, a seat is taken, the job is filled and the PDF holds names, terms and the trail."""
    meer = world.meer
    borrowing_lead = api_token(meer.ermelo.lead)
    response = client.post(
        "/api/v1/matches",
        json={
            "applicationId": scene.application,
            "hoursPerWeek": 12,
            "costRecharge": "hourly",
            "hourlyRate": "62.50",
            "notes": "Start met een kennismaking.",
        },
        headers=borrowing_lead,
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    match_id = body["id"]
    assert body["status"] == "proposed"
    assert body["job"]["organisation"]["slug"] == "ermelo"
    assert body["employee"]["organisation"]["slug"] == "harderwijk"
    assert body["terms"]["hoursPerWeek"] == 12
    assert body["terms"]["hourlyRate"] == "62.50"
    assert [a["party"] for a in body["approvals"]] == ["employee", "lending", "borrowing"]
    assert all(a["decision"] is None for a in body["approvals"])
    assert body["agreement"] is None

    employee = api_token(meer.harderwijk.emp)
    lending_lead = api_token(meer.harderwijk.lead)
    # Lending may not decide before the employee: it does not even know of the proposal yet.
    early = client.post(
        f"/api/v1/matches/{api_id('match', match_id)}/decision",
        json={"decision": "approve"},
        headers=api_token(meer.harderwijk.hr),
    )
    assert early.status_code == 404

    r = client.post(
        f"/api/v1/matches/{api_id('match', match_id)}/decision",
        json={"decision": "approve"},
        headers=employee,
    )
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["approvals"][0]["decision"] == "approve"

    r = client.post(
        f"/api/v1/matches/{api_id('match', match_id)}/decision",
        json={"decision": "approve"},
        headers=lending_lead,
    )
    assert r.status_code == 200, r.get_json()
    r = client.post(
        f"/api/v1/matches/{api_id('match', match_id)}/decision",
        json={"decision": "approve"},
        headers=borrowing_lead,
    )
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["status"] in ("agreed", "active")
    assert body["agreement"]["status"] == "ready"
    assert body["agreement"]["version"] == 1
    assert len(body["agreement"]["sha256"]) == 64

    pdf = client.get(body["agreement"]["url"], headers=employee)
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    text = pdf_text(pdf.data)
    for expected in (
        "Emp Harderwijk",
        "Gemeente Harderwijk",
        "Gemeente Ermelo",
        "Projectleider Omgevingswet",
        "12 uur",
        "62,50",
        "Lead Harderwijk",
        "Lead Ermelo",
        "Akkoord",
    ):
        assert expected in text, expected

    with in_arrangement(meer.arrangement.id) as s:
        match = s.get(Match, key_of("match", match_id))
        assert s.query(Placement).filter_by(job_id=scene.keys.job).count() == 1
        assert s.get(Job, scene.keys.job).status == "filled"
        assert match.application.status == "matched"
        agreement = s.query(Agreement).filter_by(match_id=key_of("match", match_id)).one()
        assert agreement.status == "ready" and agreement.attempts == 1
