"""Forgiving search, the text side: Dutch word forms, compounds and typos (issue 14).

The full-text indexes stem (PostgreSQL's ``dutch`` Snowball stemmer) or only fold case and
diacritics (SQLite FTS5), and neither relates derived words: ``notulen`` stems to *notul*,
``notuleren`` to *notuler*, ``notulist`` to *notulist*. So each query word also looks for its
**root**: the word without one derivational suffix (``-eren``, ``-ist``, ``-ing``, ``-en`` …),
as a prefix. ``notul*`` finds all three; a root is at least :data:`MIN_ROOT` letters long so
short words do not turn into broad prefixes ("werken" stays "werken", which stemming covers).

What is built here is the full-text query *text* only, from word characters the caller split
off (:func:`app.pool.search.query_terms`), each quoted or escaped: users never write FTS5 or
tsquery syntax. Compounds and typos need the arrangement's vocabulary and are handled by
:mod:`app.pool.vocabulary` when a search finds nothing.
"""

from __future__ import annotations

import re

MIN_ROOT = 5
#: Derivational and inflectional endings, longest first (the first that leaves a long enough
#: root is taken).
SUFFIXES = (
    "eringen",
    "ering",
    "isten",
    "eren",
    "ingen",
    "aties",
    "atie",
    "iste",
    "eurs",
    "ist",
    "ing",
    "eur",
    "ers",
    "er",
    "en",
)
_WORD = re.compile(r"^\w+$", re.UNICODE)


def root(term: str) -> str | None:
    """The word without one derivational ending, or None when nothing (long enough) is left."""
    if term.isdigit():
        return None
    for suffix in SUFFIXES:
        if term.endswith(suffix) and len(term) - len(suffix) >= MIN_ROOT:
            return term[: -len(suffix)]
    return None


def _safe(term: str) -> str:
    # query_terms yields \w+ runs only; this keeps the promise if a caller does not.
    if not _WORD.match(term):
        raise ValueError("search terms are word characters only")
    return term


# --- SQLite FTS5 -------------------------------------------------------------------------------


def fts5_forms(terms: list[str], prefix: bool = True) -> str:
    """FTS5 MATCH text: every term (as typed, with ``prefix`` also as a prefix, or its root as a
    prefix) must occur.

    ``["notulen", "zorg"]`` → ``("notulen"* OR "notul"*) AND ("zorg"*)``."""
    groups = []
    for term in terms:
        term = _safe(term)
        options = [f'"{term}"*' if prefix and len(term) >= 3 else f'"{term}"']
        base = root(term)
        if base:
            options.append(f'"{base}"*')
        groups.append("(" + " OR ".join(options) + ")")
    return " AND ".join(groups)


def fts5_groups(groups: list[list[str]]) -> str:
    """FTS5 MATCH text for alternatives per query word: each inner list is words that must all
    occur (a compound's parts), one of the lists per group."""
    out = []
    for options in groups:
        alternatives = []
        for words in options:
            parts = [fts5_forms([w]) for w in words]
            alternatives.append(parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")")
        out.append("(" + " OR ".join(alternatives) + ")")
    return " AND ".join(out)


# --- PostgreSQL tsquery ------------------------------------------------------------------------


def tsquery_forms(terms: list[str]) -> str:
    """to_tsquery text for the ``dutch`` configuration: each term stemmed as usual, or its root
    as a prefix. ``["notulen"]`` → ``('notulen' | 'notul':*)``."""
    return tsquery_groups([[[t]] for t in terms])


def _tsquery_word(term: str) -> str:
    term = _safe(term)
    base = root(term)
    if base:
        return f"('{term}' | '{base}':*)"
    return f"'{term}'"


def tsquery_groups(groups: list[list[list[str]]]) -> str:
    """to_tsquery text: per query word, one of its alternatives (a list of words that must all
    occur: a compound's parts) must match."""
    out = []
    for options in groups:
        alternatives = []
        for words in options:
            parts = [_tsquery_word(w) for w in words]
            alternatives.append(parts[0] if len(parts) == 1 else "(" + " & ".join(parts) + ")")
        out.append(
            alternatives[0] if len(alternatives) == 1 else "(" + " | ".join(alternatives) + ")"
        )
    return " & ".join(out)


# --- for app.pool.search -----------------------------------------------------------------------


def forms_queries(dialect: str, terms: list[str]) -> list[str]:
    """The full-text query texts for ``terms`` and their related forms, to try in turn until
    one finds something. PostgreSQL: the stemmed words, then also their roots as prefixes.
    SQLite: first the words exactly, then each word or its root as a prefix ("klus" finds
    "klussen", "notulen" finds "notuleren"), which stands in for the stemming it lacks.

    The related forms only when the words themselves find nothing, on both databases: a prefix
    matches many index terms and costs several times an exact word (on SQLite a root prefix in
    the first attempt tripled the typical search; bench/job_pages.py), and most searches find
    something at once."""
    if dialect == "postgresql":
        # The words as the stemmer takes them (as plainto_tsquery did), then with their roots
        # as prefixes: a prefix that matches many words costs more, so only when needed.
        exact = " & ".join(f"'{_safe(t)}'" for t in terms)
        broad = tsquery_forms(terms)
    else:
        exact = " AND ".join(f'"{_safe(t)}"' for t in terms)
        broad = fts5_forms(terms)
    return [exact, broad] if broad != exact else [exact]


def groups_query(dialect: str, groups: list[list[list[str]]]) -> str:
    """The query text for rewritten terms (app.pool.vocabulary.rewrite)."""
    return tsquery_groups(groups) if dialect == "postgresql" else fts5_groups(groups)


def like_prefix(value: str) -> str:
    """A LIKE pattern (escape character backslash) for values starting with ``value``."""
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"
