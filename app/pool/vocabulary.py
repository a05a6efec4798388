"""The arrangement's search vocabulary: for "Bedoelde je …?" and for splitting compounds.

**Which words.** Only words of jobs that *every* member of the arrangement may see: published
(not draft) jobs with visibility ``arrangement``. Never words of organisation-only jobs (a
suggestion made from another organisation's internal job would tell its words), of drafts, or
of capacity offers (private). So one vocabulary serves every viewer and a suggestion never
depends on who asks; the price is that a word found only in the viewer's own organisation-only
jobs is not suggested (the search itself still finds those jobs).

**Kept in step.** A flush that writes a job which every member may see adds its words at once
(:func:`_add_words_of_jobs`, a session listener, no change to the job operations). Words are
never removed on the write path: a word that was arrangement-wide once was shown to everyone.
:func:`rebuild` (a daily schedule, and ``deelkracht``'s bench set-up) makes the vocabulary
exactly the words of the current arrangement-wide jobs again, also after bulk loads.

**Close words.** On PostgreSQL with the pg_trgm extension: ``similarity()`` (the arrangement's
rows only: the table has forced row-level security like every arrangement-owned table). On
SQLite, or where pg_trgm is missing: a trigram table (``search_word_trigrams``), counted per
word, with pg_trgm's similarity formula in Python. Both run only when a search found nothing.
"""

from __future__ import annotations

import logging
import re
import unicodedata

from flask import current_app
from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, event, func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.extensions import db
from app.pool.models import Job
from app.pool.search_terms import STOP_WORDS
from app.transaction import commit
from tenants.context import current_arrangement_id, use_arrangement
from tenants.models import Arrangement, ArrangementScoped

log = logging.getLogger(__name__)

MIN_WORD = 3
MAX_WORD = 40
#: How alike a word must be to be suggested (pg_trgm's similarity, 0..1).
SIMILARITY = 0.45
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


