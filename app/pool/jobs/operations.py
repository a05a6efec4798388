"""Jobs (klussen): the operations that change them. Who may see and manage them is decided in
:mod:`app.policy` (the rows ``job.*``):

an open job is seen by everyone of its own organisation, and by the other member
organisations only when its visibility is ``arrangement``. Drafts are seen by the posting side
only. The posting side of a job ("owners") is its poster, the line managers of its department and
HR of its organisation; they edit, publish, close and renew it.

Every open job has ``expires_on``; lists leave out jobs past it even before the schedule
(:mod:`app.pool.tasks`) marks them expired. Operations flush; the request commits.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app import policy
from app.accounts.models import User
from app.dates import today as local_today
from app.errors import FieldErrors, NotFound, StateError
from app.extensions import db
from app.pool import skills as skill_list
from app.pool.markdown import excerpt
from app.pool.models import JOB_TYPES, Job, JobSkill
from tenants.models import Department, DepartmentManager, Organisation, utcnow

VISIBILITIES = ("organisation", "arrangement")
#: Allowed status changes (besides renewing, which also reopens an expired job).
TRANSITIONS = {
    "draft": {"open"},
    "open": {"filled", "closed"},
    "filled": {"open", "closed"},
    "closed": {"open"},
    "expired": {"open", "closed", "filled"},
}
EDITABLE = (
    "type",
    "title",
    "description",
    "department_id",
    "contact_id",
    "hours_per_week",
    "start_date",
    "end_date",
    "location",
    "remote",
    "places",
    "visibility",
)


class JobInputError(FieldErrors, ValueError):
    """Input that cannot be saved: ``fields`` maps a field name to messages (Dutch)."""


class JobStateError(StateError, RuntimeError):
    """A status change that is not possible from the current status (409)."""

    default_detail = "Deze statuswijziging kan niet / status change not possible"


def today() -> date:
    """The local date (Europe/Amsterdam): see :func:`app.dates.today`."""

    return local_today()


# --- who -------------------------------------------------------------------------------------
# Who may see, post and manage a job is app.policy's (the rows "job.*", the clauses
# ``jobs_viewable``/``jobs_managed``/``jobs_visible``).


def effective_status(job, on: date | None = None) -> str:
    """An open job past its expiry date is expired, whether or not the schedule ran yet."""
    if on is None:
        on = today()
    if job.status == "open" and job.expires_on is not None and job.expires_on < on:
        return "expired"
    return job.status


def get_job(user, job_id: int, *, manage: bool = False) -> Job:
    """The job by id for ``user``: 404 when it is absent or not visible to them, 403 when
    ``manage`` is asked and they only see it."""
    job = db.session.get(Job, job_id)
    if job is None:
        raise NotFound()
    policy.require(user, "job.view", job)
    if manage:
        policy.require(user, "job.manage", job)
    return job


def owners(job: Job) -> list[User]:
    """Who is reminded about this job: poster, the department's line managers, HR."""
    ids: set[int] = set()
    if job.posted_by_id:
        ids.add(job.posted_by_id)
    if job.department_id:
        ids.update(
            db.session.scalars(
                select(DepartmentManager.user_id).where(
                    DepartmentManager.department_id == job.department_id
                )
            )
        )
    ids.update(
        db.session.scalars(
            select(User.id).where(User.organisation_id == job.organisation_id, User.is_hr)
        )
    )
    if not ids:
        return []
    users = db.session.scalars(select(User).where(User.id.in_(ids), User.active)).all()
    return [u for u in users if u.organisation_id == job.organisation_id]


# --- choices for forms and validation --------------------------------------------------------


def department_choices(user) -> list[Department]:
    """The departments ``user`` may post for: HR any of its organisation's; a line manager
    their own department and the ones they manage."""
    query = select(Department).where(Department.organisation_id == user.organisation_id)
    if not user.is_hr:
        allowed = set(policy.managed_department_ids(user))
        if user.department_id:
            allowed.add(user.department_id)
        query = query.where(Department.id.in_(sorted(allowed)))
    return list(db.session.scalars(query.order_by(Department.name)))


def default_department_id(user) -> int | None:
    """The poster's own department; none for HR (CONTRACT.md)."""
    if user.is_hr:
        return None
    if user.department_id:
        return user.department_id
    managed = sorted(policy.managed_department_ids(user))
    return managed[0] if managed else None


def contact_choices(user) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.organisation_id == user.organisation_id, User.active)
            .order_by(User.name)
        )
    )


