"""An employee's own data, for the right of access (AVG/GDPR art. 15 and 20).

:func:`export` collects every record about the caller: the account, the departments they lead,
their capacity offers with skills and the log of who viewed them, their responses, their
notifications, the matches about them with approvals, agreement versions and evaluations, the
approvals and evaluations they gave on other matches, the jobs they posted, their saved searches
(with alert choice), and their login
sessions (times only: the hashes are no data about them). The page ``/mijn-gegevens`` shows it and
``/mijn-gegevens.json`` downloads the same dictionary.

Names of other people appear where the record is about the employee too (who viewed their offer,
who approved their placement): that is what the employee has a right to know.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import or_, select

from app.accounts.models import AuthSession, User
from app.extensions import db
from app.ids import public_id
from app.matches.followup import Evaluation
from app.matches.models import Approval, Match
from app.pool import saved_searches
from app.pool.models import Application, CapacityOffer, Job, Notification, OfferView
from tenants.models import Department, DepartmentManager, Organisation, utcnow


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _person(user_id: int | None) -> dict | None:
    if user_id is None:
        return None
    user = db.session.get(User, user_id)
    if user is None:
        return None
    organisation = db.session.get(Organisation, user.organisation_id)
    return {"name": user.name, "organisation": organisation.name if organisation else None}


def _job(job_id: int | None) -> dict | None:
    job = db.session.get(Job, job_id) if job_id is not None else None
    if job is None:
        return None
    organisation = db.session.get(Organisation, job.organisation_id)
    return {"id": public_id("job", job.id), "title": job.title, "organisation": organisation.name}


def _account(user: User) -> dict:
    organisation = db.session.get(Organisation, user.organisation_id)
    department = db.session.get(Department, user.department_id) if user.department_id else None
    led = db.session.scalars(
        select(Department.name)
        .join(DepartmentManager, DepartmentManager.department_id == Department.id)
        .where(DepartmentManager.user_id == user.id)
        .order_by(Department.name)
    )
    return {
        "id": public_id("user", user.id),
        "name": user.name,
        "email": user.email,
        "organisation": organisation.name,
        "department": department.name if department else None,
        "line_manager_of": list(led),
        "roles": user.roles,
        "personnel_number": user.personnel_number,
        "job_title": user.job_title,
        "contract_hours": user.contract_hours,
        "locale": user.locale,
        "weekly_digest": user.weekly_digest,
        "active": user.active,
        "created_at": _plain(user.created_at),
    }


def _offers(user: User) -> list[dict]:
    offers = db.session.scalars(
        select(CapacityOffer).where(CapacityOffer.user_id == user.id).order_by(CapacityOffer.id)
    )
    out = []
    for offer in offers:
        views = db.session.scalars(
            select(OfferView).where(OfferView.offer_id == offer.id).order_by(OfferView.id)
        )
        out.append(
            {
                "id": public_id("offer", offer.id),
                "status": offer.status,
                "hours_per_week": offer.hours_per_week,
                "available_from": _plain(offer.available_from),
                "available_until": _plain(offer.available_until),
                "reason": offer.reason,
                "note": offer.note,
                "skills": offer.skills,
                "registered_by": _person(offer.registered_by_id),
                "created_at": _plain(offer.created_at),
                "updated_at": _plain(offer.updated_at),
                "closed_at": _plain(offer.closed_at),
                "viewed_by": [
                    {"viewer": _person(v.viewer_id), "viewed_at": _plain(v.viewed_at)}
                    for v in views
                ],
            }
        )
    return out


def _applications(user: User) -> list[dict]:
    rows = db.session.scalars(
        select(Application).where(Application.user_id == user.id).order_by(Application.id)
    )
    return [
        {
            "id": public_id("application", a.id),
            "job": _job(a.job_id),
            "motivation": a.motivation,
            "hours_per_week": a.hours_per_week,
            "status": a.status,
            "decision_message": a.decision_message,
            "created_at": _plain(a.created_at),
            "updated_at": _plain(a.updated_at),
            "closed_at": _plain(a.closed_at),
        }
        for a in rows
    ]


def _notifications(user: User) -> list[dict]:
    rows = db.session.scalars(
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    )
    return [
        {
            "id": public_id("notification", n.id),
            "kind": n.kind,
            "refs": _public_refs(n.refs),
            "created_at": _plain(n.created_at),
            "read_at": _plain(n.read_at),
        }
        for n in rows
    ]


#: The kind of public id (app/ids.py) of each key of a notification's references.
REF_KINDS = {
    "job_id": "job",
    "match_id": "match",
    "application_id": "application",
    "offer_id": "offer",
    "capacity_id": "offer",
    "notification_id": "notification",
    "saved_search_id": "search",
}


def _public_refs(refs: dict | None) -> dict:
    """A notification's references with public ids: the keys inside are never shown (they would
    tell how much the whole installation creates), so a key without a public form is left out."""
    out = {}
    for name, value in (refs or {}).items():
        if name in REF_KINDS and isinstance(value, int):
            out[name] = public_id(REF_KINDS[name], value)
        elif not name.endswith("_id"):
            out[name] = value
    return out


def _approval(a: Approval) -> dict:
    return {
        "match_id": public_id("match", a.match_id),
        "party": a.party,
        "decision": a.decision,
        "by": _person(a.by_id),
        "at": _plain(a.at),
        "reason": a.reason,
        "terms_version": a.terms_version,
    }


def _evaluation(e: Evaluation) -> dict:
    return {
        "match_id": public_id("match", e.match_id),
        "role": e.role,
        "author": _person(e.author_id),
        "rating": e.rating,
        "went_well": e.went_well,
        "could_improve": e.could_improve,
        "again": e.again,
        "created_at": _plain(e.created_at),
    }


def _about(user: User):
    """The matches that place the user: as the employee, or as a functieruil's counterpart."""
    return or_(Match.employee_id == user.id, Match.counterpart_id == user.id)


