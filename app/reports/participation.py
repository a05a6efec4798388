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

from sqlalchemy import case, func, select

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


#: Per group (organisation id, department id): its size and how many of it offered and responded.
Counts = dict[tuple[int, int | None], tuple[int, int, int]]


def _cell(key, counts: tuple[int, int, int]) -> Cell:
    size, offers, applications = counts
    return Cell(key=key, size=size, values={"offers": offers, "applications": applications})


def table(
    organisation_ids: Iterable[int],
    people: Iterable[Person],
    offered: set[int],
    responded: set[int],
    min_group_size: dict[int, int],
) -> list[Row]:
    """The published rows: per organisation its total, then its groups (by department id, the
    group without a department last). ``offered``/``responded``: ids of people who did."""
    counts: dict[tuple[int, int | None], list[int]] = {}
    for person in people:
        found = counts.setdefault((person.organisation_id, person.department_id), [0, 0, 0])
        found[0] += 1
        found[1] += person.id in offered
        found[2] += person.id in responded
    return table_of_counts(
        organisation_ids, {key: tuple(c) for key, c in counts.items()}, min_group_size
    )


def table_of_counts(
    organisation_ids: Iterable[int], counts: Counts, min_group_size: dict[int, int]
) -> list[Row]:
    """:func:`table` from the groups' counts (what the database sums: a large organisation has
    thousands of people, and only the counts per group matter)."""
    by_org: dict[int, dict[int | None, tuple[int, int, int]]] = {}
    for (org_id, department_id), found in counts.items():
        by_org.setdefault(org_id, {})[department_id] = found
    rows: list[Row] = []
    for org_id in organisation_ids:
        groups = by_org.get(org_id, {})
        children = [
            _cell(department_id, found)
            for department_id, found in sorted(
                groups.items(), key=lambda item: (item[0] is None, item[0] or 0)
            )
        ]
        total = tuple(sum(found[i] for found in groups.values()) for i in range(3))
        group = Group(total=_cell(None, total), children=children)
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
    """The figures of these organisations (of the current arrangement) over ``period``: the
    groups' sizes and counts summed by the database, one row per group (a five-year report of a
    40-organisation arrangement was ~25,000 people and two sets of thousands of ids in Python)."""
    ids = [o.id for o in organisations]
    if not ids:
        return []
    since, until = utc_bounds(period)
    offered = select(CapacityOffer.user_id).where(
        CapacityOffer.created_at >= since, CapacityOffer.created_at < until
    )
    responded = select(Application.user_id).where(
        Application.created_at >= since, Application.created_at < until
    )
    rows = db.session.execute(
        select(
            User.organisation_id,
            User.department_id,
            func.count(User.id),
            func.count(case((User.id.in_(offered), 1))),
            func.count(case((User.id.in_(responded), 1))),
        )
        .where(User.organisation_id.in_(ids), User.active.is_(True))
        .group_by(User.organisation_id, User.department_id)
    )
    counts: Counts = {
        (org_id, department_id): (int(size), int(offers), int(applications))
        for org_id, department_id, size, offers, applications in rows
    }
    return table_of_counts(ids, counts, {o.id: o.report_min_group_size for o in organisations})
