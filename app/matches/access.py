"""Who may see a match, decide on it, or act on it: the matches' rows of the policy table.

Seeing a match (one rule, as an SQL clause; the single-object check runs the same clause):

- the employee and whoever proposed it, always;
- after the employee's first approval (``employee_consented_at``): the parties — HR of the
  lending and of the borrowing organisation, the employee's line managers (lending), the job's
  line managers and its poster (borrowing) — and the arrangement's coordinators;
- before it: nobody else. The proposal form promises "Eerst beslist de medewerker", and so it
  is: a proposal the employee may still decline quietly is between the employee and the
  proposer. The home line manager learns of it at the moment the home organisation must
  approve; HR of either side, the job's side and the coordinators at the same moment (issue
  10, finding 14). After consent, how the match came about stays with those who may see its
  source (:func:`sees_origin`, finding 13).

Anyone else — HR and line managers of a third member organisation included — gets 404.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false, or_, select, true

from app import policy
from app.accounts.models import User
from app.extensions import db
from app.matches.models import Match
from app.pool.models import Job
from app.pool.privacy import (
    can_see_application,
    can_see_offer,
    managed_departments,
)

# --- seeing a match ------------------------------------------------------------------------------


def _authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def staff_ids(department_ids) -> select:
    return select(User.id).where(User.department_id.in_(list(department_ids)))


def job_side_jobs(user) -> select:
    """Jobs of which the user is the job's side: posted them or manages their department."""
    conditions = [Job.posted_by_id == user.id]
    managed = managed_departments(user)
    if managed:
        conditions.append(Job.department_id.in_(list(managed)))
    return select(Job.id).where(or_(*conditions))


def _party_clauses(user) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if user.is_coordinator:
        clauses.append(true())
    if user.is_hr:
        clauses.append(Match.lending_organisation_id == user.organisation_id)
        clauses.append(Match.borrowing_organisation_id == user.organisation_id)
    managed = managed_departments(user)
    if managed:
        clauses.append(Match.employee_id.in_(staff_ids(managed)))
        # A functieruil's counterpart's line managers: the borrowing side of the swap.
        clauses.append(Match.counterpart_id.in_(staff_ids(managed)))
    clauses.append(Match.job_id.in_(job_side_jobs(user)))
    return clauses


def matches_visible_clause(user) -> ColumnElement[bool]:
    """SQL: the matches ``user`` may see (combine with ``select(Match)``)."""
    if not _authenticated(user):
        return false()
    return or_(
        Match.employee_id == user.id,
        Match.counterpart_id == user.id,
        Match.proposed_by_id == user.id,
        and_(Match.employee_consented_at.is_not(None), or_(*_party_clauses(user))),
    )


def can_see_match(user, match: Match | None) -> bool:
    """The same rule for one match (it runs the clause: one rule, never two)."""
    if match is None or not _authenticated(user):
        return False
    found = db.session.scalar(
        select(Match.id).where(Match.id == match.id, matches_visible_clause(user))
    )
    return found is not None


def visible_match(user, match_id: int) -> Match | None:
    """The match with this id if the user may see it (None: answer 404)."""
    if not _authenticated(user):
        return None
    return db.session.scalar(
        select(Match).where(Match.id == match_id, matches_visible_clause(user))
    )


# --- the parties -------------------------------------------------------------------------------


def manages(user, department_id: int | None) -> bool:
    return department_id is not None and department_id in managed_departments(user)


def _is_person(user, match: Match) -> bool:
    return user.id in (match.employee_id, match.counterpart_id)


def is_lending_side(user, match: Match) -> bool:
    """HR of the employee's organisation or the employee's line manager (not the employee)."""
    if _is_person(user, match):
        return False
    if user.is_hr and user.organisation_id == match.lending_organisation_id:
        return True
    return manages(user, match.employee.department_id)


def is_borrowing_side(user, match: Match) -> bool:
    """HR of the job's organisation or the job's line manager (not the employee); for a
    functieruil also the counterpart's line manager (that side lends the counterpart)."""
    if _is_person(user, match):
        return False
    if user.is_hr and user.organisation_id == match.borrowing_organisation_id:
        return True
    if match.counterpart is not None and manages(user, match.counterpart.department_id):
        return True
    return manages(user, match.job.department_id)


def parties_of(user, match: Match) -> list[str]:
    """The parties the user may decide for on this match (in the order of deciding)."""
    parties = []
    if user.id == match.employee_id:
        parties.append("employee")
    if match.counterpart_id is not None and user.id == match.counterpart_id:
        parties.append("counterpart")
    if is_lending_side(user, match):
        parties.append("lending")
    if is_borrowing_side(user, match):
        parties.append("borrowing")
    return parties


def decidable_now(user, match: Match) -> list[str]:
    """The parties the user can decide for at this moment (the order and state allow it)."""
    if not match.open_for_decisions:
        return []
    from app.matches.exchange import flow

    current = match.current_approvals()
    persons = flow(match).persons
    persons_approved = all(
        current.get(p) is not None and current[p].decision == "approve" for p in persons
    )
    out = []
    for party in parties_of(user, match):
        if party in current:
            continue
        if party not in persons and not persons_approved:
            continue
        out.append(party)
    return out


