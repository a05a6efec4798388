"""The approvals of a match: for which party a user decides, and when. Who may *see* a match
and act on it is :mod:`app.policy`'s (the rows ``match.*``; seeing one match runs the list's
clause :func:`app.policy.matches_visible`).

Seeing a match, in short (the reasons are in :mod:`app.policy.clauses`):

- the employee and whoever proposed it, always;
- after the employee's first approval (``employee_consented_at``): the parties — HR of the
  lending and of the borrowing organisation, the employee's line managers (lending), the job's
  line managers and its poster (borrowing) — and the arrangement's coordinators;
- before it: nobody else. The proposal form promises "Eerst beslist de medewerker", and so it
  is: a proposal the employee may still decline quietly is between the employee and the
  proposer. The home line manager learns of it at the moment the home organisation must
  approve; HR of either side, the job's side and the coordinators at the same moment (issue
  10, finding 14). After consent, how the match came about stays with those who may see its
  source (``match.origin``, finding 13).

Anyone else — HR and line managers of a third member organisation included — gets 404.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false, or_, select

from app.extensions import db
from app.matches.exchange import FLOWS, flow
from app.matches.models import Approval, Match
from app.policy import (
    authenticated,
    is_borrowing_side,
    is_lending_side,
    managed_department_ids,
    matches_visible,
    staff_ids,
)
from app.pool.models import Job


def visible_match(user, match_id: int) -> Match | None:
    """The match with this id if the user may see it (None: answer 404)."""
    if not authenticated(user):
        return None
    return db.session.scalar(select(Match).where(Match.id == match_id, matches_visible(user)))


# --- the parties -------------------------------------------------------------------------------


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
    (combine with ``select(Match)``; it includes :func:`app.policy.matches_visible`).

    The persons decide first (the employee; in a functieruil also the counterpart); the lending
    side (HR of the home organisation, the employee's line managers) and the borrowing side (HR
    of the job's organisation, the job's line managers and, in a functieruil, the counterpart's)
    only once every person approved the current terms — so a line manager never meets a
    proposal about their own staff before the employee's consent. Held equal to
    :func:`decidable_now` for every party and type by tests/matches/test_decision_marker.py.
    """
    if not authenticated(user):
        return false()

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
    # flow(match).persons, per type: every person of the match's type approved.
    persons_approved = or_(
        *(
            and_(Match.type == kind, *(decided(person, "approve") for person in persons))
            for kind, persons in _PERSONS_BY_TYPE.items()
        ),
        and_(Match.type.not_in(list(_PERSONS_BY_TYPE)), decided("employee", "approve")),
    )
    # Only a functieruil has a counterpart. Each comparison with it comes after "IS NOT NULL",
    # so the clause is true or false, never NULL: the start page asks for NOT this clause, and
    # NOT NULL would drop the match.
    has_counterpart = Match.counterpart_id.is_not(None)
    is_person = or_(
        Match.employee_id == user.id, and_(has_counterpart, Match.counterpart_id == user.id)
    )
    managed = managed_department_ids(user)
    lending, borrowing = [], []
    if user.is_hr:
        lending.append(Match.lending_organisation_id == user.organisation_id)
        borrowing.append(Match.borrowing_organisation_id == user.organisation_id)
    if managed:
        staff = staff_ids(managed)
        lending.append(Match.employee_id.in_(staff))
        borrowing.append(
            Match.job_id.in_(select(Job.id).where(Job.department_id.in_(sorted(managed))))
        )
        # a functieruil's other side
        borrowing.append(and_(has_counterpart, Match.counterpart_id.in_(staff)))
    waits = [
        and_(Match.employee_id == user.id, ~decided("employee")),
        and_(has_counterpart, Match.counterpart_id == user.id, ~decided("counterpart")),
    ]
    for side, party in ((lending, "lending"), (borrowing, "borrowing")):
        if side:
            waits.append(and_(~is_person, or_(*side), persons_approved, ~decided(party)))
    return and_(matches_visible(user), open_for_decisions, or_(*waits))


#: Each type's persons (app.matches.exchange.FLOWS), for the SQL twin above.
_PERSONS_BY_TYPE = {kind: spec.persons for kind, spec in FLOWS.items()}


def evaluation_role(user, match: Match) -> str | None:
    """Which evaluation the user writes: the employee's, or the host's (borrowing side); the
    same rule as app.policy's ``match.evaluate``."""
    if user.id == match.employee_id:
        return "employee"
    if is_borrowing_side(user, match):
        return "host"
    return None
