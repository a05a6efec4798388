"""The ranking core: which capacity offers fit a job, and which jobs fit an offer. Pure Python on
plain values (no database), so the pages and ``bench/ranking.py`` run the same code.

A skill is a set of *concepts* (app.matches.concepts); a job's skill is covered when one of its
concepts is among the offer's. The score weighs skill coverage, hours and the period:

    0.6 × covered skills / job skills + 0.25 × min(hours) / job hours + 0.15 × overlap of periods

Ranking many offers against many jobs uses indexes of bit sets (Python integers: concept → the
offers that have it; concept → per job size and skill number, the jobs that ask it), so the
groups of equal coverage come from a few ``|``/``&`` over thousands of candidates at once, in C,
and only the candidates that may still get into the top ``limit`` are scored one by one.
app.matches.sides keeps one :class:`OfferIndex` and one :class:`JobIndex` per arrangement and
process (its ``RankingIndex``), used by the candidates of a job, the jobs for an offer and the
employee's "Klussen voor jou".
"""

from __future__ import annotations

import heapq
import operator
from collections import defaultdict
from collections.abc import Container, Sequence
from dataclasses import dataclass
from datetime import date

SKILL_WEIGHT = 0.6
HOURS_WEIGHT = 0.25
PERIOD_WEIGHT = 0.15
OPEN_END = date.max.toordinal()
# Scores are compared as shown, rounded to 4 decimals: a bound below a score found plus this
# rounds to at most that score, and a tie loses (fewer skills, or fewer hours), so the walk may
# stop there.
_HALF_STEP = 0.00005


@dataclass(slots=True)
class Side:
    """A job (skills it asks for) or an offer (skills it brings), for ranking."""

    id: int
    skills: tuple[frozenset[str], ...]
    hours: int | None
    start: date | None
    end: date | None  # None: open-ended
    labels: tuple[str, ...] = ()

    def all_concepts(self) -> frozenset[str]:
        return frozenset().union(*self.skills) if self.skills else frozenset()


@dataclass(slots=True)
class Fit:
    """How well one offer fits one job, with the figures the reasons are made of."""

    job_id: int
    offer_id: int
    score: float
    skills_matched: int
    skills_total: int
    hours_offered: int | None
    hours_needed: int
    available_from: date | None
    available_until: date | None
    period_share: float
    job_start: date
    job_end: date


def _period_share(job_start: int, job_end: int, start: int, end: int) -> float:
    overlap = min(job_end, end) - max(job_start, start) + 1
    return max(overlap, 0) / (job_end - job_start + 1)


def fit(job: Side, offer: Side, matched: int | None = None) -> Fit:
    """Score one pair (the slow path for one job's page; bulk ranking inlines this)."""
    if matched is None:
        mine = offer.all_concepts()
        matched = sum(1 for skill in job.skills if skill & mine)
    total = len(job.skills)
    skill_part = matched / total if total else 0.5
    hours_part = 1.0 if offer.hours is None else min(offer.hours, job.hours) / job.hours
    if offer.start is None and offer.end is None:
        period = 1.0
    else:
        period = _period_share(
            job.start.toordinal(),
            job.end.toordinal(),
            (offer.start or job.start).toordinal(),
            offer.end.toordinal() if offer.end else OPEN_END,
        )
    score = SKILL_WEIGHT * skill_part + HOURS_WEIGHT * hours_part + PERIOD_WEIGHT * period
    return Fit(
        job.id,
        offer.id,
        round(score, 4),
        matched,
        total,
        offer.hours,
        job.hours,
        offer.start,
        offer.end,
        period,
        job.start,
        job.end,
    )


