"""What a skill means for the ranking: its *concepts*, the Dutch stems of its name and of its
synonyms (``dutch_porter`` Snowball through PyStemmer, word by word), and the concepts a free
text mentions. Pure Python on plain values, cached per word and per phrase: an arrangement's
skills and texts repeat the same few thousand words. app.matches.ranking scores with these;
nothing here knows of jobs or offers.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from functools import lru_cache

_WORD = re.compile(r"[^\W\d_]+|\d+")
_local = threading.local()


def _stemmer():
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        try:
            # deferred: optional: PyStemmer (Snowball in C), else a suffix stemmer; only when
            # first stemming. PyStemmer loads one algorithm; the pure-Python snowballstemmer
            # imported all 36 languages (~0.16 s and memory in every web worker's first ranking).
            import Stemmer

            stemmer = Stemmer.Stemmer("dutch_porter").stemWord
        except ImportError:  # pragma: no cover - the dependency is declared; a safe fallback
            stemmer = _suffix_stem
        _local.stemmer = stemmer  # a Stemmer object is not thread-safe: one per thread
    return stemmer


_SUFFIXES = ("heden", "ingen", "eren", "ing", "en", "er", "e", "s")


def _suffix_stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=50_000)
def stem_word(word: str) -> str:
    return _stemmer()(word)


def words(text: str) -> list[str]:
    return _WORD.findall((text or "").casefold())


@lru_cache(maxsize=20_000)
def stem_phrase(text: str) -> str:
    """ "Projectmatig werken" → "projectmat werk": the concept key of a name."""
    return " ".join(stem_word(w) for w in words(text))


def concepts(name: str, synonyms: Iterable[str] = ()) -> frozenset[str]:
    keys = {stem_phrase(name)} | {stem_phrase(s) for s in synonyms}
    return frozenset(k for k in keys if k)


def text_concepts(text: str, wanted: Iterable[frozenset[str]]) -> frozenset[str]:
    """The concepts of ``wanted`` that a free text mentions (all words of a phrase present)."""
    stems = {stem_word(w) for w in words(text)}
    found = set()
    for skill in wanted:
        for concept in skill:
            if all(part in stems for part in concept.split(" ")):
                found.add(concept)
    return frozenset(found)
