"""Erasing a leaver's personal data (AVG/GDPR art. 17), keeping the agreements the law requires.

HR of the leaver's organisation erases; the account must be deactivated first and have no
placement in force (``agreed`` or ``active``: end it first). What happens, in one transaction:

Deleted
  - the login identity (the e-mail address that logs in), every browser session and API token;
  - capacity offers, with their skills and the log of who viewed them;
  - their saved searches (and so their alerts);
  - responses (applications);
  - the notifications to them, and notifications to others about their deleted offers and
    responses;
  - every outbox row addressed to them (pending or delivered) and pending rows about their deleted
    offers and responses; RQ delivery jobs of those rows are removed from the queue (and from the
    failed and scheduled registries). A job left behind anyway (Redis was down) carries only the
    outbox id, whose row no longer exists: delivery finds nothing to claim and sends nothing;
  - matches about them that never became a placement (proposed, declined, withdrawn), with their
    approvals;
  - the evaluations of their placements (their own and the host's opinion of them);
  - their line manager roles; the department, personnel number, job title, contract hours,
    language and password of the account; staff import batches still open that name them.

Kept, anonymised where the law allows
  - the user row, with a pseudonym (``Oud-medewerker <code>``, an unusable address) instead of
    name and e-mail, deactivated for good: kept placements, approvals others gave and jobs they
    posted point at it, so the organisations' records stay whole without naming anyone;
  - placements that were agreed (``agreed``, ``active``, ``completed``, ``ended``): the match with
    its terms, the approval trail and every agreement version. The organisations must keep a
    secondment agreement as part of their administration (the fiscal retention duty of seven
    years, art. 52 AWR, for the cost recharge; municipalities' archive selection lists may ask
    longer: ``AGREEMENT_RETENTION_YEARS``). The rendered PDF is that legal document and is kept
    unchanged, so it still names the employee; each version is marked with a
    :class:`~app.workspace.models.KeptAgreement` (reason, keep-until date). In the database rows
    around it, the name, e-mail address and personnel number are replaced by ``[gewist]`` in every
    text (terms, notes, reasons, the terms snapshot of each version). After the keep-until date
    the retention job deletes the placement altogether;
  - an :class:`~app.workspace.models.Erasure` row: who erased, when, and counts.

Not searched: free text written by others elsewhere that happens to mention the leaver (a job
description, a decision message to someone else). Those texts belong to their authors' records.
"""

from __future__ import annotations

import logging
import re
import secrets
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from rq.registry import FailedJobRegistry, ScheduledJobRegistry
from sqlalchemy import delete, or_, select, update

from app.accounts.models import AuthSession, LoginIdentity, User
from app.errors import Conflict, NotFound
from app.extensions import db
from app.ids import public_id
from app.matches.followup import Evaluation
from app.matches.models import PLACED_STATUSES, Agreement, Approval, Match
from app.outbox.models import OutboxMessage
from app.outbox.queue import get_queue, redis_connection
from app.policy import require
from app.pool.models import Application, CapacityOffer, Job, Notification
from app.pool.saved_searches import SavedSearch
from app.workspace.models import Erasure, ImportBatch, KeptAgreement
from app.workspace.operations import is_erased
from tenants.models import DepartmentManager

log = logging.getLogger(__name__)

REDACTED = "[gewist]"
PSEUDONYM_DOMAIN = "gewist.invalid"
AGREEMENT_RETENTION_YEARS = 7
IN_FORCE = ("agreed", "active")
#: Text columns of a kept match that may name the employee.
MATCH_TEXTS = (
    "place_of_work",
    "supervisor_name",
    "supervisor_role",
    "vat_treatment",
    "notes",
    "decline_reason",
    "end_reason",
)


def check_erasable(by: User, member: User) -> None:
    """Raise :class:`Conflict` when the member's data cannot be erased now."""
    require(by, "staff.manage", by.organisation)
    if member.organisation_id != by.organisation_id:
        raise NotFound()
    if member.id == by.id:
        raise Conflict(_("Je kunt je eigen gegevens niet wissen."))
    if is_erased(member):
        raise Conflict(_("De gegevens van dit account zijn al gewist."))
    if member.active:
        raise Conflict(_("Deactiveer het account eerst: wissen is voor vertrokken medewerkers."))
    in_force = db.session.scalar(
        select(Match.id).where(
            or_(Match.employee_id == member.id, Match.counterpart_id == member.id),
            Match.status.in_(IN_FORCE),
        )
    )
    if in_force is not None:
        raise Conflict(_("Deze medewerker heeft een lopende detachering. Beëindig die eerst."))