class OfferIndex:
    """Offers indexed by concept: rank them for one job after another.

    The offers are kept in order of hours, most first, so within a group of offers that cover
    equally many of a job's skills the walk can stop as soon as the hours left cannot beat the
    scores already found.
    """

    def __init__(self, offers: Sequence[Side]):
        self.offers = sorted(offers, key=lambda o: -(o.hours or 0))
        by_concept: dict[str, list[int]] = defaultdict(list)
        for pos, offer in enumerate(self.offers):
            for concept in offer.all_concepts():
                by_concept[concept].append(pos)
        # concept -> bit set of the offers that have it (bit i: self.offers[i])
        self.by_concept = {
            concept: sum(1 << pos for pos in positions) for concept, positions in by_concept.items()
        }
        self.everyone = (1 << len(self.offers)) - 1
        self.ids = [o.id for o in self.offers]
        self.hours = [o.hours or 0 for o in self.offers]
        self.starts = [o.start.toordinal() if o.start else 0 for o in self.offers]
        self.ends = [o.end.toordinal() if o.end else OPEN_END for o in self.offers]

    def _groups(self, job: Side):
        """(covered, bit set of the offers covering exactly that many of the job's skills), the
        most covered first, made lazily and counted bit-sliced as misses (see JobIndex)."""
        index = self.by_concept
        hits = []
        for skill in job.skills:
            hit = 0
            for concept in skill:
                hit |= index.get(concept, 0)
            hits.append(hit)
        size = len(hits)
        within: list[int] = []
        for covered in range(size, 0, -1):
            misses = size - covered
            if len(within) <= misses:  # count again, further down (rarely needed)
                within = [self.everyone] * (2 * misses + 1 if misses else 1)
                for hit in hits:
                    for r in range(len(within) - 1, 0, -1):
                        within[r] = (within[r] & hit) | within[r - 1]
                    within[0] &= hit
            exact = within[misses] & ~within[misses - 1] if misses else within[0]
            if exact:
                yield covered, exact

    def rank(self, job: Side, limit: int = 20, allowed: Container[int] | None = None) -> list[Fit]:
        """The best ``limit`` offers sharing at least one skill with the job.

        Skill coverage dominates the score: an offer covering m of the job's n skills scores
        between 0.6·m/n and 0.6·m/n + 0.4. So the groups of equal coverage are walked from the
        highest down, each in order of hours, and a walk stops where what is left cannot beat
        the ``limit``-th best score found: most candidates are never scored.
        """
        if not job.skills or limit < 1:
            return []
        skill_w = SKILL_WEIGHT / len(job.skills)
        needed = job.hours
        js, je = job.start.toordinal(), job.end.toordinal()
        hours_w, period_w = HOURS_WEIGHT / needed, PERIOD_WEIGHT / (je - js + 1)
        hours, starts, ends, ids = self.hours, self.starts, self.ends, self.ids
        # The order: score (rounded as shown), then more skills covered, then more hours.
        heap: list[tuple[float, int, int]] = []  # the best so far, worst on top
        for covered, bits in self._groups(job):
            base = skill_w * covered
            if len(heap) >= limit and base + HOURS_WEIGHT + PERIOD_WEIGHT < heap[0][0] + _HALF_STEP:
                break  # no offer covering fewer skills can get in any more
            while bits:  # most hours first
                low = bits & -bits
                bits ^= low
                pos = low.bit_length() - 1
                if allowed is not None and ids[pos] not in allowed:
                    continue
                h = hours[pos]
                partial = base + hours_w * (h if h < needed else needed)
                if len(heap) >= limit and partial + PERIOD_WEIGHT < heap[0][0] + _HALF_STEP:
                    break  # the rest of this group offers no more hours than this one
                e, b = ends[pos], starts[pos]
                overlap = (je if e > je else e) - (js if b < js else b) + 1
                score = round(partial + (period_w * overlap if overlap > 0 else 0.0), 4)
                item = (score, covered, -pos)
                if len(heap) < limit:
                    heapq.heappush(heap, item)
                elif item > heap[0]:
                    heapq.heapreplace(heap, item)
        heap.sort(reverse=True)
        return [fit(job, self.offers[-neg], covered) for _, covered, neg in heap]


