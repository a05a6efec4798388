"""Participation figures: how many people offered capacity and how many responded to a job, per
organisation and per department, in a period — counts that cannot be used to monitor anyone.

- Counted as distinct people: someone with three responses counts once. A person counts in the
  period when they made an offer (or a response) on a day in it.
- A group is the current active staff of a department, or of an organisation as a whole. Staff
  without a department form their own group under the organisation (``department_id`` None), so
  that the organisation's figure is exactly the sum of its groups.
- Groups smaller than the organisation's ``report_min_group_size`` are never published, and
  enough other groups are withheld with them that no withheld figure can be worked out from the
  totals (:mod:`app.reports.suppression`). Withheld figures are ``None``.
- Only HR of the organisation and the arrangement's coordinators see them (app.reports.operations);
  line managers never do, not even for their own department.

:func:`table` is the whole computation on plain values; :func:`participation` reads the rows
for it from the database. The property test runs :func:`table` on random organisations.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.pool.models import Application, CapacityOffer
from app.reports.period import Period, utc_bounds
from app.reports.suppression import Cell, Group, suppress
from tenants.models import Organisation

#: The API's name for the group of staff without a department.
#: Not a possible slug (slugs are [a-z0-9-]), so it never collides with a department named so.
NO_DEPARTMENT = "_zonder_afdeling"


@dataclass(frozen=True)
class Person:
    id: int
    organisation_id: int
    department_id: int | None


@dataclass(frozen=True)
class Row:
    organisation_id: int
    whole: bool  # the organisation as a whole
    department_id: int | None  # with whole False: None is the staff without a department
    offers: int | None  # None: withheld
    applications: int | None

    @property
    def suppressed(self) -> bool:
        return self.offers is None


def _cell(key, members: list[int], offered: set[int], responded: set[int]) -> Cell:
    return Cell(
        key=key,
        size=len(members),
        values={
            "offers": sum(1 for m in members if m in offered),
            "applications": sum(1 for m in members if m in responded),
        },
    )


def table(
    organisation_ids: Iterable[int],
    people: Iterable[Person],
    offered: set[int],
    responded: set[int],
    min_group_size: dict[int, int],
) -> list[Row]:
    """The published rows: per organisation its total, then its groups (by department id, the
    group without a department last). ``offered``/``responded``: ids of people who did."""
    by_group: dict[int, dict[int | None, list[int]]] = {}
    for person in people:
        by_group.setdefault(person.organisation_id, {}).setdefault(person.department_id, []).append(
            person.id
        )
    rows: list[Row] = []
    for org_id in organisation_ids:
        groups = by_group.get(org_id, {})
        children = [
            _cell(department_id, members, offered, responded)
            for department_id, members in sorted(
                groups.items(), key=lambda item: (item[0] is None, item[0] or 0)
            )
        ]
        everyone = [m for members in groups.values() for m in members]
        group = Group(total=_cell(None, everyone, offered, responded), children=children)
        suppress([group], min_group_size[org_id])
        for whole, cell in [(True, group.total)] + [(False, c) for c in group.children]:
            rows.append(
                Row(
                    organisation_id=org_id,
                    whole=whole,
                    department_id=None if whole else cell.key,
                    offers=None if cell.suppressed else cell.values["offers"],
                    applications=None if cell.suppressed else cell.values["applications"],
                )
            )
    return rows


def participation(period: Period, organisations: list[Organisation]) -> list[Row]:
    """The figures of these organisations (of the current arrangement) over ``period``."""
    ids = [o.id for o in organisations]
    if not ids:
        return []
    people = [
        Person(*row)
        for row in db.session.execute(
            select(User.id, User.organisation_id, User.department_id).where(
                User.organisation_id.in_(ids), User.active.is_(True)
            )
        )
    ]
    since, until = utc_bounds(period)
    offered = set(
        db.session.scalars(
            select(CapacityOffer.user_id)
            .where(CapacityOffer.created_at >= since, CapacityOffer.created_at < until)
            .distinct()
        )
    )
    responded = set(
        db.session.scalars(
            select(Application.user_id)
            .where(Application.created_at >= since, Application.created_at < until)
            .distinct()
        )
    )
    return table(
        ids, people, offered, responded, {o.id: o.report_min_group_size for o in organisations}
    )