def _identifiers(member: User) -> list[str]:
    values = [member.name, member.email, member.personnel_number]
    return sorted({v.strip() for v in values if v and len(v.strip()) >= 3}, key=len, reverse=True)


def redact(text, identifiers: list[str]):
    """Replace every identifier in a text (or in the strings of a JSON value)."""
    if isinstance(text, str):
        for value in identifiers:
            text = re.sub(re.escape(value), REDACTED, text, flags=re.IGNORECASE)
        return text
    if isinstance(text, dict):
        return {k: redact(v, identifiers) for k, v in text.items()}
    if isinstance(text, list):
        return [redact(v, identifiers) for v in text]
    return text


def _keep_until(match: Match) -> date:
    years = int(current_app.config.get("AGREEMENT_RETENTION_YEARS", AGREEMENT_RETENTION_YEARS))
    end = match.ended_at.date() if match.ended_at else match.end_date
    try:
        return end.replace(year=end.year + years)
    except ValueError:  # 29 February
        return end.replace(year=end.year + years, day=28)


def _refs_about(refs: dict, applications: set[int], offers: set[int], matches: set[int]) -> bool:
    return bool(
        refs.get("application_id") in applications
        or refs.get("offer_id") in offers
        or refs.get("capacity_id") in offers
        or refs.get("match_id") in matches
    )


def _delete_ids(model, ids) -> int:
    ids = list(ids)
    if not ids:
        return 0
    db.session.execute(
        delete(model).where(model.id.in_(ids)).execution_options(synchronize_session=False)
    )
    return len(ids)


def _anonymise_kept(member: User, erasure: Erasure, identifiers: list[str]) -> int:
    """Kept placements: redact the texts around them and mark each agreement version."""
    text_hits = [
        getattr(Match, column).ilike(f"%{value}%")
        for column in MATCH_TEXTS
        for value in identifiers
    ]
    matches = db.session.scalars(
        select(Match).where(or_(Match.employee_id == member.id, *text_hits))
    ).all()
    kept = 0
    for match in matches:
        for column in MATCH_TEXTS:
            setattr(match, column, redact(getattr(match, column), identifiers))
        for approval in match.approvals:
            approval.reason = redact(approval.reason, identifiers)
        for agreement in match.agreements:
            agreement.terms = redact(dict(agreement.terms), identifiers)
            if match.employee_id == member.id:
                db.session.add(
                    KeptAgreement(
                        agreement_id=agreement.id,
                        erasure_id=erasure.id,
                        keep_until=_keep_until(match),
                    )
                )
                kept += 1
    return kept


