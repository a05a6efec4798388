"""Records made straight in the database for the workspace tests: a job, an offer, a response,
a placement with approvals, an agreement and evaluations, notifications and a view log."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from types import SimpleNamespace

from app.matches.followup import Evaluation
from app.matches.models import Agreement, Approval, Match, Placement
from app.pool.models import (
    Application,
    CapacityOffer,
    Job,
    Notification,
    OfferSkill,
    OfferView,
    Skill,
    skill_key,
)

FAKE_PDF = b"%PDF-1.7 fake agreement for tests"


def skill(s, name: str) -> Skill:
    from sqlalchemy import select

    found = s.scalar(select(Skill).where(Skill.key == skill_key(name)))
    if found is None:
        found = Skill(key=skill_key(name))
        s.add(found)
        s.flush()
    return found


def job(s, org, poster, *, title="Projectleider Omgevingswet", visibility="arrangement") -> Job:
    start = date.today() + timedelta(days=14)
    row = Job(
        organisation_id=org.id,
        department_id=poster.department_id,
        posted_by_id=poster.id,
        title=title,
        description="Leiden van het project.",
        hours_per_week=16,
        start_date=start,
        end_date=start + timedelta(days=180),
        places=2,
        visibility=visibility,
        status="open",
        expires_on=date.today() + timedelta(days=42),
    )
    s.add(row)
    s.flush()
    return row


def offer(s, user, *, status="open", note="", closed_at=None, skills=("Notuleren",)):
    row = CapacityOffer(
        user_id=user.id,
        organisation_id=user.organisation_id,
        hours_per_week=8,
        available_from=date.today(),
        reason="development",
        note=note,
        status=status,
        closed_at=closed_at,
    )
    s.add(row)
    s.flush()
    for name in skills:
        s.add(OfferSkill(offer_id=row.id, skill_id=skill(s, name).id, name=name))
    s.flush()
    return row


def application(s, job_id, user, *, status="submitted", motivation="", closed_at=None):
    row = Application(
        job_id=job_id,
        user_id=user.id,
        organisation_id=user.organisation_id,
        motivation=motivation,
        status=status,
        closed_at=closed_at,
    )
    s.add(row)
    s.flush()
    return row


def placement(
    s,
    job_row,
    employee,
    *,
    lending_approver,
    borrowing_approver,
    status="completed",
    notes="",
    proposed_by=None,
) -> Match:
    """An agreed (by default completed) placement with three approvals and one agreement."""
    match = Match(
        job_id=job_row.id,
        employee_id=employee.id,
        proposed_by_id=(proposed_by or borrowing_approver).id,
        lending_organisation_id=employee.organisation_id,
        borrowing_organisation_id=job_row.organisation_id,
        status=status,
        hours_per_week=12,
        start_date=date.today() - timedelta(days=200),
        end_date=date.today() - timedelta(days=20),
        supervisor_name="Sanne Begeleider",
        notes=notes,
        agreed_terms_version=1,
        employee_consented_at=datetime(2025, 1, 1, 9, 0),
        agreed_at=datetime(2025, 1, 2, 9, 0),
    )
    s.add(match)
    s.flush()
    for party, by in (
        ("employee", employee),
        ("lending", lending_approver),
        ("borrowing", borrowing_approver),
    ):
        s.add(Approval(match_id=match.id, party=party, decision="approve", by_id=by.id))
    from sqlalchemy import func, select

    taken = s.scalar(select(func.count(Placement.id)).where(Placement.job_id == job_row.id))
    s.add(Placement(job_id=job_row.id, slot=taken + 1, match_id=match.id))
    s.add(
        Agreement(
            match_id=match.id,
            version=1,
            terms_version=1,
            terms=match.terms(),
            status="ready",
            sha256=hashlib.sha256(FAKE_PDF).hexdigest(),
            size=len(FAKE_PDF),
            pdf=FAKE_PDF,
        )
    )
    s.flush()
    return match


def proposal(s, job_row, employee, proposer) -> Match:
    match = Match(
        job_id=job_row.id,
        employee_id=employee.id,
        proposed_by_id=proposer.id,
        lending_organisation_id=employee.organisation_id,
        borrowing_organisation_id=job_row.organisation_id,
        status="proposed",
        hours_per_week=8,
        start_date=date.today() + timedelta(days=30),
        end_date=date.today() + timedelta(days=90),
    )
    s.add(match)
    s.flush()
    return match


def evaluation(s, match, author, role, text) -> Evaluation:
    row = Evaluation(match_id=match.id, role=role, author_id=author.id, rating=4, went_well=text)
    s.add(row)
    s.flush()
    return row


def notification(s, user, kind="application_decision", **refs) -> Notification:
    row = Notification(user_id=user.id, kind=kind, refs=refs)
    s.add(row)
    s.flush()
    return row


def view(s, offer_row, viewer) -> OfferView:
    row = OfferView(offer_id=offer_row.id, viewer_id=viewer.id)
    s.add(row)
    s.flush()
    return row


def ids(**objects) -> SimpleNamespace:
    return SimpleNamespace(**{k: v.id for k, v in objects.items()})