class JobIndex:
    """Jobs indexed for one offer after another, as bit sets.

    The jobs get positions in order of hours needed, fewest first, then id. For every job size
    ``n`` (its number of skills) and skill number ``k`` a concept has a bit set of the jobs of
    that size whose ``k``-th skill it is (Python integers: one ``|`` or ``&`` handles thousands
    of jobs in C). For an offer, the sets of its concepts are or-ed per (size, skill number),
    then counted bit-sliced ("at least m of the n skills"), which yields the groups of jobs with
    an equal share of their skills covered without looking at a single job. The groups are
    walked from the highest share down and each group from the fewest hours up, and a walk stops
    where what is left cannot reach the ``limit``-th best score found: only the jobs that may
    get in are ever scored.
    """

    def __init__(self, jobs: Sequence[Side]):
        self.jobs = sorted(jobs, key=lambda j: (j.hours, j.id))
        #: size -> the positions (in self.jobs) of the jobs of that size; bit i of a size's
        #: sets is its i-th job, so the sets stay as small as the group.
        self.members: dict[int, list[int]] = defaultdict(list)
        slots: dict[str, dict[tuple[int, int], int]] = defaultdict(dict)
        for pos, job in enumerate(self.jobs):
            size = len(job.skills)
            if not size:
                continue
            members = self.members[size]
            bit = 1 << len(members)
            members.append(pos)
            for number, skill in enumerate(job.skills):
                key = (size, number)
                for concept in skill:
                    masks = slots[concept]
                    masks[key] = masks.get(key, 0) | bit
        # concept -> ((size, (bit set of skill 0, of skill 1, ...)), ...)
        self.by_concept = {}
        for concept, masks in slots.items():
            sizes: dict[int, list[int]] = {}
            for (size, number), mask in masks.items():
                sizes.setdefault(size, [0] * size)[number] = mask
            self.by_concept[concept] = tuple((size, tuple(m)) for size, m in sizes.items())
        self.universe = {size: (1 << len(m)) - 1 for size, m in self.members.items()}
        #: (share, matched, size) for every size present, the highest share first.
        self.shares = sorted(
            ((m / size, m, size) for size in self.universe for m in range(1, size + 1)),
            key=lambda g: -g[0],
        )
        self.ids = [job.id for job in self.jobs]
        self.hours = [job.hours for job in self.jobs]
        self.starts = [job.start.toordinal() for job in self.jobs]
        self.ends = [job.end.toordinal() for job in self.jobs]

    def _slot_sets(self, offer: Side) -> dict[int, list[int]]:
        """Per job size, per skill number: the bit set of the jobs whose skill the offer has."""
        by_size: dict[int, tuple[int, ...]] = {}
        for concept in offer.all_concepts():
            for size, masks in self.by_concept.get(concept, ()):
                found = by_size.get(size)
                by_size[size] = masks if found is None else tuple(map(operator.or_, found, masks))
        return by_size

    def _groups(self, offer: Side):
        """(share, matched, the size's members, bit set of them) per share that occurs, the
        highest first; made lazily, so a walk that stops early never counts the lower shares.

        Counted as misses, bit-sliced: ``within[r]`` holds the jobs of a size that miss at most
        ``r`` of their skills, from ``within[r] = (within[r] & hit) | within[r - 1]``
        per skill, starting from every job of that size."""
        by_size = self._slot_sets(offer)
        counted: dict[int, list[int]] = {}  # size -> within[0..r]
        for share, matched, size in self.shares:
            sets = by_size.get(size)
            if sets is None:
                continue
            misses = size - matched
            within = counted.get(size)
            if within is None or len(within) <= misses:
                within = [self.universe[size]] * (misses + 1)
                for hit in sets:
                    for r in range(misses, 0, -1):
                        within[r] = (within[r] & hit) | within[r - 1]
                    within[0] &= hit
                counted[size] = within
            exact = within[misses] & ~within[misses - 1] if misses else within[0]
            if exact:
                yield share, matched, self.members[size], exact

    def rank(
        self,
        offer: Side,
        limit: int = 20,
        allowed: Container[int] | None = None,
        *,
        overlapping: bool = False,
    ) -> list[Fit]:
        """The best ``limit`` jobs for an offer (ties: the lower job id first). With
        ``allowed``, only jobs whose id is in it; with ``overlapping``, only jobs whose period
        overlaps the offer's."""
        if limit < 1:
            return []
        offered = offer.hours
        start = offer.start.toordinal() if offer.start else 0
        end = offer.end.toordinal() if offer.end else OPEN_END
        ids, hours, starts, ends = self.ids, self.hours, self.starts, self.ends
        heap: list[tuple[float, int, int, int, float]] = []  # score, -id, matched, pos, period
        # A bound below `floor` rounds below the limit-th best score: it cannot get in (kept a
        # hair under the exact rounding edge, so a walk never stops too early).
        floor = -1.0
        for share, matched, members, bits in self._groups(offer):
            base = SKILL_WEIGHT * share
            if base + (HOURS_WEIGHT + PERIOD_WEIGHT) < floor:
                break  # no job with a smaller share can get in any more
            while bits:
                low = bits & -bits
                bits ^= low
                pos = members[low.bit_length() - 1]
                if allowed is not None and ids[pos] not in allowed:
                    continue
                needed = hours[pos]
                if offered is None or offered >= needed:
                    partial = base + HOURS_WEIGHT * 1.0
                else:
                    partial = base + HOURS_WEIGHT * (offered / needed)
                if partial + PERIOD_WEIGHT < floor:
                    break  # the rest of the group needs more hours: no better
                js, je = starts[pos], ends[pos]
                overlap = (je if je < end else end) - (js if js > start else start) + 1
                if overlap <= 0 and overlapping:
                    continue
                period = overlap / (je - js + 1) if overlap > 0 else 0.0
                item = (round(partial + PERIOD_WEIGHT * period, 4), -ids[pos], matched, pos, period)
                if len(heap) < limit:
                    heapq.heappush(heap, item)
                    if len(heap) == limit:
                        floor = heap[0][0] - _HALF_STEP - 1e-9
                elif item > heap[0]:
                    heapq.heapreplace(heap, item)
                    floor = heap[0][0] - _HALF_STEP - 1e-9
        heap.sort(reverse=True)
        out = []
        for score, _, matched, pos, period in heap:
            job = self.jobs[pos]
            out.append(
                Fit(
                    job.id,
                    offer.id,
                    score,
                    matched,
                    len(job.skills),
                    offered,
                    job.hours,
                    offer.start,
                    offer.end,
                    period,
                    job.start,
                    job.end,
                )
            )
        return out


def rank_all(jobs: Sequence[Side], offers: Sequence[Side], limit: int = 20) -> dict[int, list]:
    """Every job's best ``limit`` offers (the bulk path that bench/ranking.py times)."""
    index = OfferIndex(offers)
    return {job.id: index.rank(job, limit) for job in jobs}
