"""Small-group suppression for participation figures (DESIGN.md section 3).

Figures are counts of people in a group (an organisation, or a department of it). A group with
fewer than ``k`` people (the organisation's ``report_min_group_size``) is never published. A
published parent is the sum of its children, so suppressing one child alone would let anyone
recover it by subtraction; and when the suppressed children's remainder is 0 or equal to their
combined size, every one of them is known too. So, within each published parent:

* either no child is suppressed, or at least two are, and
* for every measure, the remainder R of the suppressed children lies strictly between 0 and
  their combined size, so that no single suppressed value is pinned down.

When that does not hold, the next smallest published child is suppressed too; when no child is
left to suppress, the parent itself is suppressed (it has no published parent above it in our
reports, so nothing constrains it). Whether a cell is suppressed depends on group sizes and on the
values only through the remainder rule, never on a single suppressed value alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Cell:
    key: object
    size: int  # people in the group
    values: dict[str, int]  # measure → count of people (0 ≤ value ≤ size)
    suppressed: bool = False


@dataclass
class Group:
    """A parent cell and its children (e.g. an organisation and its departments)."""

    total: Cell
    children: list[Cell] = field(default_factory=list)


def _remainder_hides(children: list[Cell], total: Cell) -> bool:
    hidden = [c for c in children if c.suppressed]
    if not hidden:
        return True
    if len(hidden) < 2:
        return False
    capacity = sum(c.size for c in hidden)
    for measure, parent_value in total.values.items():
        remainder = parent_value - sum(c.values[measure] for c in children if not c.suppressed)
        if not 0 < remainder < capacity:
            return False
    return True


def suppress(groups: list[Group], k: int) -> list[Group]:
    """Mark cells suppressed in place (and return the groups) so that none can be recovered."""
    for group in groups:
        group.children = [c for c in group.children if c.size > 0]
        for cell in group.children:
            cell.suppressed = cell.size < k
        group.total.suppressed = group.total.size < k
        if group.total.suppressed:
            # An unpublished parent constrains nothing; its small children stay hidden.
            continue
        while not _remainder_hides(group.children, group.total):
            published = sorted(
                (c for c in group.children if not c.suppressed), key=lambda c: (c.size, str(c.key))
            )
            if not published:
                group.total.suppressed = True
                break
            published[0].suppressed = True
    return groups


def published_value(cell: Cell, measure: str) -> int | None:
    return None if cell.suppressed else cell.values[measure]