def decision_waiting_clause(user) -> ColumnElement[bool]:
    """SQL twin of :func:`decidable_now`: the matches on which ``user`` can decide right now
    (combine with ``select(Match)``; it includes :func:`matches_visible_clause`).

    The employee decides first; the lending side (HR of the home organisation, the employee's
    line managers) and the borrowing side (HR of the job's organisation, the job's line
    managers) only once the employee approved the current terms — so a line manager never
    meets a proposal about their own staff before the employee's consent.
    """
    if not _authenticated(user):
        return false()
    from app.matches.models import Approval

    def decided(party: str, decision: str | None = None):
        conditions = [
            Approval.match_id == Match.id,
            Approval.terms_version == Match.terms_version,
            Approval.party == party,
        ]
        if decision:
            conditions.append(Approval.decision == decision)
        return select(Approval.id).where(*conditions).exists()

    open_for_decisions = or_(
        Match.status == "proposed",
        and_(
            Match.status.in_(("agreed", "active")),
            Match.agreed_terms_version.is_not(None),
            Match.terms_version != Match.agreed_terms_version,
        ),
    )
    managed = managed_departments(user)
    lending, borrowing = [], []
    if user.is_hr:
        lending.append(Match.lending_organisation_id == user.organisation_id)
        borrowing.append(Match.borrowing_organisation_id == user.organisation_id)
    if managed:
        lending.append(Match.employee_id.in_(staff_ids(managed)))
        borrowing.append(
            Match.job_id.in_(select(Job.id).where(Job.department_id.in_(sorted(managed))))
        )
    waits = [and_(Match.employee_id == user.id, ~decided("employee"))]
    employee_approved = decided("employee", "approve")
    for side, party in ((lending, "lending"), (borrowing, "borrowing")):
        if side:
            waits.append(
                and_(
                    Match.employee_id != user.id,
                    or_(*side),
                    employee_approved,
                    ~decided(party),
                )
            )
    return and_(matches_visible_clause(user), open_for_decisions, or_(*waits))


def is_hr_of_either(user, match: Match) -> bool:
    return bool(
        user.is_hr
        and user.organisation_id in (match.lending_organisation_id, match.borrowing_organisation_id)
    )


def job_visible(user, job: Job | None) -> bool:
    """The pool's rule for seeing a job (its existence is otherwise a 404)."""
    from app.pool.jobs.operations import can_view

    return job is not None and _authenticated(user) and can_view(user, job)


def may_propose_for(user, job: Job, employee: User) -> bool:
    """HR of either organisation, a coordinator, or the job's line manager."""
    return bool(
        user.is_coordinator
        or (user.is_hr and user.organisation_id in (job.organisation_id, employee.organisation_id))
        or manages(user, job.department_id)
    )


def employee_visible_for_direct(user, employee: User | None) -> bool:
    """Whom a direct proposal may name: staff of the caller's own organisation (or any, for a
    coordinator). Everyone else is answered 404, as if the person did not exist."""
    if employee is None or not employee.active:
        return False
    return user.is_coordinator or employee.organisation_id == user.organisation_id


def may_manage(user, match: Match) -> bool:
    """Edit the terms or withdraw: the proposer, HR of either side, coordinators, the job's LM."""
    return bool(
        match.proposed_by_id == user.id
        or user.is_coordinator
        or is_hr_of_either(user, match)
        or manages(user, match.job.department_id)
    )


def may_end(user, match: Match) -> bool:
    """End early: either organisation (its HR or the line managers of the parties)."""
    return is_lending_side(user, match) or is_borrowing_side(user, match)


def may_see_flags(user, match: Match) -> bool:
    """The agreement flags and missing legal details: HR of either side and coordinators."""
    return bool(user.is_coordinator or is_hr_of_either(user, match))


def evaluation_role(user, match: Match) -> str | None:
    """Which evaluation the user writes: the employee's, or the host's (borrowing side)."""
    if user.id == match.employee_id:
        return "employee"
    if is_borrowing_side(user, match):
        return "host"
    return None


def may_read_evaluations(user, match: Match) -> bool:
    return bool(user.is_coordinator or is_hr_of_either(user, match))


def source_visible(user, match: Match) -> bool:
    """For pages that link to the source: may the user open the response or offer?"""
    if match.application is not None:
        return can_see_application(user, match.application)
    if match.capacity is not None:
        return can_see_offer(user, match.capacity)
    return False


def sees_origin(user, match: Match) -> bool:
    """How the match came about — its source (a response, a capacity offer, a direct proposal)
    and when it was proposed — for the employee, the proposer and whoever may see that source
    under the pool's privacy rules.

    The other parties learn of the match at the employee's consent and see what they need to
    decide: the job, the terms, the approvals. Not that the employee had offered capacity or
    responded, nor when they were first approached: their consent covers the placement, not
    the road to it (issue 10, finding 13).
    """
    if user is None or not _authenticated(user):
        return False
    if user.id in (match.employee_id, match.proposed_by_id):
        return True
    return source_visible(user, match)


# --- the policy table rows ----------------------------------------------------------------------

policy.register("match.view", can_see_match, hidden=True)
policy.register("match.manage", may_manage)
policy.register("match.end", may_end)
policy.register("match.flags", may_see_flags)
policy.register("match.agreement.retry", may_see_flags)
policy.register("match.evaluations.read", may_read_evaluations)
