"""Responses to jobs (reacties): apply, withdraw, the posting side's decision.

Operations ask the policy first and only flush; the request commits. Anything the caller may not
see is a 404 (``policy.require`` with a hidden rule); a state that does not allow the step is a
:class:`Conflict` (409).
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select
from sqlalchemy import exc as sa_exc

from app import policy
from app.accounts.models import User
from app.errors import Conflict, NotFound
from app.extensions import db
from app.policy import require
from app.pool.jobs import operations as jobs
from app.pool.models import Application, Job
from app.pool.notifications.operations import notify
from tenants.models import DepartmentManager, utcnow

OPEN_STATUSES = ("submitted", "in_conversation")
DECISIONS = ("in_conversation", "declined")


def job_visible(user: User, job: Job | None) -> bool:
    """Whether the caller may see this job at all (its existence is otherwise a 404)."""
    return policy.allowed(user, "job.view", job)


def job_open_for_responses(job: Job) -> bool:
    return jobs.effective_status(job) == "open"


def visible_job_or_404(user: User, job_id: int) -> Job:
    job = db.session.get(Job, job_id)
    if not job_visible(user, job):
        raise NotFound()
    return job


def visible_application_or_404(user: User, application_id: int) -> Application:
    application = db.session.get(Application, application_id)
    require(user, "application.view", application)
    return application


def own_application_for(user: User, job_id: int) -> Application | None:
    return db.session.scalar(
        select(Application).where(Application.job_id == job_id, Application.user_id == user.id)
    )


#: Kept, so its scoped form and cache key are reused (tenants.scoping): the list pages ask it
#: on every view.
_RESPONDED = select(Application.job_id).where(
    Application.user_id == bindparam("user_id"),
    Application.job_id.in_(bindparam("ids", expanding=True)),
)


def responded_job_ids(user: User, job_ids) -> set[int]:
    """Of ``job_ids``, the jobs ``user`` responded to (the "Je hebt gereageerd" marker): the
    person's own responses only, so no list tells anyone about someone else's."""
    ids = list(job_ids)
    if not ids:
        return set()
    return set(db.session.scalars(_RESPONDED, {"user_id": user.id, "ids": ids}))


def apply(user: User, job_id: int, *, motivation: str, hours_per_week: int | None) -> Application:
    """Respond to a job: always possible while it is open, once per person."""
    job = visible_job_or_404(user, job_id)
    if not job_open_for_responses(job):
        raise Conflict(_("Deze klus staat niet meer open voor reacties."))
    if own_application_for(user, job.id) is not None:
        raise Conflict(_("Je hebt al op deze klus gereageerd."))
    application = Application(
        job_id=job.id,
        user_id=user.id,
        organisation_id=user.organisation_id,
        motivation=motivation,
        hours_per_week=hours_per_week,
        status="submitted",
    )
    try:
        with db.session.begin_nested():
            db.session.add(application)
            db.session.flush()
    except sa_exc.IntegrityError:  # the same person, twice at the same moment
        raise Conflict(_("Je hebt al op deze klus gereageerd.")) from None
    for recipient_id in posting_side_recipients(job):
        if recipient_id != user.id:
            notify(recipient_id, "application_new", application_id=application.id)
    return application


def withdraw(user: User, application_id: int) -> Application:
    """The applicant takes their response back."""
    application = visible_application_or_404(user, application_id)
    require(user, "application.withdraw", application)
    if application.status not in OPEN_STATUSES:
        raise Conflict(_("Deze reactie kan niet meer worden ingetrokken."))
    application.status = "withdrawn"
    application.closed_at = utcnow()
    db.session.flush()
    return application


def decide(user: User, application_id: int, *, status: str, message: str) -> Application:
    """The posting side marks a response as in conversation or declined, with a message."""
    application = visible_application_or_404(user, application_id)
    require(user, "application.decide", application)
    if status not in DECISIONS:
        raise ValueError(status)
    if application.status not in OPEN_STATUSES:
        raise Conflict(_("Over deze reactie is al besloten of ze is ingetrokken."))
    if application.status == status and application.decision_message == message:
        return application
    application.status = status
    application.decision_message = message
    if status == "declined":
        application.closed_at = utcnow()
    db.session.flush()
    notify(
        application.user_id, "application_decision", application_id=application.id, status=status
    )
    return application


def posting_side_recipients(job: Job) -> list[int]:
    """Who hears of a new response: the poster and the department's line managers; HR of the
    job's organisation when neither exists."""
    ids: list[int] = []
    if job.posted_by_id is not None:
        ids.append(job.posted_by_id)
    if job.department_id is not None:
        ids.extend(
            db.session.scalars(
                select(DepartmentManager.user_id)
                .where(DepartmentManager.department_id == job.department_id)
                .order_by(DepartmentManager.user_id)
            )
        )
    if not ids:
        ids.extend(
            db.session.scalars(
                select(User.id)
                .where(User.organisation_id == job.organisation_id, User.is_hr.is_(True))
                .order_by(User.id)
            )
        )
    active = set(db.session.scalars(select(User.id).where(User.id.in_(ids), User.active)))
    return list(dict.fromkeys(i for i in ids if i in active))


# --- reading -------------------------------------------------------------------------------------


def visible_applications(user: User, *, job_id: int | None = None, status: str | None = None):
    """A select of the applications the caller may see, newest first."""
    stmt = select(Application).where(policy.applications_visible(user))
    if job_id is not None:
        stmt = stmt.where(Application.job_id == job_id)
    if status is not None:
        stmt = stmt.where(Application.status == status)
    return stmt.order_by(Application.created_at.desc(), Application.id.desc())


def own_applications(user: User) -> list[Application]:
    return list(
        db.session.scalars(
            select(Application)
            .where(Application.user_id == user.id)
            .order_by(Application.created_at.desc(), Application.id.desc())
        )
    )


def responses_to_job(user: User, job_id: int) -> tuple[Job, list[Application]]:
    """The responses to a job, for its posting side (and the coordinators)."""
    job = visible_job_or_404(user, job_id)
    require(user, "job.responses", job)
    rows = db.session.scalars(visible_applications(user, job_id=job.id))
    return job, list(rows)


def count(stmt) -> int:
    return db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
