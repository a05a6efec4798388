"""Participation figures: no small group published, no suppressed cell recoverable."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.reports.suppression import Cell, Group, suppress

MEASURES = ("offers", "applications")


@st.composite
def cell(draw, key):
    size = draw(st.integers(min_value=0, max_value=25))
    values = {m: draw(st.integers(min_value=0, max_value=size)) for m in MEASURES}
    return Cell(key=key, size=size, values=values)


@st.composite
def organisation(draw, index):
    children = [draw(cell((index, d))) for d in range(draw(st.integers(0, 7)))]
    total = Cell(
        key=(index, None),
        size=sum(c.size for c in children),
        values={m: sum(c.values[m] for c in children) for m in MEASURES},
    )
    return Group(total=total, children=children)


organisations = st.integers(1, 5).flatmap(lambda n: st.tuples(*[organisation(i) for i in range(n)]))


def bounds(cell_: Cell, group: Group, measure: str) -> tuple[int, int]:
    """What a reader can infer about a suppressed child from everything published."""
    low, high = 0, cell_.size
    if group.total.suppressed:
        return low, high
    published = sum(c.values[measure] for c in group.children if not c.suppressed)
    remainder = group.total.values[measure] - published
    others = sum(c.size for c in group.children if c.suppressed and c is not cell_)
    return max(low, remainder - others), min(high, remainder)


@settings(max_examples=400, deadline=None)
@given(orgs=organisations, k=st.integers(min_value=3, max_value=8))
def test_no_small_group_published_and_no_suppressed_cell_recoverable(orgs, k):
    """Published cells have at least k people; a suppressed cell's value is never pinned down."""
    groups = suppress(list(orgs), k)
    for group in groups:
        for c in [group.total, *group.children]:
            if not c.suppressed:
                assert c.size >= k
        for c in group.children:
            if c.suppressed:
                for measure in MEASURES:
                    low, high = bounds(c, group, measure)
                    assert low < high, (c, group, measure)


def test_a_single_small_department_takes_a_second_one_with_it():
    """One small department next to a published total would be total minus the rest."""
    small = Cell("klein", 3, {"offers": 1, "applications": 2})
    big = Cell("groot", 10, {"offers": 4, "applications": 3})
    other = Cell("ander", 12, {"offers": 5, "applications": 6})
    total = Cell("org", 25, {"offers": 10, "applications": 11})
    suppress([Group(total, [small, big, other])], k=5)
    assert small.suppressed and big.suppressed and not other.suppressed
    assert not total.suppressed


def test_a_remainder_of_zero_would_reveal_every_hidden_cell():
    """If the hidden departments add up to 0, each of them is known to be 0: hide more."""
    a = Cell("a", 3, {"offers": 0, "applications": 1})
    b = Cell("b", 4, {"offers": 0, "applications": 1})
    c = Cell("c", 10, {"offers": 2, "applications": 2})
    total = Cell("org", 17, {"offers": 2, "applications": 4})
    suppress([Group(total, [a, b, c])], k=5)
    assert a.suppressed and b.suppressed
    assert c.suppressed or total.suppressed