def _check(user, job: Job, data: dict, errors: dict[str, list[str]]) -> None:
    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    department_id = data.get("department_id")
    if (
        department_id is not None
        and department_id != job.department_id
        and department_id not in {d.id for d in department_choices(user)}
    ):
        add("department", _("Kies een afdeling waarvoor je klussen mag plaatsen."))
    if "department_id" in data and department_id is None and not user.is_hr:
        add("department", _("Kies een afdeling."))
    if data.get("contact_id") is not None:
        contact = db.session.get(User, data["contact_id"])
        if contact is None or contact.organisation_id != job.organisation_id or not contact.active:
            add("contact", _("Kies een contactpersoon van je eigen organisatie."))
    if "type" in data and data["type"] not in JOB_TYPES:
        add("type", _("Kies een soort uitwisseling."))
    if "visibility" in data and data["visibility"] not in VISIBILITIES:
        add("visibility", _("Kies wie de klus mag zien."))
    start = data.get("start_date", job.start_date)
    end = data.get("end_date", job.end_date)
    if start and end and end < start:
        add("end_date", _("De einddatum ligt vóór de startdatum."))
    elif "end_date" in data and end and end < today():
        add("end_date", _("De einddatum ligt in het verleden."))


def set_skills(job: Job, names: list[str]) -> None:
    """Link the job to the shared skills for ``names`` and keep ``skills_text`` in step.

    The job shows the spelling its poster typed; no other job's or offer's text changes.
    """
    pairs = skill_list.get_or_create(names)
    skill_list.relink(
        job.job_skills,
        pairs,
        lambda skill, name: JobSkill(skill_id=skill.id, skill=skill, name=name),
    )
    job.skills_text = "\n".join(sorted((name for _, name in pairs), key=str.casefold))


def _normalised_skills(data: dict, errors: dict) -> list[str] | None:
    if "skills" not in data:
        return None
    try:
        return skill_list.normalise(data["skills"] or [])
    except skill_list.SkillError as exc:
        errors.setdefault("skills", []).append(str(exc))
        return None


# --- operations -------------------------------------------------------------------------------


def create_job(user, data: dict, *, publish: bool = True) -> Job:
    """A new job of the poster's own organisation: open (with an expiry date) or a draft."""
    organisation = db.session.get(Organisation, user.organisation_id)
    policy.require(user, "job.post", organisation)
    data = dict(data)
    data.setdefault("department_id", default_department_id(user))
    data.setdefault("visibility", organisation.default_job_visibility)
    data.setdefault("contact_id", user.id)
    job = Job(
        organisation_id=user.organisation_id,
        posted_by_id=user.id,
        type="klus",
        description="",
        location="",
        remote=False,
        places=1,
        status="draft",
    )
    errors: dict[str, list[str]] = {}
    names = _normalised_skills(data, errors)
    _check(user, job, data, errors)
    if errors:
        raise JobInputError(errors)
    for name in EDITABLE:
        if name in data:
            setattr(job, name, data[name])
    job.summary = excerpt(job.description)
    db.session.add(job)
    set_skills(job, names or [])
    if publish:
        _open(job, organisation)
    db.session.flush()
    return job


def update_job(user, job: Job, data: dict) -> Job:
    """Change the given fields (a partial update); the status changes through change_status."""
    policy.require(user, "job.manage", job)
    errors: dict[str, list[str]] = {}
    names = _normalised_skills(data, errors)
    _check(user, job, data, errors)
    if errors:
        raise JobInputError(errors)
    for name in EDITABLE:
        if name in data:
            setattr(job, name, data[name])
    if "description" in data:
        job.summary = excerpt(job.description)
    if names is not None:
        set_skills(job, names)
    if "status" in data and data["status"] != job.status:
        change_status(user, job, data["status"])
    db.session.flush()
    return job


def renewed_until(job: Job, organisation: Organisation | None = None) -> date:
    """The expiry date a job gets when it opens or is renewed today."""
    organisation = organisation or db.session.get(Organisation, job.organisation_id)
    return today() + timedelta(days=organisation.job_expiry_days)


def _open(job: Job, organisation: Organisation | None = None) -> None:
    job.status = "open"
    if job.published_at is None:
        job.published_at = utcnow()
    job.expires_on = renewed_until(job, organisation)
    job.reminder_sent_on = None


def change_status(user, job: Job, status: str) -> Job:
    """Publish a draft, mark a job filled or closed, or reopen it (with a new expiry date)."""
    policy.require(user, "job.manage", job)
    current = effective_status(job)
    if status == current:
        return job
    if status not in TRANSITIONS.get(current, set()):
        raise JobStateError()
    if status == "open":
        _open(job)
    else:
        job.status = status
    db.session.flush()
    return job


def renew(user, job: Job) -> Job:
    """One click: an open or expired job stays open until today + the organisation's term."""
    policy.require(user, "job.manage", job)
    if effective_status(job) not in ("open", "expired"):
        raise JobStateError()
    _open(job)
    db.session.flush()
    return job
