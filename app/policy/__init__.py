"""Who may see and do what: every rule written once, in this package (DESIGN.md's promise to
the works council).

- :mod:`app.policy.table`: THE table — role × resource × relation → allowed, with the
  organisation setting that changes it. Plain data, readable without Python;
  ``tests/policy/test_policy_table*.py`` walk every row through lists, pages, counts and
  e-mails.
- :mod:`app.policy.roles`: who someone is (HR of, coordinator, line manager of, a match's
  lending or borrowing side).
- :mod:`app.policy.clauses`: the SQL clauses the lists, searches and counts filter with.
- :mod:`app.policy.rules`: the check per action; a single object runs its list's clause.

Callers ask :func:`allowed` (a yes/no for a template or a branch) or :func:`require` (in
operations: a "no" raises :class:`~app.errors.NotFound` where the resource's existence is
itself private, :class:`~app.errors.Forbidden` where the user already knows it exists). Lists
filter with the clauses re-exported here. Nothing registers rules at import time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.errors import Forbidden, NotFound
from app.extensions import db
from app.matches.models import Match
from app.policy.clauses import (
    HIRING_SIDE,
    SENSITIVE_REASON,
    WITH_COORDINATORS,
    applications_visible,
    job_side_jobs,
    jobs_managed,
    jobs_viewable,
    jobs_visible,
    matches_visible,
    offers_visible,
    reasons_readable,
)
from app.policy.roles import (
    authenticated,
    is_borrowing_side,
    is_coordinator,
    is_hr_of,
    is_hr_of_either,
    is_lending_side,
    is_line_manager,
    managed_department_ids,
    manages,
    may_post,
    staff_ids,
)
from app.policy.rules import CLAUSES, HIDDEN, PREDICATES, passes, registrable_staff

__all__ = [
    "HIRING_SIDE",
    "SENSITIVE_REASON",
    "WITH_COORDINATORS",
    "OfferDisclosure",
    "allowed",
    "applications_visible",
    "authenticated",
    "clause",
    "disclose_match",
    "disclose_matches",
    "disclose_offer",
    "disclose_offers",
    "is_borrowing_side",
    "is_coordinator",
    "is_hr_of",
    "is_hr_of_either",
    "is_lending_side",
    "is_line_manager",
    "job_side_jobs",
    "jobs_managed",
    "jobs_viewable",
    "jobs_visible",
    "managed_department_ids",
    "manages",
    "matches_visible",
    "may_post",
    "offer_audience",
    "offers_visible",
    "reasons_readable",
    "registrable_staff",
    "require",
    "shown_reason",
    "staff_ids",
    "visible_ids",
]


def allowed(user, action: str, resource: Any = None) -> bool:
    """Whether ``user`` may do ``action`` on ``resource`` (False for no user or no resource
    where the action is about a row)."""
    if action not in CLAUSES and action not in PREDICATES:
        raise KeyError(f"no policy rule for {action!r}")
    if not authenticated(user):
        return False
    if action in CLAUSES:
        return resource is not None and passes(user, action, resource)
    return bool(PREDICATES[action](user, resource))


def require(user, action: str, resource: Any = None) -> None:
    """:func:`allowed` or raise: 404 for hidden actions, 403 otherwise."""
    if not allowed(user, action, resource):
        raise NotFound() if action in HIDDEN else Forbidden()


def clause(user, action: str):
    """The SQL clause of a listable action (e.g. ``select(Application.id).where(...)``)."""
    return CLAUSES[action][1](user)


# --- what a viewer reads of an offer ------------------------------------------------------------


def shown_reason(user, offer) -> str:
    """The reason as ``user`` reads it: re-integration only where allowed, else "other"."""
    if offer.reason != SENSITIVE_REASON or allowed(user, "offer.reason", offer):
        return offer.reason
    return "other"


@dataclass(frozen=True)
class OfferDisclosure:
    """What one viewer reads of one offer, decided here and handed to the schemas (a schema
    never asks who is looking): the reason as they may read it, and whether they are the
    employee or the line manager who registered it (they read the note and the consent in
    lists, and the consent on the offer)."""

    reason: str
    own: bool


def disclose_offers(user, offers) -> list:
    """Attach :class:`OfferDisclosure` for ``user`` to each offer (``offer.disclosure``), for
    the API's schemas; one query for the re-integration reasons of the whole list."""
    offers = list(offers)
    sensitive = [o.id for o in offers if o.reason == SENSITIVE_REASON]
    readable = visible_ids(user, "offer.reason", sensitive)
    for offer in offers:
        own = authenticated(user) and user.id in (offer.user_id, offer.registered_by_id)
        hidden = offer.reason == SENSITIVE_REASON and offer.id not in readable
        offer.disclosure = OfferDisclosure(reason="other" if hidden else offer.reason, own=own)
    return offers


def disclose_offer(user, offer) -> Any:
    """:func:`disclose_offers` for one offer; returns the offer."""
    disclose_offers(user, [offer])
    return offer


def disclose_matches(user, matches) -> list:
    """Whether ``user`` may know how each match came about (``match.origin``), handed to the
    API's schema on the match (``match.origin_disclosed``): a schema never asks who is looking.
    """
    matches = list(matches)
    for match in matches:
        match.origin_disclosed = allowed(user, "match.origin", match)
    return matches


def disclose_match(user, match) -> Any:
    """:func:`disclose_matches` for one match (anything else is returned as it is)."""

    if isinstance(match, Match):
        disclose_matches(user, [match])
    return match


# --- plain-language summary (settings page, "who can see my offer?") ---------------------------


def offer_audience(organisation) -> dict[str, bool]:
    """Which groups see the offers of this organisation's staff (for the explanation pages):
    the offer rows of :mod:`app.policy.table` for this organisation's settings."""
    visibility = organisation.capacity_visibility
    return {
        "own_hr": True,
        "coordinators": visibility in WITH_COORDINATORS,
        "other_hr": visibility == HIRING_SIDE,
        "line_managers": visibility == HIRING_SIDE,
        "own_line_manager": bool(organisation.line_manager_sees_own_staff),
        "registering_line_manager": bool(organisation.registration_via_line_manager),
    }


def visible_ids(user, action: str, ids) -> set[int]:
    """Of these ids, the ones ``user`` may ``action`` (one query, the action's clause)."""
    model, rule = CLAUSES[action]
    ids = list(ids)
    if not ids or not authenticated(user):
        return set()
    return set(db.session.scalars(select(model.id).where(model.id.in_(ids), rule(user))))