def _matches(user: User) -> list[dict]:
    matches = db.session.scalars(select(Match).where(_about(user)).order_by(Match.id))
    out = []
    for m in matches:
        evaluations = db.session.scalars(
            select(Evaluation).where(Evaluation.match_id == m.id).order_by(Evaluation.id)
        )
        out.append(
            {
                "id": public_id("match", m.id),
                "type": m.type,
                "status": m.status,
                "job": _job(m.job_id),
                "employee": _person(m.employee_id),
                "counterpart": _person(m.counterpart_id) if m.counterpart_id else None,
                "lending_organisation": m.lending_organisation.name,
                "borrowing_organisation": m.borrowing_organisation.name,
                "proposed_by": _person(m.proposed_by_id),
                "terms": m.terms(),
                "decline_reason": m.decline_reason,
                "end_reason": m.end_reason,
                "created_at": _plain(m.created_at),
                "agreed_at": _plain(m.agreed_at),
                "ended_at": _plain(m.ended_at),
                "approvals": [_approval(a) for a in m.approvals],
                "agreements": [
                    {
                        "version": a.version,
                        "status": a.public_status,
                        "sha256": a.sha256,
                        "created_at": _plain(a.created_at),
                        "rendered_at": _plain(a.rendered_at),
                    }
                    for a in m.agreements
                ],
                "evaluations": [_evaluation(e) for e in evaluations],
            }
        )
    return out


def _given(user: User) -> tuple[list[dict], list[dict]]:
    """Approvals and evaluations the user gave on matches about someone else."""
    own = select(Match.id).where(_about(user))
    approvals = db.session.scalars(
        select(Approval)
        .where(Approval.by_id == user.id, Approval.match_id.not_in(own))
        .order_by(Approval.id)
    )
    evaluations = db.session.scalars(
        select(Evaluation)
        .where(Evaluation.author_id == user.id, Evaluation.match_id.not_in(own))
        .order_by(Evaluation.id)
    )
    return [_approval(a) for a in approvals], [_evaluation(e) for e in evaluations]


def _jobs_posted(user: User) -> list[dict]:
    jobs = db.session.scalars(
        select(Job)
        .where(or_(Job.posted_by_id == user.id, Job.contact_id == user.id))
        .order_by(Job.id)
    )
    return [
        {
            "id": public_id("job", j.id),
            "title": j.title,
            "status": j.status,
            "posted_by_me": j.posted_by_id == user.id,
            "contact": j.contact_id == user.id,
            "created_at": _plain(j.created_at),
        }
        for j in jobs
    ]


def _saved_searches(user: User) -> list[dict]:

    return [
        {
            "id": public_id("search", s.id),
            "name": s.name,
            "query": s.query,
            "frequency": s.frequency,
            "checked_at": _plain(s.checked_at),
            "created_at": _plain(s.created_at),
        }
        for s in saved_searches.of(user)
    ]


def _sessions(user: User) -> list[dict]:
    rows = db.session.scalars(
        select(AuthSession)
        .where(AuthSession.user_id == user.id, AuthSession.arrangement_id == user.arrangement_id)
        .order_by(AuthSession.created_at)
    )
    return [
        {
            "kind": s.kind,
            "created_at": _plain(s.created_at),
            "last_seen_at": _plain(s.last_seen_at),
            "expires_at": _plain(s.expires_at),
            "ended_at": _plain(s.ended_at),
        }
        for s in rows
    ]


def export(user: User) -> dict:
    """Everything about ``user`` (the caller): see the module docstring."""
    approvals_given, evaluations_written = _given(user)
    return {
        "generated_at": _plain(utcnow()),
        "account": _account(user),
        "capacity_offers": _offers(user),
        "applications": _applications(user),
        "notifications": _notifications(user),
        "matches": _matches(user),
        "approvals_given": approvals_given,
        "evaluations_written": evaluations_written,
        "jobs": _jobs_posted(user),
        "saved_searches": _saved_searches(user),
        "sessions": _sessions(user),
    }