def erase(by: User, member: User) -> Erasure:
    """Erase the member's personal data (see the module docstring for what is kept)."""
    check_erasable(by, member)
    identifiers = _identifiers(member)
    counts: dict[str, int] = {}
    erasure = Erasure(organisation_id=member.organisation_id, user_id=member.id, erased_by_id=by.id)
    db.session.add(erasure)
    db.session.flush()

    offers = set(
        db.session.scalars(select(CapacityOffer.id).where(CapacityOffer.user_id == member.id))
    )
    applications = set(
        db.session.scalars(select(Application.id).where(Application.user_id == member.id))
    )
    unplaced = set(
        db.session.scalars(
            select(Match.id).where(
                Match.employee_id == member.id, Match.status.not_in(PLACED_STATUSES)
            )
        )
    )
    placed = set(
        db.session.scalars(
            select(Match.id).where(
                Match.employee_id == member.id, Match.status.in_(PLACED_STATUSES)
            )
        )
    )

    # Messages first: those to them, and those to others about what is being deleted.
    notifications = {
        n.id
        for n in db.session.scalars(select(Notification))
        if n.user_id == member.id or _refs_about(n.refs or {}, applications, offers, unplaced)
    }
    counts["notifications"] = _delete_ids(Notification, notifications)
    outbox = {
        m.id
        for m in db.session.scalars(select(OutboxMessage))
        if m.recipient_id == member.id
        or (
            m.status in ("pending", "sending")
            and _refs_about(m.refs or {}, applications, offers, unplaced)
        )
    }
    counts["outbox"] = _delete_ids(OutboxMessage, outbox)
    counts["queued_jobs"] = remove_queued_deliveries(outbox, member.arrangement_id)

    counts["evaluations"] = _delete_ids(
        Evaluation,
        db.session.scalars(select(Evaluation.id).where(Evaluation.match_id.in_(placed | unplaced))),
    )
    db.session.execute(
        delete(Approval)
        .where(Approval.match_id.in_(unplaced))
        .execution_options(synchronize_session=False)
    )
    counts["matches"] = _delete_ids(Match, unplaced)
    counts["applications"] = _delete_ids(Application, applications)
    counts["capacity_offers"] = _delete_ids(CapacityOffer, offers)
    counts["saved_searches"] = _delete_ids(
        SavedSearch,
        db.session.scalars(select(SavedSearch.id).where(SavedSearch.user_id == member.id)),
    )
    db.session.execute(
        delete(DepartmentManager)
        .where(DepartmentManager.user_id == member.id)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(CapacityOffer)
        .where(CapacityOffer.registered_by_id == member.id)
        .values(registered_by_id=None)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(Job)
        .where(Job.contact_id == member.id)
        .values(contact_id=None)
        .execution_options(synchronize_session=False)
    )
    open_batches = db.session.scalars(
        select(ImportBatch).where(
            ImportBatch.organisation_id == member.organisation_id,
            ImportBatch.status.in_(("uploaded", "mapped")),
        )
    )
    for batch in open_batches:
        if redact(batch.rows, identifiers) != batch.rows:
            db.session.delete(batch)

    # The login identity and every session, then the account itself.
    for model in (LoginIdentity, AuthSession):
        db.session.execute(
            delete(model)
            .where(model.user_id == member.id, model.arrangement_id == member.arrangement_id)
            .execution_options(synchronize_session=False)
        )
    db.session.flush()
    db.session.expire_all()
    member = db.session.get(User, erasure.user_id)
    counts["kept_agreements"] = _anonymise_kept(member, erasure, identifiers)
    _pseudonymise(member)
    erasure.counts = counts
    db.session.flush()
    return erasure


def _pseudonymise(member: User) -> None:
    code = secrets.token_hex(4)
    member.name = f"Oud-medewerker {code}"
    member.email = f"gewist-{code}-{public_id('user', member.id)}@{PSEUDONYM_DOMAIN}"
    member.password_hash = None
    member.active = False
    member.is_hr = False
    member.is_coordinator = False
    member.department_id = None
    member.personnel_number = ""
    member.job_title = ""
    member.contract_hours = None
    member.locale = None
    member.weekly_digest = False


def kept_agreement_ids(user_ids: list[int]) -> set[int]:
    """Agreements kept as legal documents after their employee's erasure (for overviews)."""
    if not user_ids:
        return set()
    return set(
        db.session.scalars(
            select(KeptAgreement.agreement_id)
            .join(Agreement, Agreement.id == KeptAgreement.agreement_id)
            .join(Match, Match.id == Agreement.match_id)
            .where(Match.employee_id.in_(user_ids))
        )
    )


# --- the RQ queue -------------------------------------------------------------------------------

DELIVERY_JOB = "app.outbox.tasks.deliver_outbox"


def remove_queued_deliveries(outbox_ids: set[int], arrangement_id: int) -> int:
    """Remove the RQ delivery jobs of these outbox rows (queued, scheduled or failed).

    Safe before the commit: should the transaction roll back, the rows are still pending and the
    sweeper enqueues them again. Best effort: with Redis down, what stays behind is a job whose
    outbox row is gone, which delivers nothing.
    """
    if not outbox_ids or not current_app.config.get("REDIS_URL"):
        return 0

    removed = 0
    connection = redis_connection()
    try:
        queue = get_queue(connection)
        job_ids = list(queue.get_job_ids())
        for registry in (FailedJobRegistry, ScheduledJobRegistry):
            job_ids.extend(registry(queue=queue).get_job_ids())
        for job in queue.job_class.fetch_many(
            job_ids, connection=connection, serializer=queue.serializer
        ):
            if job is None or job.func_name != DELIVERY_JOB:
                continue
            args = list(job.args or ())
            if len(args) == 2 and args[0] in outbox_ids and args[1] == arrangement_id:
                job.delete()
                removed += 1
    except Exception as exc:  # best effort: see the docstring
        log.warning("could not remove queued deliveries: %r", exc)
    finally:
        connection.close()
    return removed