class SearchWord(ArrangementScoped, db.Model):
    """One word of the arrangement's arrangement-wide jobs (lower case)."""

    __tablename__ = "search_words"
    __table_args__ = (UniqueConstraint("arrangement_id", "word"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    word: Mapped[str] = mapped_column(String(MAX_WORD))


class SearchWordTrigram(ArrangementScoped, db.Model):
    """The trigrams of a word (pg_trgm style: padded, lower case), for close words on SQLite."""

    __tablename__ = "search_word_trigrams"
    __table_args__ = (Index("ix_search_word_trigrams_lookup", "arrangement_id", "trigram"),)

    word_id: Mapped[int] = mapped_column(
        ForeignKey("search_words.id", ondelete="CASCADE"), primary_key=True
    )
    trigram: Mapped[str] = mapped_column(String(3), primary_key=True)


# --- words and trigrams ------------------------------------------------------------------------


def words_of(*texts: str | None) -> set[str]:
    """The vocabulary words of some texts: letters only, lower case, 3..40 long, no stop
    words."""

    out = set()
    for value in texts:
        for word in _WORD.findall((value or "").casefold()):
            if MIN_WORD <= len(word) <= MAX_WORD and word not in STOP_WORDS:
                out.add(word)
    return out


def trigrams(word: str) -> set[str]:
    """pg_trgm's trigrams of one word: two spaces before, one after."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a: str, b: str) -> float:
    ta, tb = trigrams(a), trigrams(b)
    shared = len(ta & tb)
    return shared / (len(ta) + len(tb) - shared) if ta or tb else 0.0


def _fold(word: str) -> str:
    # The indexes fold diacritics (FTS5 remove_diacritics, PostgreSQL unaccent): so does this.
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


# --- keeping it in step ------------------------------------------------------------------------


def _insert_ignore(connection: Connection, table, rows: list[dict]) -> None:
    if not rows:
        return
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    connection.execute(dialect.insert(table).on_conflict_do_nothing(), rows)


def add_words(connection: Connection, arrangement_id: int, words: set[str]) -> int:
    """Add words (and their trigrams) that the arrangement's vocabulary lacks."""
    words = {_fold(w) for w in words}
    if not words:
        return 0
    table, grams = SearchWord.__table__, SearchWordTrigram.__table__
    known = set()
    listed = sorted(words)
    for start in range(0, len(listed), 500):
        chunk = listed[start : start + 500]
        known.update(
            connection.execute(
                select(table.c.word).where(
                    table.c.arrangement_id == arrangement_id, table.c.word.in_(chunk)
                )
            ).scalars()
        )
    missing = sorted(words - known)
    if not missing:
        return 0
    _insert_ignore(
        connection, table, [{"arrangement_id": arrangement_id, "word": w} for w in missing]
    )
    ids = {}
    for start in range(0, len(missing), 500):
        chunk = missing[start : start + 500]
        ids.update(
            connection.execute(
                select(table.c.word, table.c.id).where(
                    table.c.arrangement_id == arrangement_id, table.c.word.in_(chunk)
                )
            ).all()
        )
    _insert_ignore(
        connection,
        grams,
        [
            {"arrangement_id": arrangement_id, "word_id": ids[w], "trigram": g}
            for w in missing
            if w in ids
            for g in trigrams(w)
        ],
    )
    return len(missing)


def _everyone_sees(job) -> bool:
    return job.visibility == "arrangement" and job.status != "draft"


@event.listens_for(Session, "after_flush")
def _add_words_of_jobs(session: Session, flush_context) -> None:

    jobs = [
        obj
        for obj in (*session.new, *session.dirty)
        if isinstance(obj, Job) and _everyone_sees(obj)
    ]
    if not jobs:
        return
    connection = session.connection()
    by_arrangement: dict[int, set[str]] = {}
    for job in jobs:
        by_arrangement.setdefault(job.arrangement_id, set()).update(
            words_of(job.title, job.skills_text, job.description)
        )
    for arrangement_id, words in by_arrangement.items():
        add_words(connection, arrangement_id, words)


def rebuild() -> int:
    """Make the current arrangement's vocabulary the words of its arrangement-wide jobs (drops
    words no such job has any more, adds what bulk loads skipped). Returns the word count."""

    arrangement_id = current_arrangement_id()
    wanted: set[str] = set()
    rows = db.session.execute(
        select(Job.title, Job.skills_text, Job.description).where(
            Job.visibility == "arrangement", Job.status != "draft"
        )
    )
    for row in rows:
        wanted.update(words_of(*row))
    wanted = {_fold(w) for w in wanted}
    current = dict(db.session.execute(select(SearchWord.word, SearchWord.id)).all())
    gone = [current[w] for w in current.keys() - wanted]
    for start in range(0, len(gone), 500):
        chunk = gone[start : start + 500]
        db.session.execute(
            SearchWordTrigram.__table__.delete().where(
                SearchWordTrigram.__table__.c.word_id.in_(chunk)
            )
        )
        db.session.execute(
            SearchWord.__table__.delete().where(SearchWord.__table__.c.id.in_(chunk))
        )
    add_words(db.session.connection(), arrangement_id, wanted - current.keys())
    return len(wanted)


def run_rebuild() -> int:
    """Rebuild every arrangement's vocabulary, each in its own context and transaction."""

    total = 0
    session = db.session()
    arrangement_ids = session.scalars(select(Arrangement.id).order_by(Arrangement.id)).all()
    session.rollback()
    for arrangement_id in arrangement_ids:
        with use_arrangement(arrangement_id):
            total += rebuild()
            commit()
    return total


# --- reading -----------------------------------------------------------------------------------


def install(connection: Connection) -> None:
    """pg_trgm where it can be created (as the owner); without it, the trigram table serves."""
    if connection.dialect.name != "postgresql":
        return
    try:
        with connection.begin_nested():
            connection.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except Exception as exc:  # not available: close words come from the trigram table
        log.warning("close-word suggestions without pg_trgm: %s", type(exc).__name__)


def _has_pg_trgm() -> bool:
    session = db.session
    if session.get_bind().dialect.name != "postgresql":
        return False

    cache = current_app.extensions.setdefault("pool_pg_trgm", {})
    if "present" not in cache:
        cache["present"] = bool(
            session.scalar(text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'"))
        )
    return cache["present"]


def known(words: set[str]) -> set[str]:
    """Which of these words the vocabulary has."""
    if not words:
        return set()
    return set(db.session.scalars(select(SearchWord.word).where(SearchWord.word.in_(words))))


def closest(word: str) -> str | None:
    """The vocabulary's word most like ``word`` (a typo's likely meaning), or None."""
    word = _fold(word)
    if len(word) < 4:
        return None
    if _has_pg_trgm():
        found = db.session.execute(
            select(SearchWord.word, func.similarity(SearchWord.word, word).label("s"))
            .where(
                func.similarity(SearchWord.word, word) >= SIMILARITY,
                func.length(SearchWord.word).between(len(word) - 3, len(word) + 3),
            )
            .order_by(text("s DESC"), SearchWord.word)
            .limit(1)
        ).first()
        return found.word if found else None
    grams = sorted(trigrams(word))
    shared = func.count().label("shared")
    rows = db.session.execute(
        select(SearchWord.word, shared)
        .join(SearchWordTrigram, SearchWordTrigram.word_id == SearchWord.id)
        .where(SearchWordTrigram.trigram.in_(grams))
        .group_by(SearchWord.id, SearchWord.word)
        .order_by(shared.desc(), SearchWord.word)
        .limit(20)
    ).all()
    best = max(rows, key=lambda r: (similarity(r.word, word), -len(r.word)), default=None)
    if best is None or similarity(best.word, word) < SIMILARITY:
        return None
    return best.word


#: Dutch linking letters between the parts of a compound ("omgeving-s-wet", "zieken-huis").
_LINKS = ("s", "e", "")


def split(word: str) -> list[str] | None:
    """A compound as two vocabulary words (``omgevingswet`` → ``omgeving``, ``wet``), the
    longest first part first; None when no split into known words exists."""
    word = _fold(word)
    candidates = []
    for i in range(len(word) - 3, 2, -1):
        left, right = word[:i], word[i:]
        for link in _LINKS:
            if link and not left.endswith(link):
                continue
            first = left[: len(left) - len(link)] if link else left
            if len(first) >= 3:
                candidates.append((first, right))
    if not candidates:
        return None
    have = known({p for pair in candidates for p in pair})
    for first, right in candidates:
        if first in have and right in have:
            return [first, right]
    return None


def rewrite(terms: list[str]) -> tuple[list[list[list[str]]], list[str]] | None:
    """For a search that found nothing: per term, what to look for instead.

    A word the vocabulary has stays; an unknown word is looked for as its parts too when it
    splits into two vocabulary words (a compound), else becomes its closest vocabulary word (a
    typo). Returns (groups for app.pool.wordforms, the corrected
    words to show in "Bedoelde je …?", only when a word was corrected), or None when nothing
    changes."""
    have = known({_fold(t) for t in terms})
    groups: list[list[list[str]]] = []
    shown: list[str] = []
    corrected = changed = False
    for term in terms:
        folded = _fold(term)
        if folded in have or term.isdigit():
            groups.append([[term]])
            shown.append(term)
            continue
        # Two real words first ("jeugdzorg" is jeugd + zorg, not a typo of "jeugd").
        parts = split(term)
        if parts is not None:
            groups.append([[term], parts])
            shown.append(term)
            changed = True
            continue
        near = closest(term)
        if near is not None:
            groups.append([[near]])
            shown.append(near)
            corrected = changed = True
            continue
        groups.append([[term]])
        shown.append(term)
    if not changed:
        return None
    return groups, shown if corrected else []
