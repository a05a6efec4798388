"""The one ranking index per arrangement and process: its open jobs and open offers as sides
(app.matches.sides) and the index of each direction (app.matches.ranking). Every user of the
arrangement shares it; what a caller may see is applied when ranking (``allowed``).

It is kept while nothing it depends on changed (:func:`_version`: one cheap statement per use).
Each side is read and indexed on first use, so a job's candidates page never reads the jobs and
"Klussen voor jou" never reads the offers. When jobs or offers change, only the rows changed since
are read again, and only that direction's index is rebuilt (a few milliseconds); the other
direction carries over as it was. At country scale a full read of an arrangement's ~12,000 open
jobs took 0.2-0.4 s, and every new offer used to cost it to the next page that ranked.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, func, or_, select

from app.caches import app_cache
from app.extensions import db
from app.matches.ranking import Fit, JobIndex, OfferIndex, Side
from app.matches.sides import Skills, all_skills, jobs_where, offers_where
from app.pool.models import CapacityOffer, Job, Skill
from tenants.context import current_arrangement_id

INDEX_KEY = "matches_ranking_index"
INDEX_SIZE = 8  # arrangements kept per process
#: How far before the newest change seen a refresh reads again: a row written by a transaction
#: that committed late, or by a process whose clock is a little behind, still gets in.
MARGIN = timedelta(minutes=10)

Sides = dict[int, Side]
Source = Sides | Callable[[], Sides]  # the sides, or the function that reads them


class RankingIndex:
    """An arrangement's open jobs and offers for both directions: the best offers for a job
    (:class:`OfferIndex`) and the best jobs for an offer (:class:`JobIndex`). Each side is given
    as its sides or as a function that reads them; it is read, and its index built, on first use
    (once, however many threads ask)."""

    def __init__(
        self,
        jobs: Sequence[Side] | Source,
        offers: Sequence[Side] | Source,
        *,
        job_index: JobIndex | None = None,
        offer_index: OfferIndex | None = None,
    ):
        self._jobs: Source = jobs if callable(jobs) or isinstance(jobs, dict) else _by_id(jobs)
        self._offers: Source = (
            offers if callable(offers) or isinstance(offers, dict) else _by_id(offers)
        )
        self._job_index = job_index
        self._offer_index = offer_index
        self._lock = threading.RLock()

    def _read(self, name: str) -> Sides:
        value = getattr(self, name)
        if callable(value):
            with self._lock:
                value = getattr(self, name)
                if callable(value):
                    value = value()
                    setattr(self, name, value)
        return value

    @property
    def jobs(self) -> Sides:
        return self._read("_jobs")

    @property
    def offers(self) -> Sides:
        return self._read("_offers")

    def _built(self, name: str, make: Callable[[], object]):
        value = getattr(self, name)
        if value is None:
            with self._lock:
                value = getattr(self, name)
                if value is None:
                    value = make()
                    setattr(self, name, value)
        return value

    @property
    def offer_index(self) -> OfferIndex:
        return self._built("_offer_index", lambda: OfferIndex(list(self.offers.values())))

    @property
    def job_index(self) -> JobIndex:
        return self._built("_job_index", lambda: JobIndex(list(self.jobs.values())))

    def offers_for(self, job: Side, limit: int = 20, allowed=None) -> list[Fit]:
        return self.offer_index.rank(job, limit, allowed)

    def jobs_for(self, offer: Side, limit: int = 20, allowed=None, *, overlapping=False):
        return self.job_index.rank(offer, limit, allowed, overlapping=overlapping)


def _by_id(sides: Sequence[Side]) -> Sides:
    return {side.id: side for side in sides}


# --- kept per arrangement ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Version:
    """What the index depends on. Per side the newest change and the highest id: a new row is
    the newest change (and the highest id, whatever its clock), and a changed skill list
    changes its job's or offer's ``updated_at`` (app.pool.jobs.operations.set_skills,
    app.pool.offers.operations._set_skills). Then the skill list (count and highest id: skills
    are added, never renamed) and today (offers past their end drop out: a new day reads all
    again). A job or offer deleted since stays in the index unseen: every ranking is limited to
    the ids the caller may see now."""

    jobs: tuple
    offers: tuple
    skills: tuple
    day: date


def _version() -> _Version:
    """One statement; each figure is one step down an index (``ix_jobs_changed``,
    ``ix_capacity_offers_changed``, a primary key), no count over the arrangement's hundreds of
    thousands of rows."""

    def newest(column):
        return select(func.max(column)).scalar_subquery()

    row = db.session.execute(
        select(
            newest(Job.updated_at),
            newest(Job.id),
            newest(CapacityOffer.updated_at),
            newest(CapacityOffer.id),
            select(func.count(Skill.id)).scalar_subquery(),
            newest(Skill.id),
        )
    ).one()
    return _Version(tuple(row[0:2]), tuple(row[2:4]), tuple(row[4:6]), date.today())


@dataclass(frozen=True, slots=True)
class _Kept:
    version: _Version
    skills: Skills
    index: RankingIndex


Reader = Callable[[Skills, ColumnElement[bool]], tuple[Sides, set[int]]]


def _reader(read: Reader, skills: Skills, model) -> Callable[[], Sides]:
    """Reads all open rows of one side, later, in the arrangement it was made for."""
    arrangement = current_arrangement_id()

    def read_all() -> Sides:
        if current_arrangement_id() != arrangement:  # pragma: no cover - a programming error
            raise RuntimeError("a ranking index was read outside its own arrangement")
        return read(skills, model.status == "open")[0]

    return read_all


def _changed(old: Source, before: tuple, skills: Skills, read: Reader, model) -> Source:
    """One side after its rows changed: if it was read, those sides with the rows changed since
    ``before`` (newest change, highest id) read again now; else it is read whole on first use."""
    if callable(old) or before[0] is None:
        return _reader(read, skills, model)
    since = or_(model.updated_at >= before[0] - MARGIN, model.id > before[1])
    found, closed = read(skills, since)
    sides = {key: side for key, side in old.items() if key not in closed}
    sides.update(found)
    return sides


def shared_index() -> RankingIndex:
    """The arrangement's ranking index, kept per process and brought up to date as its jobs and
    offers change."""
    version = _version()
    key = current_arrangement_id()
    kept = app_cache(INDEX_KEY, INDEX_SIZE)
    hit: _Kept | None = kept.get(key)
    if hit is not None and hit.version == version:
        return hit.index
    if hit is None or (hit.version.skills, hit.version.day) != (version.skills, version.day):
        # New, a new skill (every side's concepts may change) or a new day: read all on use.
        skills = all_skills()
        index = RankingIndex(
            _reader(jobs_where, skills, Job), _reader(offers_where, skills, CapacityOffer)
        )
    else:
        skills, old, was = hit.skills, hit.index, hit.version
        jobs, job_index = old._jobs, old._job_index
        if version.jobs != was.jobs:
            jobs, job_index = _changed(jobs, was.jobs, skills, jobs_where, Job), None
        offers, offer_index = old._offers, old._offer_index
        if version.offers != was.offers:
            offers = _changed(offers, was.offers, skills, offers_where, CapacityOffer)
            offer_index = None
        index = RankingIndex(jobs, offers, job_index=job_index, offer_index=offer_index)
    kept.put(key, _Kept(version, skills, index))
    return index
